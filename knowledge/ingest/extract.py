"""Text -> candidates. See the package docstring."""

import re

from utilities.text import normalize

from . import nlp
from .benefits import find_benefits
from .candidates import Candidate
from .dates import DateRules
from .figures import figures
from .gazetteer import Gazetteer, key
from .programs import find_programs, find_tiers
from .quotes import find_quotes
from .textmap import paragraphs

# Organisation-looking names that are events or products, not organisations.
EVENT_WORDS = re.compile(
    r"\b(summit|conference|conférence|salon|forum|expo|congres|congrès|keynote|sommet|world tour)\b", re.I
)
ENTITY_KINDS = ("person", "organisation", "place", "program", "tier")
CONNECTORS = {"de", "du", "des", "d", "la", "le", "of", "and", "&", "-", "von", "van", "der", "y", "e"}


def extract(text, language, gazetteer=None, source_date=None):
    """Candidates found in ``text`` (a list sorted by position).

    ``language`` 'fr' or 'en' (anything else raises ``UnsupportedLanguage``);
    ``gazetteer`` the known records (``Gazetteer.from_database()``; empty
    when None); ``source_date`` the source's publication date, if known, for
    relative dates."""
    gazetteer = gazetteer if gazetteer is not None else Gazetteer()
    doc = nlp.pipeline(language)(nlp.prepare(text))
    found = []

    # 1. Names the knowledge base already knows, wherever they are written
    # (and focus areas, whether a record or a term for one: see below).
    focus = []
    for start, end, entry in gazetteer.find(text):
        if entry.kind == "focus_area":
            score = 100 if entry.slug else 70
            value = {"name": entry.name}
            focus.append(Candidate("focus_area", text[start:end], start, end, value, entry.slug, entry.model, score))
            continue
        if entry.kind not in ENTITY_KINDS:
            continue
        value = {"name": entry.name}
        if entry.kind == "tier":
            value.update(kind=entry.extra.get("kind"), program=None, program_match=entry.extra.get("program"))
        found.append(Candidate(entry.kind, text[start:end], start, end, value, entry.slug, entry.model, 100))

    # 2. Programs and tiers by rule.
    programs = find_programs(text)
    for c in programs:
        _link(c, gazetteer, {"program"})
    found += programs
    tiers = find_tiers(text, programs)
    for c in tiers:
        _link(c, gazetteer, {"tier"})
    found += tiers

    # 3. Named entities (spaCy), cleaned and matched.
    for ent in doc.ents:
        label = nlp.LABELS.get(ent.label_)
        if not label:
            continue
        spans = (
            _split(text, ent.start_char, ent.end_char)
            if label in ("organisation", "misc")
            else [(ent.start_char, ent.end_char)]
        )
        for start, end in spans:
            c = _entity(text, start, end, label, gazetteer)
            if c:
                found.append(c)

    # 4. Places stated as phrases ("partout dans le monde").
    norm = normalize(text)
    if len(norm) == len(text):
        for phrase in ("partout dans le monde", "dans le monde entier", "worldwide", "around the world"):
            for m in re.finditer(rf"\b{phrase}\b", norm):
                found.append(
                    Candidate("place", text[m.start() : m.end()], m.start(), m.end(), {"name": "Worldwide"}, score=70)
                )

    entities = _resolve(found)
    entities = _attach_vendors(text, entities)
    # A focus area inside a name is part of it ("Managed Services Channel Program", "Cloud partner program").
    entities += [f for f in focus if not any(f.start < c.end and c.start < f.end for c in entities)]

    # 5. Dates, figures, quotations.
    dates = DateRules(text, language, source_date, _fiscal_calendar(text, entities, gazetteer)).run()
    numbers = [f for f in figures(text) if not any(f.start < d.end and d.start < f.end for d in dates)]
    persons = sorted((c for c in entities if c.kind == "person"), key=lambda c: c.start)
    quotes = find_quotes(text, persons)
    for q in quotes:
        q.value["language"] = _quote_language(q.text, language)
    programs = sorted((c for c in entities if c.kind == "program"), key=lambda c: c.start)
    benefits = [b for b in find_benefits(text, programs) if not any(q.start <= b.start < q.end for q in quotes)]
    return sorted(entities + dates + numbers + quotes + benefits, key=lambda c: (c.start, c.end, c.kind))


def _link(c, gazetteer, kinds):
    name = c.value.get("name")
    if not name:
        return
    entry, score = gazetteer.match(name, kinds=kinds)
    if not entry and c.value.get("acronym"):
        entry, score = gazetteer.match(c.value["acronym"], kinds=kinds)
    if entry:
        c.match, c.model, c.score = entry.slug, entry.model, max(c.score, score)
        c.value["name"] = entry.name


