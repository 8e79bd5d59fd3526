"""Candidate programs and tiers, by rules on how articles name them:
"Managed Services Channel Programme (MSCP)", "Cloud partner program",
"« Frontline » le programme de partenariat", "l'accord « Frontline »",
"un nouveau programme de partenariat axé sur le cloud computing" (a program
whose name is not stated), "trois éléments : builder, provider, services
reseller", "trois niveaux de partenariat, dont un « Master »", "Gold level".
"""

import re

from utilities.text import normalize

from .candidates import Candidate
from .gazetteer import LEADING, initials
from .textmap import Normalised, paragraphs, sentence_end

PROGRAM_WORD = r"(?:[Pp]rogram(?:me)?|[Pp]artner [Nn]etwork|[Pp]artnership)"
# lower-case words a program's name may hold ("Cloud partner program")
NAME_WORDS = {"partner", "partners", "channel", "services", "service", "cloud", "network", "solution", "solutions",
              "provider", "providers", "reseller", "resellers", "managed", "alliance", "specialist", "de", "du", "des",
              "of", "and", "for", "et", "&", "-"}  # fmt: skip
# words that can open a sentence but never a program's name
_STOP_START = LEADING | {"il", "elle", "on", "nous", "it", "we", "they", "ils", "mais", "but", "and", "et", "par"}
CATEGORY_WORDS = {
    "level": ("niveau", "niveaux", "level", "levels", "tier", "tiers", "rang", "palier", "paliers", "echelon"),
    "designation": (
        "qualification", "qualifications", "designation", "designations", "branding", "certification",
        "certifications", "specialisation", "specialisations", "specialization", "specializations", "competence",
        "competences", "accreditation", "accreditations", "label", "labels",
    ),
}  # fmt: skip
_NUMBERS = r"(?:deux|trois|quatre|cinq|six|two|three|four|five|six|\d)"
_ALL_CATEGORIES = "|".join(w for ws in CATEGORY_WORDS.values() for w in ws)
KNOWN_TIERS = ("gold", "silver", "platinum", "bronze", "premier", "select", "registered", "master", "elite",
               "advanced", "authorized", "certified", "diamond", "titanium")  # fmt: skip


def _title(name):
    return name[:1].upper() + name[1:]


def find_programs(text):
    n = Normalised(text)
    found = []

    def add(start, end, value, score):
        found.append(Candidate("program", text[start:end], start, end, value=value, score=score))

    # Named: capitalised words ending with program/programme
    for m in re.finditer(
        rf"\b((?:[A-Z][\w'&-]*(?:\.\w+)*)(?:[ \t]+[A-Za-z][\w'&-]*(?:\.\w+)*){{0,5}}?[ \t]+{PROGRAM_WORD})\b(?:[ \t]*\(([A-Z][A-Za-z0-9]{{1,7}})\))?",
        text,
    ):
        words = m.group(1).split()
        start = m.start(1)
        while words and normalize(words[0]).strip("'") in _STOP_START:
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else start
            words.pop(0)
        if len(words) < 2 or not words[0][:1].isupper() or not any(c.isalpha() for c in words[0]):
            continue
        if not all(w[:1].isupper() or normalize(w) in NAME_WORDS for w in words[1:-1]):
            continue  # "L'éditeur a annoncé un nouveau programme" is no name
        end = m.end(1)
        name = " ".join(words)
        acronym = m.group(2) or ""
        add(start, end, {"name": name, "acronym": acronym or None}, 90)
        if acronym:
            a_start, a_end = m.span(2)
            add(a_start, a_end, {"name": name, "acronym": acronym}, 90)
    # Quoted name next to "programme"/"accord": "« Frontline » le programme", "l'accord « Frontline »"
    quoted = r"[«“\"]\s*([A-Z][\w&.' -]{0,40}?)\s*[»”\"]"
    for m in re.finditer(
        quoted
        + r"\s*,?\s*(?:le |un |son |leur |the |a |its )?(?:nouveau |new )?(?:programme|program|partenariat|partnership|accord|alliance)",
        text,
    ):
        add(m.start(1), m.end(1), {"name": m.group(1).strip()}, 85)
    for m in re.finditer(r"(?:programme|program|accord|partenariat|partnership|alliance|initiative)\s+" + quoted, text):
        add(m.start(1), m.end(1), {"name": m.group(1).strip()}, 80)
    # "le programme Partner Plus" (a capitalised name right after the word)
    for m in re.finditer(
        r"\b(?:le |du |au )programme (?:de partenariat |partenaires? )?((?:[A-Z][\w-]+)(?: [A-Z][\w-]+){0,3})\b", text
    ):
        add(m.start(1), m.end(1), {"name": m.group(1)}, 75)
    # Unnamed: "un nouveau programme de partenariat axé sur le cloud computing", "a new partner program"
    for _m, start, end in n.finditer(
        r"\b(?:un |une |a |an |son |its |le |the )(?:nouveau |nouvel |new )(?:programme (?:de partenariat|partenaires?|de partenaires|channel|de distribution)"
        r"|(?:partner|channel|partnership|reseller) program(?:me)?)"
        r"(?: (?:axe|centre|dedie|consacre|oriente|tourne|focused|centred|centered|dedicated|aimed)[^.,;:()«»]{0,50})?"
    ):
        if any(c.start <= start < c.end + 40 for c in found):
            continue  # "« Frontline » le programme de partenariat": the named one
        described = text[start:end]
        add(start, end, {"name": None, "unnamed": True, "description": described.strip()}, 60)
    # Acronyms: the initials of a named program, or its stated acronym, elsewhere in the text
    acronyms = {}
    for c in found:
        name = c.value.get("name")
        if not name:
            continue
        for acronym in {c.value.get("acronym") or "", initials(name)} - {""}:
            acronyms.setdefault(acronym, name)
    for acronym, name in acronyms.items():
        for m in re.finditer(rf"(?<![\w(]){re.escape(acronym)}(?![\w)])", text):
            add(m.start(), m.end(), {"name": name, "acronym": acronym}, 80)
    # Fill in the acronym every mention of one program shares
    by_name = {}
    for c in found:
        if c.value.get("name") and c.value.get("acronym"):
            by_name.setdefault(normalize(re.sub(r"[Pp]rogramme\b", "Program", c.value["name"])), c.value["acronym"])
    for c in found:
        if c.value.get("name"):
            c.value.setdefault("acronym", None)
            c.value["acronym"] = c.value["acronym"] or by_name.get(
                normalize(re.sub(r"[Pp]rogramme\b", "Program", c.value["name"]))
            )
    return _dedupe(found)


