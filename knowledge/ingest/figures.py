"""Figures: counts, percentages and ranges ("300 à 500 personnes", "moins de
10% de ses partenaires", "trois niveaux"). Value: ``{"value": n}`` or
``{"min": a, "max": b}``, with ``unit`` (the word counted, or "%") and
``qualifier`` ("less than", "more than", "about", "at least", "up to")."""

import re

from .candidates import Candidate
from .textmap import Normalised

WORDS = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "cent": 100, "mille": 1000,
    "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "hundred": 100, "thousand": 1000,
    "dozen": 12, "douzaine": 12,
}  # fmt: skip
QUALIFIERS = {
    "moins de": "less than", "plus de": "more than", "pres de": "about", "environ": "about", "au moins": "at least",
    "jusqu'a": "up to", "quelque": "about", "less than": "less than", "fewer than": "less than",
    "more than": "more than", "over": "more than", "about": "about", "around": "about", "nearly": "about",
    "almost": "about", "at least": "at least", "up to": "up to", "some": "about",
}  # fmt: skip
SCALE = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9,
         "k": 1e3, "m": 1e6, "md": 1e9}  # fmt: skip
# Words after a number that are not what it counts.
NOT_UNITS = {
    "de", "des", "du", "d", "ou", "et", "a", "à", "au", "aux", "or", "and", "to", "of", "the", "en", "in", "par",
    "pour", "sur", "avec", "with", "for", "on", "qui", "que", "ces", "ses", "les", "le", "la", "l", "dont",
}  # fmt: skip
_NUM = r"\d+(?:[ \u00a0.,]\d{3})*(?:[.,]\d+)?"
_WORD = r"[a-zà-ÿ'’-]+"


def _number(token):
    token = token.strip()
    if token in WORDS:
        return WORDS[token]
    token = re.sub(r"[ \u00a0]", "", token)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", token):
        token = re.sub(r"[.,]", "", token)
    token = token.replace(",", ".")
    value = float(token)
    return int(value) if value.is_integer() else value


def _unit(words):
    """The counted word: the first word that is not a preposition."""
    for word in words.split():
        word = word.strip("'’")
        if word and word not in NOT_UNITS:
            return word
    return ""


def figures(text):
    n = Normalised(text)
    found = []
    qualifiers = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    number_words = "|".join(sorted(WORDS, key=len, reverse=True))
    num = rf"(?:{_NUM}|{number_words})"

    def add(start, end, value, score):
        # the exact words end at the counted word, not at the next ones
        found.append(Candidate("figure", text[start:end], start, end, value=value, score=score))

    # Ranges: "300 à 500 personnes", "between 300 and 500 people", "300-500"
    for m, start, end in n.finditer(
        rf"\b(?:(?:entre|between) )?({num})\s*(?:a|à|to|-|–|et|and)\s*({num})(?:\s*(%|{'|'.join(SCALE)}))?(?:\s+({_WORD}))?"
    ):
        low, high = _number(m.group(1)), _number(m.group(2))
        if not isinstance(low, int | float) or low >= high or re.fullmatch(r"(19|20)\d\d", m.group(1)):
            continue
        if not re.search(r"\d", m.group(1) + m.group(2)) and not m.group(0).startswith(("entre", "between")):
            continue  # "deux ou trois": a choice, not a range
        scale = SCALE.get(m.group(3) or "", 1)
        unit = "%" if m.group(3) == "%" else _unit(m.group(4) or "")
        if unit and unit not in NOT_UNITS and m.group(4):
            end = n.group_span(m, 4)[1]
        elif m.group(3):
            end = n.group_span(m, 3)[1]
        else:
            end = n.group_span(m, 2)[1]
        add(start, end, {"min": low * scale, "max": high * scale, "unit": unit}, 85)
    # Qualified: "moins de 10% de ses partenaires", "plus de 30 ans", "more than 100 partners"
    for m, start, end in n.finditer(rf"\b({qualifiers}) ({num})(?:\s*(%|{'|'.join(SCALE)}))?(?:\s+({_WORD}))?"):
        value = _number(m.group(2))
        scale = SCALE.get(m.group(3) or "", 1)
        unit = "%" if m.group(3) == "%" else _unit(m.group(4) or "")
        end = n.group_span(m, 4)[1] if m.group(4) and unit == m.group(4) and m.group(3) != "%" else end
        if m.group(3) == "%" or not m.group(4) or unit != m.group(4):
            end = n.group_span(m, 3 if m.group(3) else 2)[1]
        value = {"value": value * scale, "unit": unit, "qualifier": QUALIFIERS[m.group(1)]}
        of = re.compile(rf"\s+(?:de ses|de leurs|des|de|of its|of their|of)\s+({_WORD})").match(
            n.norm, m.end(3) if m.group(3) else 0
        )
        if unit == "%" and of:
            value["of"] = of.group(1)
            end = n.span(of.start(1), of.end(1))[1]
        add(start, end, value, 85)
    # Percentages and counts: "10%", "trois niveaux", "500 partenaires", "2 millions"
    for m, start, _end in n.finditer(
        rf"\b({num})(?:\s*(%|pour ?cent|percent|per cent|{'|'.join(SCALE)}\b))?(?:\s+(«\s*)?({_WORD}))?"
    ):
        token, unit_word = m.group(1), m.group(4) or ""
        if re.fullmatch(r"(19|20)\d\d", token) or (token.isdigit() and len(token) == 4):
            continue  # a year
        if m.group(2) and m.group(2) not in SCALE:
            add(start, n.group_span(m, 2)[1], {"value": _number(token), "unit": "%"}, 80)
            continue
        scale = SCALE.get(m.group(2) or "", 1)
        if not unit_word or unit_word in NOT_UNITS:
            if scale == 1:
                continue
            add(start, n.group_span(m, 2)[1], {"value": _number(token) * scale, "unit": ""}, 70)
            continue
        if token.isdigit() and not m.group(2) and unit_word in ("ans", "years", "mois", "months"):
            continue  # durations on their own are dates' business ("dans 2 ans")
        add(start, n.group_span(m, 4)[1], {"value": _number(token) * scale, "unit": unit_word}, 70)
    return _dedupe(found)


def _dedupe(found):
    kept = []
    for c in sorted(found, key=lambda c: (-c.score, -(c.end - c.start), c.start)):
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    return sorted(kept, key=lambda c: c.start)