def _split(text, start, end):
    """A NER span that runs over lower-case words ("HP mécontente Cisco") is
    split into its capitalised runs; trailing punctuation is dropped."""
    runs, run = [], None
    for m in re.finditer(r"[\w.'&-]+", text[start:end]):
        word = m.group().strip(".'")
        s, e = start + m.start(), start + m.end()
        keep = word[:1].isupper() or word[:1].isdigit() or (run and normalize(word) in CONNECTORS)
        if keep and word:
            run = [run[0], e] if run else [s, e]
        else:
            if run:
                runs.append(run)
            run = None
    if run:
        runs.append(run)
    out = []
    for s, e in runs:
        # drop trailing connectors and punctuation ("Frontline » de" -> "Frontline")
        words = list(re.finditer(r"\S+", text[s:e]))
        while words and (normalize(words[-1].group()) in CONNECTORS or not re.search(r"\w", words[-1].group())):
            words.pop()
        if not words:
            continue
        e = s + words[-1].end()
        while e > s and text[e - 1] in ".'’-&":
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _entity(text, start, end, label, gazetteer):
    surface = text[start:end]
    if len(surface) < 2 or not re.search(r"[A-Za-zÀ-ÿ]", surface):
        return None
    if label == "misc":
        entry, score = gazetteer.match(surface, kinds={"organisation", "program", "person"})
        if entry:
            return Candidate(entry.kind, surface, start, end, {"name": entry.name}, entry.slug, entry.model, score)
        if re.fullmatch(r"[\w-]+\.(com|net|org|fr|io|co\.uk|de)", surface, re.I):
            return Candidate("organisation", surface, start, end, {"name": surface}, score=60)
        return None
    if label == "organisation" and EVENT_WORDS.search(surface):
        return None
    kinds = {label}
    if label == "organisation":
        kinds.add("program")
    entry, score = gazetteer.match(surface, kinds=kinds)
    if entry:
        value = {"name": entry.name}
        return Candidate(entry.kind, surface, start, end, value, entry.slug, entry.model, score)
    if label == "person":
        words = surface.split()
        if len(words) < 2 or not all(w[:1].isupper() or normalize(w) in CONNECTORS for w in words):
            return None
        return Candidate("person", surface, start, end, {"name": surface}, score=70)
    if label == "place":
        return Candidate("place", surface, start, end, {"name": gazetteer.place(surface)}, score=65)
    return Candidate(label, surface, start, end, {"name": surface}, score=60)


def _resolve(found):
    """One candidate per stretch of text: rules and known names before NER.
    A name NER took for an organisation that is a program's name becomes that program."""
    programs = {key(c.value.get("name") or ""): c for c in found if c.kind == "program" and c.value.get("name")}
    programs.update({key(c.value["acronym"]): c for c in found if c.kind == "program" and c.value.get("acronym")})
    kept = []
    for c in sorted(found, key=lambda c: (-c.score, -(c.end - c.start), c.start)):
        if c.kind == "organisation" and key(c.text) in programs:
            p = programs[key(c.text)]
            c = Candidate("program", c.text, c.start, c.end, dict(p.value), p.match, p.model, c.score)
        if any(c.start < k.end and k.start < c.end for k in kept):
            continue
        kept.append(c)
    # People named by their full name once, then by surname: same person.
    people = [c for c in kept if c.kind == "person"]
    for c in people:
        for other in people:
            if other is not c and other.value["name"].endswith(" " + c.value["name"]):
                c.value["name"], c.match, c.model = other.value["name"], other.match, other.model
    return kept


def _attach_vendors(text, entities):
    """Give each program and person the organisation named nearest to it in its
    paragraph (the vendor running it, the employer): a hint for review."""
    orgs = [c for c in entities if c.kind == "organisation"]
    spans = paragraphs(text)
    for c in entities:
        if c.kind not in ("program", "person"):
            continue
        para = next(((s, e) for s, e in spans if s <= c.start < e), (0, len(text)))
        near = [o for o in orgs if para[0] <= o.start < para[1]] or [o for o in orgs if o.end <= c.start][-1:]
        if near:
            best = min(near, key=lambda o: abs(o.start - c.start))
            c.value["organisation"] = best.value.get("name")
            if best.match:
                c.value["organisation_match"] = best.match
    return entities


def _fiscal_calendar(text, entities, gazetteer):
    orgs = sorted((c for c in entities if c.kind == "organisation"), key=lambda c: c.start)

    def calendar(start, end):
        # the vendor named in the date's sentence, after it first, else the last before it
        around = [o for o in orgs if start <= o.start <= end] or [o for o in orgs if o.end <= start][-1:]
        if not around:
            return None
        vendor = around[0]
        month = None
        if vendor.match:
            entry = next((e for e in gazetteer.entries if e.slug == vendor.match and e.kind == "organisation"), None)
            month = entry.extra.get("fiscal_year_start_month") if entry else None
        return vendor.value.get("name") or vendor.text, month

    return calendar


def _quote_language(quote, language):
    detected = nlp.detect_language(quote) if len(quote.split()) >= 3 else None
    return detected if detected in nlp.SUPPORTED_LANGUAGES else language