def find_tiers(text, programs):
    """Tier candidates; ``programs`` (program candidates) give each tier the
    program named last before it."""
    n = Normalised(text)
    found = []

    def add(start, end, kind_hint):
        name = _title(text[start:end].strip())
        found.append(Candidate("tier", text[start:end], start, end, value={"name": name, "kind": kind_hint}, score=80))

    # Lists: "trois éléments : builder, provider, services reseller"
    for m, _start, _end in n.finditer(
        rf"\b{_NUMBERS} (elements|{_ALL_CATEGORIES}|offres|categories|options)(?: de partenariat| de partenaires)?\s*:\s*([^.\n;]+)"
    ):
        list_start, list_end = n.group_span(m, 2)
        items = re.split(r"\s*(?:,|\bet\b|\band\b|\bou\b|\bor\b)\s*", text[list_start:list_end])
        cursor = list_start
        kind_hint = _kind_of(m.group(1))
        for item in items:
            item = item.strip(' «»"“”')
            if not item or len(item.split()) > 4:
                continue
            i = text.index(item, cursor)
            cursor = i + len(item)
            add(i, i + len(item), kind_hint)
    # Quoted names in a sentence about levels: "trois niveaux de partenariat, dont un « Master »"
    for m, _start, _end in n.finditer(rf"\b(?:{_ALL_CATEGORIES})\b"):
        s_end = sentence_end(text, m.end())
        for q in re.finditer(r"[«“\"]\s*([^«»“”\"\n]{1,30}?)\s*[»”\"«]", text[m.end() : s_end]):
            word = normalize(q.group(1)).strip()
            if word in _ALL_CATEGORIES.split("|") or len(word.split()) > 3:
                continue
            q_start = m.end() + q.start(1)
            add(q_start, q_start + len(q.group(1)), _kind_of(m.group(0)))
    # "Gold level", "niveau Gold", "Gold partners"
    known = "|".join(KNOWN_TIERS)
    for m, _start, _end in n.finditer(
        rf"\b(?:(?:niveau|level|statut|status) ({known})|({known}) (?:level|tier|partners?|status))\b"
    ):
        g = 1 if m.group(1) else 2
        s, e = n.group_span(m, g)
        if text[s].isupper():
            add(s, e, "level")
    # Every further capitalised or quoted mention of a tier already found
    names = {normalize(c.value["name"]) for c in found}
    for name in names:
        for _m, start, end in n.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])"):
            quoted = text[max(0, start - 2) : start].strip()[-1:] in ("«", "“", '"')
            if text[start].isupper() or quoted:
                add(start, end, None)
    found = _dedupe(found)
    # Kind from the paragraph: qualifications/designations combine, levels rank
    for c in found:
        hint = c.value.get("kind")
        if not hint:
            same = [
                o for o in found if normalize(o.value["name"]) == normalize(c.value["name"]) and o.value.get("kind")
            ]
            hint = same[0].value["kind"] if same else None
        para = next(((s, e) for s, e in paragraphs(text) if s <= c.start < e), (0, len(text)))
        words = normalize(text[para[0] : para[1]])
        if hint in (None, "unknown"):
            if any(re.search(rf"\b{w}\b", words) for w in CATEGORY_WORDS["designation"]):
                hint = "designation"
            elif any(re.search(rf"\b{w}\b", words) for w in CATEGORY_WORDS["level"]):
                hint = "level"
        c.value["kind"] = hint or "level"
        before = [p for p in programs if p.start < c.start and p.value.get("name")]
        c.value["program"] = before[-1].value["name"] if before else None
        c.value["program_match"] = before[-1].match if before else None
    # One kind per tier name (the list's category may be vaguer than the next sentence's)
    for c in found:
        para = next(((s, e) for s, e in paragraphs(text) if s <= c.start < e), (0, len(text)))
        words = normalize(text[para[0] : sentence_end(text, para[1])])
        if c.value["kind"] == "level" and any(re.search(rf"\b{w}\b", words) for w in CATEGORY_WORDS["designation"]):
            if not any(re.search(rf"\b{w}\b", words) for w in CATEGORY_WORDS["level"]):
                c.value["kind"] = "designation"
    return found


def _kind_of(word):
    word = normalize(word)
    for kind, words in CATEGORY_WORDS.items():
        if word in words:
            return kind
    return None


def _dedupe(found):
    kept = []
    for c in sorted(found, key=lambda c: (-c.score, -(c.end - c.start), c.start)):
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    return sorted(kept, key=lambda c: c.start)
