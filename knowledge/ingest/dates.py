"""Dates and periods with their precision.

Values (``Candidate.value``) use ISO 8601 where the date is known and EDTF
(the Library of Congress's Extended Date/Time Format, ISO 8601-2) where part
of it is not: ``XXXX-07-01`` is a 1 July of an unknown year, ``XXXX-09~`` an
approximate September, ``199X`` the 1990s; a duration is ``P18M``.

``precision`` is one of day, month, quarter, year, decade, span (a duration
from an unstated or stated start) or unknown. A year the text does not state
next to the date is taken from the source's date when known, else from the
last year stated earlier in the text; either way ``derived`` says so.
"""

import datetime
import re

import dateparser

from .candidates import Candidate
from .textmap import Normalised, sentence_end, sentence_start

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_M = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:er|st|nd|rd|th)?"
_Y = r"(?:19|20)\d\d"
ORDINALS = {
    "1": 1, "2": 2, "3": 3, "4": 4, "premier": 1, "deuxieme": 2, "second": 2, "troisieme": 3, "quatrieme": 4,
    "first": 1, "third": 3, "fourth": 4,
}  # fmt: skip
UNITS = {"mois": "M", "months": "M", "month": "M", "ans": "Y", "annees": "Y", "years": "Y", "year": "Y",
         "semaines": "W", "weeks": "W", "jours": "D", "days": "D"}  # fmt: skip
SEASONS = {  # EDTF season codes 21-24; the French school year starts in September
    "printemps": ("21", "spring"), "spring": ("21", "spring"), "ete": ("22", "summer"), "summer": ("22", "summer"),
    "automne": ("23", "autumn"), "autumn": ("23", "autumn"), "fall": ("23", "autumn"),
    "hiver": ("24", "winter"), "winter": ("24", "winter"),
}  # fmt: skip


def _day(token):
    return int(re.match(r"\d+", token).group())


def _month(token):
    return MONTHS[token.rstrip(".")]


def _iso(year, month=None, day=None):
    y = f"{year:04d}" if year else "XXXX"
    if month is None:
        return y
    if day is None:
        return f"{y}-{month:02d}"
    return f"{y}-{month:02d}-{day:02d}"


def _valid(year, month, day):
    try:
        datetime.date(year or 2000, month, day)
    except ValueError:
        return False
    return True


