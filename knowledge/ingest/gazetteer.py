"""The knowledge base's own names, to find in a text and to match NER spans to.

Matching is tolerant of accents and case (``kb.text.normalize``), of
"programme"/"program", of hyphens and spaces, of typos (rapidfuzz) and of
aliases: an acronym stored on the record, or the initials of a name of three
words or more ("Managed Services Channel Program" -> MSCP).
"""

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from utilities.text import normalize, normalize_with_map

# Words that start a mention without being part of the name.
LEADING = {
    "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "ce", "cet", "cette", "ces", "son", "sa", "ses",
    "nouveau", "nouvel", "nouvelle", "the", "a", "an", "this", "that", "its", "their", "our", "new",
}  # fmt: skip

# Country and region names in French and English -> one English name (places
# have no records of their own; the canonical name is their value).
PLACES = {
    "etats-unis": "United States", "etats unis": "United States", "usa": "United States",
    "united states": "United States", "us": "United States", "amerique du nord": "North America",
    "france": "France", "allemagne": "Germany", "germany": "Germany", "royaume-uni": "United Kingdom",
    "united kingdom": "United Kingdom", "uk": "United Kingdom", "europe": "Europe", "chine": "China",
    "china": "China", "japon": "Japan", "japan": "Japan", "inde": "India", "india": "India",
    "espagne": "Spain", "spain": "Spain", "italie": "Italy", "italy": "Italy", "canada": "Canada",
    "belgique": "Belgium", "belgium": "Belgium", "suisse": "Switzerland", "switzerland": "Switzerland",
    "amerique": "Americas", "americas": "Americas", "asie": "Asia", "asia": "Asia", "afrique": "Africa",
    "africa": "Africa", "partout dans le monde": "Worldwide", "dans le monde entier": "Worldwide",
    "worldwide": "Worldwide", "around the world": "Worldwide", "monde entier": "Worldwide",
}  # fmt: skip


# Focus areas in French and English -> one English name: what a focus area
# record is called, so a French text names it too ("services managés" is
# Managed services). Matched to the FocusArea records of that name (their
# aliases), else candidates for a new one. Kept to terms that name a field of
# business, not common words ("réseau" is the partner network as often).
FOCUS_AREAS = {
    "Cloud computing": ["cloud computing", "cloud", "informatique en nuage", "informatique dans les nuages"],
    "Managed services": ["managed services", "services managés", "services gérés"],
    "Unified communications": [
        "unified communications", "communications unifiées", "communication unifiée",
    ],
    "Collaboration": ["collaboration"],
    "Security": ["security", "cybersecurity", "sécurité", "cybersécurité"],
    "Data center": ["data center", "datacenter", "centre de données", "centres de données"],
    "Virtualisation": ["virtualisation", "virtualization"],
    "Storage": ["storage", "stockage"],
    "Mobility": ["mobility", "mobilité"],
    "Internet of things": ["internet of things", "internet des objets", "IoT"],
    "Artificial intelligence": ["artificial intelligence", "intelligence artificielle"],
}  # fmt: skip


def key(value):
    """The comparison form of a name: normalised, 'programme' -> 'program',
    punctuation and hyphens as spaces, leading articles dropped."""
    text = normalize(value or "")
    text = re.sub(r"\bprogramme\b", "program", text)
    text = re.sub(r"[^\w%]+", " ", text).strip()
    words = text.split()
    while len(words) > 1 and words[0] in LEADING:
        words.pop(0)
    return " ".join(words)


def initials(name):
    words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isalpha()]
    if len(words) < 3:
        return ""
    return "".join(w[0] for w in words).upper()


@dataclass
class Entry:
    """One record the text may name. ``kind`` is a candidate kind; ``model``
    ``app_label.modelname`` (None for places, which have no record)."""

    kind: str
    name: str
    slug: str | None = None
    model: str | None = None
    aliases: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def names(self):
        names = [self.name, *self.aliases]
        acronym = initials(self.name)
        if acronym and acronym not in names:
            names.append(acronym)
        return [n for n in names if n]


class Gazetteer:
    def __init__(self, entries=()):
        self.entries = list(entries)
        known = {key(e.name): e for e in self.entries if e.kind == "focus_area"}
        for canonical, names in FOCUS_AREAS.items():
            entry = known.get(key(canonical))
            if entry is None:
                self.entries.append(Entry("focus_area", canonical, aliases=list(names)))
            else:
                entry.aliases = [*entry.aliases, *(n for n in names if n not in entry.aliases)]
        for name, canonical in PLACES.items():
            if len(name) > 3:  # "us"/"uk" only as matches, never scanned for
                self.entries.append(Entry("place", canonical, aliases=[name]))
        self._keys = {}  # key -> [entry]
        for entry in self.entries:
            for name in entry.names():
                self._keys.setdefault(key(name), []).append(entry)
        self._pattern = None

    def __len__(self):
        return len(self.entries)

    # --- finding names in a text --------------------------------------------------

    def _compiled(self):
        if self._pattern is None:
            alternatives = set()
            for entry in self.entries:
                for name in entry.names():
                    norm = normalize(name).strip()
                    if len(norm) < 2:
                        continue
                    pattern = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", norm))
                    pattern = pattern.replace("program", "program(?:me)?")
                    alternatives.add(pattern)
            if not alternatives:
                self._pattern = False
            else:
                ordered = sorted(alternatives, key=len, reverse=True)
                self._pattern = re.compile(r"(?<![\w])(?:" + "|".join(ordered) + r")(?![\w])")
        return self._pattern

    def find(self, text):
        """Every mention of a known name in ``text``: (start, end, entry)."""
        pattern = self._compiled()
        if not pattern:
            return []
        norm, index = normalize_with_map(text)
        found = []
        for m in pattern.finditer(norm):
            start, end = index[m.start()], index[m.end() - 1] + 1
            surface = text[start:end]
            entries = self._keys.get(key(surface)) or []
            # An acronym or a short name is only taken in capitals as written ("HP", not "hp");
            # a tier's name is a common word unless capitalised ("un provider" is not the tier).
            entries = [
                e
                for e in entries
                if (len(surface) > 4 and e.kind != "tier") or surface.isupper() or surface[:1].isupper()
            ]
            if entries:
                found.append((start, end, entries[0]))
        return found

    # --- matching a span NER found --------------------------------------------------

    def match(self, surface, kinds=None, cutoff=88):
        """The entry ``surface`` names, and a score 0..100; (None, 0) if none."""
        query = key(surface)
        if not query:
            return None, 0
        for entry in self._keys.get(query, ()):
            if kinds is None or entry.kind in kinds:
                return entry, 100.0
        if len(query) <= 4:  # acronyms and short names: exact only
            return None, 0
        choices = {
            k: es for k, es in self._keys.items() if len(k) > 4 and any(kinds is None or e.kind in kinds for e in es)
        }
        if not choices:
            return None, 0
        best = process.extractOne(query, list(choices), scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            return None, 0
        found, score, _ = best
        entry = next(e for e in choices[found] if kinds is None or e.kind in kinds)
        return entry, float(score)

    def place(self, surface):
        """The canonical name of a place, or the surface itself."""
        entry, _ = self.match(surface, kinds={"place"})
        return entry.name if entry else surface.strip()

    # --- from the database ----------------------------------------------------------

    @classmethod
    def from_database(cls):
        """Every vendor, person, program, tier and focus area, plus the places
        named by events and vendors' headquarters."""
        from programs.models import FocusArea, Program, ProgramEvent, Tier
        from vendors.models import Person, Vendor

        entries = []
        for v in Vendor.objects.only("name", "slug", "fiscal_year_start_month"):
            entries.append(
                Entry(
                    "organisation",
                    v.name,
                    v.slug,
                    "vendors.vendor",
                    extra={"fiscal_year_start_month": v.fiscal_year_start_month},
                )
            )
        for p in Person.objects.select_related("employer").only("name", "slug", "employer__slug"):
            entries.append(
                Entry(
                    "person",
                    p.name,
                    p.slug,
                    "vendors.person",
                    extra={"employer": p.employer.slug if p.employer_id else None},
                )
            )
        for p in Program.objects.only("name", "slug", "acronym"):
            entries.append(
                Entry("program", p.name, p.slug, "programs.program", aliases=[p.acronym] if p.acronym else [])
            )
        for t in Tier.objects.select_related("program").only("name", "slug", "kind", "program__slug"):
            entries.append(
                Entry("tier", t.name, t.slug, "programs.tier", extra={"program": t.program.slug, "kind": t.kind})
            )
        for f in FocusArea.objects.only("name", "slug"):
            entries.append(Entry("focus_area", f.name, f.slug, "programs.focusarea"))
        places = set(ProgramEvent.objects.exclude(place="").values_list("place", flat=True))
        places |= set(Vendor.objects.exclude(headquarters="").values_list("headquarters", flat=True))
        for place in sorted(places):
            entries.append(Entry("place", place))
        return cls(entries)