class DateRules:
    def __init__(self, text, language, source_date=None, fiscal_calendar=None):
        """``fiscal_calendar(start, end)`` gives (vendor name, fiscal year
        start month or None) for the vendor named around that span, or None."""
        self.text = text
        self.n = Normalised(text)
        self.language = language
        self.source_date = source_date
        self.fiscal_calendar = fiscal_calendar or (lambda start, end: None)
        self.found = []

    # --- year context ---------------------------------------------------------

    def _year(self, start, explicit=None, when=None):
        """(year, derivation or '') for a date at ``start`` with no year of its
        own; ``when`` is 'next'/'last' for "prochain"/"dernier"."""
        if explicit:
            return int(explicit), ""
        sent = sentence_start(self.text, start)
        # A fiscal year stated in the same sentence ("l'année fiscale 2010-2011 ... débute le 1er juillet")
        m = re.search(r"((?:19|20)\d\d)\s*[-/]\s*(?:19|20)?\d\d", self.text[sent:start])
        if m:
            return int(m.group(1)), f"from the fiscal year {m.group(0)} stated in the same sentence"
        if self.source_date:
            return self.source_date.year, "from the source's date"
        # the first year of a "2010-2011" range: a fiscal or school year starts in it
        earlier = list(re.finditer(r"(?<![\d-])((?:19|20)\d\d)(?!\d)", self.text[:start]))
        if earlier:
            return int(earlier[-1].group(1)), f"from the year {earlier[-1].group(1)} stated earlier in the text"
        return None, ""

    def _add(self, start, end, value, score=80):
        self.found.append(Candidate("date", self.text[start:end], start, end, value=value, score=score))

    # --- rules ------------------------------------------------------------------

    def run(self):
        n = self.n
        # Day ranges: "du 11 au 15 juillet", "from 11 to 15 July", "11-15 July", "July 11-15, 2010"
        for pat, order in (
            (rf"\bdu ({_D})(?: ({_M}))? au ({_D}) ({_M})(?: ({_Y}))?", "dmdmy"),
            (rf"\bfrom ({_D})(?: ({_M}))? (?:to|until) ({_D}) ({_M})(?:,? ({_Y}))?", "dmdmy"),
            (rf"\b({_D})\s?[-–]\s?({_D}) ({_M})(?:,? ({_Y}))?", "ddmy"),
            (rf"\b({_M}) ({_D})\s?[-–]\s?({_D})(?:,? ({_Y}))?", "mddy"),
        ):
            for m, start, end in n.finditer(pat):
                g = m.groups()
                if order == "dmdmy":
                    d1, m1, d2, m2, y = g
                    m1 = m1 or m2
                elif order == "ddmy":
                    d1, d2, m2, y = g
                    m1 = m2
                else:
                    m1, d1, d2, y = g
                    m2 = m1
                year, derived = self._year(start, y)
                mo1, mo2 = _month(m1), _month(m2)
                if not (_valid(year, mo1, _day(d1)) and _valid(year, mo2, _day(d2))):
                    continue
                value = {
                    "start": _iso(year, mo1, _day(d1)),
                    "end": _iso(year, mo2, _day(d2)),
                    "precision": "day",
                }
                if derived:
                    value["derived"] = derived
                self._add(start, end, value, 90)
        # Single days: "le 1er juillet prochain", "15 juillet 2010", "July 1st, 2010", "1 July"
        for pat, order in (
            (rf"\b(?:le )?({_D}) ({_M})(?: ({_Y}))?(?: (prochain|dernier|next|last))?", "dmy"),
            (rf"\b({_M}) ({_D})(?!\d)(?:,? ({_Y}))?", "mdy"),
        ):
            for m, start, end in n.finditer(pat):
                if order == "dmy":
                    d, mo, y, when = m.groups()
                else:
                    mo, d, y = m.groups()
                    when = None
                if order == "mdy" and mo.startswith("may") and not y:
                    continue  # "may 3" is too often the verb
                self._single_day(start, end, _day(d), _month(mo), y, when)
        # Month lists and ranges: "aux mois de mai-juin-juillet", "de mai à juillet 2010", "May to July"
        for m, start, end in n.finditer(
            rf"\b(?:(?:aux|au) mois de |en |in |de |from |between )?({_M})((?:\s*(?:[-–/,]|et|and|a|to)\s*{_M})+)(?: ({_Y}))?\b"
        ):
            months = [_month(x) for x in re.findall(_M, m.group(1) + m.group(2))]
            year, derived = self._year(start, m.group(3))
            value = {"start": _iso(year, months[0]), "end": _iso(year, months[-1]), "precision": "month"}
            if len(months) > 2:
                value["months"] = months
            if derived and m.group(3) is None and not self.source_date:
                value["start"], value["end"] = _iso(None, months[0]), _iso(None, months[-1])
            elif derived:
                value["derived"] = derived
            self._add(start, end, value, 85)
        # One month with a year, or after "en"/"in": "en juillet 2010", "in July"
        for m, start, end in n.finditer(
            rf"\b(?:(?:en|in|au mois de|in the month of) ({_M})(?: ({_Y}))?|({_M}) ({_Y}))\b"
        ):
            mo = m.group(1) or m.group(3)
            y = m.group(2) or m.group(4)
            if mo.startswith("may") and not y:
                continue
            year, derived = self._year(start, y)
            value = {"start": _iso(year if y or self.source_date else None, _month(mo)), "precision": "month"}
            if derived and self.source_date:
                value["derived"] = derived
            self._add(start, end, value, 70)
        # Fiscal quarters: "4ème trimestre fiscal Cisco", "fiscal Q4", "fourth fiscal quarter"
        for m, start, end in n.finditer(
            r"\b(?:(\d|premier|deuxieme|troisieme|quatrieme)(?:er|e|eme|ieme)? trimestre fiscal"
            r"|(?:(first|second|third|fourth|q[1-4]) (?:fiscal )?quarter|fiscal (q[1-4])|(q[1-4]) fiscal))"
            r"(?: (?:de |of )?((?:19|20)\d\d(?:[-/]\d{2,4})?))?"
        ):
            token = (m.group(1) or m.group(2) or m.group(3) or m.group(4)).lstrip("q")
            quarter = ORDINALS.get(token) or int(token)
            value = {"fiscal_quarter": quarter, "precision": "quarter"}
            calendar = self.fiscal_calendar(start, sentence_end(self.text, end))
            if calendar:
                vendor, start_month = calendar
                value["vendor"] = vendor
                if start_month:
                    first = (start_month - 1 + 3 * (quarter - 1)) % 12 + 1
                    last = (first + 1) % 12 + 1
                    value["months"] = [(first - 1 + i) % 12 + 1 for i in range(3)]
                    value["start"], value["end"] = _iso(None, first), _iso(None, last)
                    value["derived"] = f"from {vendor}'s fiscal year starting in month {start_month}"
            self._add(start, end, value, 85)
        # Fiscal years: "l'année fiscale 2010-2011", "fiscal year 2011", "FY2011"
        for m, start, end in n.finditer(
            r"\b(?:annee fiscale|exercice(?: fiscal)?|fiscal(?: year)?|fy)\s?((?:19|20)\d\d)(?:\s*[-/]\s*((?:19|20)?\d\d))?\b"
        ):
            first = int(m.group(1))
            value = {"fiscal_year": m.group(0)[m.start(1) - m.start() :], "precision": "year"}
            calendar = self.fiscal_calendar(start, sentence_end(self.text, end))
            if calendar and calendar[1]:
                vendor, start_month = calendar
                # a fiscal year named by two years starts in the first; by one year, it ends in it
                year = first if m.group(2) or start_month == 1 else first - 1
                value.update(start=_iso(year, start_month, 1), precision="month", vendor=vendor)
                value["derived"] = f"from {vendor}'s fiscal year starting in month {start_month}"
            self._add(start, end, value, 80)
        # The French school year: "dès la rentrée", "à la rentrée 2010"; seasons
        for m, start, end in n.finditer(rf"\b(?:des |a |pour |de )?la rentree(?: (?:de )?({_Y}))?\b"):
            year = int(m.group(1)) if m.group(1) else None
            value = {"start": _iso(year, 9) + "~", "precision": "month", "approximate": True, "note": "rentrée"}
            self._add(start, end, value, 75)
        for m, start, end in n.finditer(
            rf"\b(?:au |en |cet |ce |in the |this |next |(?:l')?)?(printemps|ete|automne|hiver|spring|summer|autumn|fall|winter)(?: ({_Y}))?\b"
        ):
            if m.group(1) == "ete" and not (m.group(2) or re.search(r"(?:en|cet|l') ?ete$", m.group(0))):
                continue  # "été" is also the past participle of "être"
            code, name = SEASONS[m.group(1)]
            year = int(m.group(2)) if m.group(2) else None
            self._add(start, end, {"start": f"{_iso(year)}-{code}", "precision": "season", "season": name}, 60)
        # Spans: "dans un horizon de 18 à 24 mois", "within 18 to 24 months", "d'ici 2 ans"
        for m, start, end in n.finditer(
            r"\b(?:dans un (?:horizon|delai) de|dans les|dans|d'ici|sous|within|in the next|over the next|in)"
            r" (\d+)(?:\s*(?:a|à|to|-|–|ou|or)\s*(\d+))? (mois|ans|annees|semaines|jours|months?|years?|weeks|days)\b"
        ):
            unit = UNITS[m.group(3)]
            low, high = int(m.group(1)), int(m.group(2) or m.group(1))
            value = {"duration": f"P{low}{unit}", "precision": "span"}
            if high != low:
                value["duration"] = f"P{low}{unit}/P{high}{unit}"
                value["min"], value["max"] = f"P{low}{unit}", f"P{high}{unit}"
            value["from"] = self.source_date.isoformat() if self.source_date else None
            self._add(start, end, value, 85)
        # Decades: "les années 90", "the 1990s"
        for m, start, end in n.finditer(r"\b(?:les annees|the) (?:'?(\d0)|((?:19|20)\d0))(?:s)?\b"):
            if m.group(0).startswith("the") and not m.group(0).endswith("s"):
                continue
            decade = m.group(2) or ("19" + m.group(1) if int(m.group(1)) >= 30 else "20" + m.group(1))
            self._add(start, end, {"start": decade[:3] + "X", "precision": "decade"}, 75)
        # A year on its own after a preposition: "en 2010", "in 2011"
        for m, start, end in n.finditer(rf"\b(?:en|in|since|depuis|fin|debut|end of|early|late) ({_Y})\b"):
            self._add(start, end, {"start": m.group(1), "precision": "year"}, 60)
        # Now: "qui se déroule en ce moment", "currently"
        for _m, start, end in n.finditer(
            r"\b(en ce moment|actuellement|a l'heure actuelle|currently|at the moment|right now)\b"
        ):
            value = {"relative": "now", "precision": "unknown"}
            if self.source_date:
                value.update(start=self.source_date.isoformat(), precision="day", derived="from the source's date")
            self._add(start, end, value, 55)
        # Relative words, resolved from the source's date (dateparser)
        for m, start, end in n.finditer(
            r"\b(aujourd'hui|hier|demain|la semaine (?:prochaine|derniere)|le mois (?:prochain|dernier)"
            r"|l'an(?:nee)? (?:prochaine?|derniere?)|today|yesterday|tomorrow|(?:next|last) (?:week|month|year))\b"
        ):
            self._relative(start, end, m.group(1))
        return self._dedupe()

    def _single_day(self, start, end, day, month, y, when):
        year, derived = self._year(start, y, when)
        if when in ("prochain", "next", "dernier", "last") and self.source_date and not y:
            parsed = dateparser.parse(
                f"{day} {month} {self.source_date.year}",
                date_formats=["%d %m %Y"],
                settings={"RELATIVE_BASE": datetime.datetime.combine(self.source_date, datetime.time())},
            )
            if parsed:
                d = parsed.date()
                if when in ("prochain", "next") and d <= self.source_date:
                    d = d.replace(year=d.year + 1)
                if when in ("dernier", "last") and d >= self.source_date:
                    d = d.replace(year=d.year - 1)
                year, derived = d.year, f"'{when}' after the source's date"
        if not _valid(year, month, day):
            return
        value = {"start": _iso(year, month, day), "precision": "day"}
        if derived:
            value["derived"] = derived
        self._add(start, end, value, 85)

    def _relative(self, start, end, words):
        value = {"precision": "unknown", "relative": words}
        if self.source_date:
            languages = ["fr", "en"]
            base = datetime.datetime.combine(self.source_date, datetime.time())
            parsed = dateparser.parse(words, languages=languages, settings={"RELATIVE_BASE": base})
            if parsed:
                unit = "day"
                if "semaine" in words or "week" in words:
                    unit = "day"
                elif "mois" in words or "month" in words:
                    unit = "month"
                elif "an" in words.split("'")[-1] or "year" in words:
                    unit = "year"
                d = parsed.date()
                value = {
                    "start": d.isoformat()
                    if unit == "day"
                    else (_iso(d.year, d.month) if unit == "month" else str(d.year)),
                    "precision": unit,
                    "derived": "from the source's date",
                }
        self._add(start, end, value, 60)

    def _dedupe(self):
        """Keep the longest of overlapping date mentions."""
        kept = []
        for c in sorted(self.found, key=lambda c: (-(c.end - c.start), -c.score, c.start)):
            if any(c.start < k.end and k.start < c.end for k in kept):
                continue
            kept.append(c)
        return sorted(kept, key=lambda c: c.start)
