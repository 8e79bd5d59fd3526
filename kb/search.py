"""One search over every kind of public record (``/search/?q=``): the
registry, the query, the two engines and highlighting.

Each domain app declares what of its records is searched in its own
``search.py`` (a ``SearchKind``, registered from ``AppConfig.ready()``);
``kb.search_index`` keeps the index (``kb.SearchEntry``) in step with the
records. A query is read once (``parse``), the same way on both engines:

- its words are folded (case, accents, ligatures, apostrophes) and French
  elisions dropped (``utilities.textsearch``); one-letter words and stop words
  are ignored, repeated words (or forms of one word) count once, and at most
  ``MAX_TERMS`` words are used: a 100-word query costs what an 8-word one does;
- each word matches its French or English stem (the last word, from four
  letters, also as a prefix: "micro" finds Microsoft), in any column of a record's entry: its names,
  titles, text and the names of what it links to ("Proctor Frontline");
- the glossary (``settings.KB_SEARCH_GLOSSARY``, reviewable YAML) adds the
  other language's terms and synonyms ("services managés" = "managed
  services");
- when nothing matches, misspelt words are replaced by the closest indexed
  words ("Did you mean ...?"; pg_trgm then rapidfuzz on PostgreSQL, rapidfuzz
  on SQLite).

Ranking within a kind: records whose names hold every word first, then those
whose names and titles hold them, then the rest; then the engine's relevance
(``ts_rank`` / ``bm25``). Kinds are listed by their best match, then in their
declared order. One SQL query finds the hits of every kind (top ``PER_KIND``
of each and each kind's count); one more per kind with hits loads the records.
"""

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from utilities.textsearch import STOPWORDS, fold, stems, word_spans, words

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
PER_KIND = 20
PREFIX_MIN = 4  # the query's last word, of 4+ letters, also matches longer words it starts


# -- registry -------------------------------------------------------------------


@dataclass(eq=False)
class SearchKind:
    """What an app's records contribute to the search.

    ``names``, ``titles``, ``body`` and ``related`` list attribute paths
    (``"program.acronym"``, ``"vendors.name"`` through a many-to-many) or
    callables ``obj -> str | list``; they fill the entry's four columns, ranked
    in that order. ``queryset`` gives the records to index (public ones only,
    with what the paths need prefetched). ``show(obj)`` gives what a result
    shows, a dict of ``title``, ``url`` and optionally ``meta`` (a list of
    short strings), ``text`` (a snippet is cut from it), ``lang`` and
    ``quote`` (the text is a quotation); it is stored in the entry for every
    site language, so the results page reads the index only. ``depends`` maps
    another model (``"vendors.Person"``) to the lookup from this model to it
    (``"person"``): saving that model re-indexes the records pointing at it."""

    key: str
    label: object
    model: type
    queryset: object
    show: object
    order: int = 100
    names: tuple = ()
    titles: tuple = ()
    body: tuple = ()
    related: tuple = ()
    depends: dict = field(default_factory=dict)
    accept: object = None  # optional: callable(list of objects) -> the ones to index
    evidence: bool = True  # the words of the record's passages (``passages``) join its related text

    def has_evidence(self):
        if not self.evidence:
            return False
        try:
            self.model._meta.get_field("passages")
        except Exception:
            return False
        return True

    def index_queryset(self):
        qs = self.queryset()
        return qs.prefetch_related("passages") if self.has_evidence() else qs


_KINDS = {}
_DEPENDENCIES = {}


def register(kind):
    _KINDS[kind.key] = kind
    return kind


def register_dependency(model_label, records):
    """Saving or deleting a ``model_label`` record changes the entries of the
    records ``records(instance)`` gives, as ``(model, pk)`` pairs (a passage
    changes the entry of the record it supports)."""
    _DEPENDENCIES.setdefault(model_label, []).append(records)


def dependencies(model):
    return _DEPENDENCIES.get(model._meta.label, [])


def kinds():
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))


def get_kind(key):
    return _KINDS.get(key)


def choice_labels(field_name):
    """A ``SearchKind`` column value: the label of a choice field in every
    site language ("level" and "niveau")."""

    def labels(obj):
        out = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                out.append(str(getattr(obj, f"get_{field_name}_display")()))
        return out

    return labels


# -- the query ------------------------------------------------------------------


def clean_query(raw):
    """Strip NUL bytes and control characters; cap the length."""
    raw = (raw or "").replace("\x00", " ")
    raw = "".join(c if c.isprintable() else " " for c in raw)
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def _query_words(text):
    """The words of ``text`` a query uses, in order: no one-letter words, no
    stop words, each word (or form of a word) once."""
    out, seen = [], set()
    for word in words(text):
        if len(word) < 2 or word in STOPWORDS:
            continue
        key = stems(word)[0]
        if key in seen or word in seen:
            continue
        seen.update((key, word))
        out.append(word)
    return out


def _same_word(a, b):
    return a == b or bool(set(stems(a)) & set(stems(b)))


@lru_cache(maxsize=4)
def _glossary(path):
    """The glossary as a list of entries, each a list of phrases (tuples of
    query words)."""
    if not path or not Path(path).exists():
        return ()
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    entries = []
    for item in data:
        phrases = []
        for lang in ("en", "fr"):
            for term in item.get(lang) or ():
                phrase = tuple(_query_words(term))
                if phrase and phrase not in phrases:
                    phrases.append(phrase)
        if len(phrases) > 1:
            entries.append(tuple(phrases))
    return tuple(entries)


def glossary():
    return _glossary(str(getattr(settings, "KB_SEARCH_GLOSSARY", "") or ""))


@dataclass(frozen=True)
class Query:
    """A parsed query: ``terms`` (the words used), ``clauses`` (one per term or
    glossary phrase; every clause must match; each is a tuple of alternative
    phrases, any of which may match), and what was left out."""

    text: str
    terms: tuple
    clauses: tuple
    dropped: tuple = ()

    def __bool__(self):
        return bool(self.terms)

    @property
    def alternatives_words(self):
        return {w for clause in self.clauses for phrase in clause for w in phrase}

    @property
    def prefix(self):
        """The word matched as a prefix too (the last one typed, as in a
        search-as-you-type box), or ''."""
        last = self.terms[-1] if self.terms else ""
        return last if len(last) >= PREFIX_MIN else ""


def parse(raw, max_terms=MAX_TERMS):
    text = clean_query(raw)
    all_terms = _query_words(text)
    terms, dropped = all_terms[:max_terms], all_terms[max_terms:]
    entries = glossary()
    clauses, i = [], 0
    while i < len(terms):
        best = None
        for phrases in entries:
            for phrase in phrases:
                n = len(phrase)
                if n > (best[0] if best else 0) and i + n <= len(terms):
                    if all(_same_word(terms[i + j], phrase[j]) for j in range(n)):
                        best = (n, phrases)
        if best:
            n, phrases = best
            own = tuple(terms[i : i + n])
            alternatives, seen = [], set()
            for phrase in (own, *phrases):
                key = frozenset(stems(w) for w in phrase)  # "managed service(s)": one alternative
                if key not in seen:
                    seen.add(key)
                    alternatives.append(phrase)
            clauses.append(tuple(alternatives))
            i += n
        else:
            clauses.append(((terms[i],),))
            i += 1
    return Query(text, tuple(terms), tuple(clauses), tuple(dropped))


def _with_terms(query, replacements):
    """The query with some words replaced (typo corrections)."""
    return parse(" ".join(replacements.get(t, t) for t in query.terms))


# -- engines ----------------------------------------------------------------------


SQLITE_CANDIDATES = 2000  # per branch, every kind together (SQLite)
CANDIDATES = 500  # per kind and branch (names, titles, anywhere): what is ranked for the top PER_KIND


class _SQLite:
    """FTS5 over ``kb_searchentry`` (fed with stems): ``MATCH`` expressions.
    For each kind, at most ``CANDIDATES`` entries whose names match, as many
    whose names or titles match, and as many that match anywhere are ranked
    (bm25 with the columns weighted)."""

    @staticmethod
    def word(w, prefix=""):
        parts = [f'"{s}"' for s in stems(w)]
        if w == prefix:
            parts.append(f'"{w}"*')
        return "(" + " OR ".join(parts) + ")"

    def expression(self, query):
        clauses = []
        for clause in query.clauses:
            alts = ["(" + " AND ".join(self.word(w, query.prefix) for w in phrase) + ")" for phrase in clause]
            clauses.append("(" + " OR ".join(alts) + ")")
        return " AND ".join(clauses)

    def hits(self, query, per_kind, keys):
        # One MATCH per branch over every kind (FTS5 loads a common word's
        # whole doclist for each MATCH, so per-kind MATCHes cost that many
        # times over); each branch stops at SQLITE_CANDIDATES rows.
        expr = self.expression(query)
        branch = (
            "SELECT * FROM (SELECT rowid AS id, {} AS tier, bm25(kb_searchentry_fts, 10.0, 4.0, 2.0, 1.0, 0.0) "
            "AS score FROM kb_searchentry_fts WHERE kb_searchentry_fts MATCH %s LIMIT %s)"
        )
        columns = {3: "names", 2: "names titles", 1: "names titles body related"}
        branches, params = [], []
        for tier, cols in columns.items():
            branches.append(branch.format(tier))
            params += [f"{{{cols}}} : ({expr})", SQLITE_CANDIDATES]
        sql = f"""
            WITH c AS ({" UNION ALL ".join(branches)}),
            h AS (SELECT id, MAX(tier) AS tier, MIN(score) AS score FROM c GROUP BY id)
            SELECT kind, display, tier, n FROM (
              SELECT e.kind, e.display, h.tier,
                ROW_NUMBER() OVER (PARTITION BY e.kind ORDER BY h.tier DESC, h.score, e.object_id) AS rn,
                COUNT(*) OVER (PARTITION BY e.kind) AS n
              FROM h JOIN kb_searchentry e ON e.id = h.id
            ) WHERE rn <= %s ORDER BY kind, rn"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, per_kind])
            rows = cursor.fetchall()
        capped = len({(k, n) for k, _d, _t, n in rows}) and sum(dict((k, n) for k, _d, _t, n in rows).values())
        return rows, capped >= SQLITE_CANDIDATES

    def candidates(self, word):
        """Indexed words close in length, for rapidfuzz to score."""
        from django.db.models.functions import Length

        from kb.models import SearchTerm

        n = len(word)
        return list(
            SearchTerm.objects.alias(n=Length("word"))
            .filter(n__gte=n - 2, n__lte=n + 2)
            .values_list("word", "documents")
        )


#: The names part of the PostgreSQL vector (weight A), as its GIN index
#: (kb/migrations/0008_search_names_index.py) spells it.
NAMES_VECTOR = "ts_filter(vector, '{a}')"


class _PostgreSQL:
    """The generated ``tsvector`` column (both languages' stems, weighted by
    column) and ``tsquery`` built with the same ``kb_french`` / ``kb_english``
    configurations, so PostgreSQL stems query and records alike. The GIN
    index on (kind, vector) gives one kind's matches; as on SQLite, at most
    ``CANDIDATES`` per kind and branch are ranked (``ts_rank``)."""

    @staticmethod
    def word(w, weights, params, prefix=""):
        label = f":{weights}" if weights else ""
        parts = ["to_tsquery('kb_french', %s)", "to_tsquery('kb_english', %s)"]
        params += [w + label, w + label]
        if w == prefix:
            parts.append("to_tsquery('simple', %s)")
            params.append(f"{w}:*{weights}")
        return "(" + " || ".join(parts) + ")"

    def expression(self, query, weights, params):
        clauses = []
        for clause in query.clauses:
            alts = []
            for phrase in clause:
                alts.append("(" + " && ".join(self.word(w, weights, params, query.prefix) for w in phrase) + ")")
            clauses.append("(" + " || ".join(alts) + ")")
        return " && ".join(clauses)

    def hits(self, query, per_kind, keys):
        # The tsquery expressions are written out where they are used (not
        # taken from a CTE): constant-folded at planning, they let the planner
        # use the GIN index on (kind, vector) for each kind.
        exprs = {}
        for name, weights in (("qa", ""), ("q1", "A"), ("q2", "AB")):
            params = []
            exprs[name] = (self.expression(query, weights, params), params)
        # Each branch ranks the rows it reads (no join back to the table
        # afterwards: at 100k entries the planner read the whole table to join
        # 4,000 candidates, 60 ms).
        rank_sql = (
            f"ts_rank(vector, ({exprs['qa'][0]})) AS score, "
            f"CASE WHEN vector @@ ({exprs['q1'][0]}) THEN 3 WHEN vector @@ ({exprs['q2'][0]}) THEN 2 "
            "ELSE 1 END AS tier"
        )
        rank_params = [*exprs["qa"][1], *exprs["q1"][1], *exprs["q2"][1]]
        branches, params = [], []
        # The names branch matches the names alone (weight A, ``ts_filter``)
        # through their own GIN index: matched on the whole vector with the
        # ":A" label, every row with the word anywhere was read and dropped
        # on recheck (30,000 tiers for "synthetic", 44 ms, to find none).
        sql_all, p_all = exprs["qa"]
        for key in keys:
            for target in (NAMES_VECTOR, "vector"):
                branches.append(
                    f"(SELECT id, kind, display, object_id, {rank_sql} FROM kb_searchentry "
                    f"WHERE kind = %s AND {target} @@ ({sql_all}) LIMIT %s)"
                )
                params += [*rank_params, key, *p_all, CANDIDATES]
        sql = f"""
            SELECT kind, display, tier, n FROM (
              SELECT kind, display, tier,
                ROW_NUMBER() OVER (PARTITION BY kind ORDER BY tier DESC, score DESC, object_id) AS rn,
                COUNT(*) OVER (PARTITION BY kind) AS n
              FROM (SELECT DISTINCT ON (id) * FROM ({" UNION ALL ".join(branches)}) b ORDER BY id) t
            ) r WHERE rn <= %s ORDER BY kind, rn"""
        # With LIMIT and a common word, the planner prefers reading the table
        # in order until it has 500 rows; for a kind where the word is rare,
        # that is the whole table (215 ms at 100k entries). The GIN index is
        # always the better way here ("synthetic" 680 -> 70 ms with the names
        # index), so the statement turns sequential scans off for itself: one
        # string, one round trip; in autocommit PostgreSQL runs it as one
        # transaction, so SET LOCAL ends with it (inside a caller's
        # transaction it lasts until that one ends, which changes plans, not
        # results).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off; " + sql, [*params, per_kind])
            rows = cursor.fetchall()
        return rows, None  # None: a kind is capped when its count reaches CANDIDATES

    def candidates(self, word):
        """The indexed words nearest by trigram similarity (pg_trgm's GIN
        index), and those of about the same length with the same first letter
        (short words share few trigrams: "cicso" and "cisco" two of ten), for
        rapidfuzz to score."""
        first = word[0]
        with connection.cursor() as cursor:
            cursor.execute(
                "(SELECT word, documents FROM kb_searchterm WHERE word %% %s "
                " ORDER BY similarity(word, %s) DESC, documents DESC LIMIT 20) "
                "UNION (SELECT word, documents FROM kb_searchterm "
                " WHERE word >= %s AND word < %s AND length(word) BETWEEN %s AND %s LIMIT 5000)",
                [word, word, first, chr(ord(first) + 1), len(word) - 2, len(word) + 2],
            )
            return cursor.fetchall()


def engine():
    return _PostgreSQL() if connection.vendor == "postgresql" else _SQLite()


# -- typos ------------------------------------------------------------------------


def _closest(word, candidates):
    """The candidate nearest ``word`` (optimal string alignment distance: a
    swap of two letters is one edit), if near enough; ties go to the word in
    more records."""
    from rapidfuzz.distance import OSA

    limit = 1 if len(word) <= 7 else 2
    best = None
    for candidate, documents in candidates:
        if candidate == word:
            return None
        distance = OSA.distance(word, candidate, score_cutoff=limit)
        if distance <= limit:
            key = (distance, -documents, candidate)
            if best is None or key < best[0]:
                best = (key, candidate)
    return best[1] if best else None


def corrections(query):
    """{misspelt word: closest indexed word} for the query's words that are
    not indexed words."""
    from kb.models import SearchTerm

    known = set(SearchTerm.objects.filter(word__in=query.terms).values_list("word", flat=True))
    backend = engine()
    out = {}
    for term in query.terms:
        if term in known or term.isdigit() or len(term) < 3:
            continue
        closest = _closest(term, backend.candidates(term))
        if closest:
            out[term] = closest
    return out


# -- results ----------------------------------------------------------------------


@dataclass
class Group:
    kind: SearchKind
    total: int
    rows: list
    best: int  # 3: a name holds every word; 2: names and titles; 1: anywhere
    capped: bool = False  # more matches than were counted: ``total`` is a lower bound

    def __iter__(self):  # ``for kind, total, rows in groups``
        return iter((self.kind, self.total, self.rows))


@dataclass
class SearchResults:
    query: Query
    groups: list = field(default_factory=list)
    suggestion: str = ""  # "Did you mean ...?": the corrected query, when used
    original: str = ""  # the query as typed, when the results are for the suggestion

    @property
    def total(self):
        return sum(g.total for g in self.groups)

    @property
    def capped(self):
        """Some kind has more matches than were counted."""
        return any(g.capped for g in self.groups)

    @property
    def matcher(self):
        return Matcher.for_query(self.query)


def _groups(query, per_kind):
    language = translation.get_language() or settings.LANGUAGE_CODE
    keys = [k.key for k in kinds()]
    by_kind = {}
    rows, all_capped = engine().hits(query, per_kind, keys)
    for key, display, tier, n in rows:
        if isinstance(display, str):
            display = json.loads(display)
        entry = by_kind.setdefault(key, {"rows": [], "n": n, "best": tier})
        entry["rows"].append(display.get(language) or display.get(settings.LANGUAGE_CODE) or {})
        entry["best"] = max(entry["best"], tier)
    groups = []
    for key, entry in by_kind.items():
        kind = get_kind(key)
        if kind is not None:
            capped = entry["n"] >= CANDIDATES if all_capped is None else all_capped
            groups.append(Group(kind, entry["n"], entry["rows"], entry["best"], capped))
    groups.sort(key=lambda g: (-g.best, g.kind.order, g.kind.key))
    return groups


def search(raw_query, per_kind=PER_KIND):
    """The results of a query (``SearchResults``): groups of records by kind,
    each with its count; when nothing matches and some words look misspelt,
    the results of the corrected query with ``suggestion`` set."""
    query = raw_query if isinstance(raw_query, Query) else parse(raw_query)
    results = SearchResults(query)
    if not query:
        return results
    results.groups = _groups(query, per_kind)
    if not results.groups:
        fixes = corrections(query)
        if fixes:
            corrected = _with_terms(query, fixes)
            groups = _groups(corrected, per_kind)
            if groups:
                return SearchResults(corrected, groups, suggestion=" ".join(corrected.terms), original=query.text)
    return results


# -- highlighting -------------------------------------------------------------------


class Matcher:
    """Which words of a text a query matched: same stem (French or English),
    or starting with the query's prefix word (``Query.prefix``)."""

    def __init__(self, query_words, prefix=""):
        self.stems = {s for w in query_words for s in stems(w)}
        self.prefixes = (prefix,) if prefix else ()

    @classmethod
    @lru_cache(maxsize=256)
    def for_query(cls, query):
        return cls(tuple(sorted(query.alternatives_words)), query.prefix)

    @classmethod
    def for_text(cls, text):
        return cls.for_query(parse(text))

    def matches(self, word):
        return any(s in self.stems for s in stems(word)) or word.startswith(self.prefixes or ("\0",))

    def spans(self, text):
        return [(s, e) for s, e, w in word_spans(text) if self.matches(w)]


def _as_matcher(query):
    if isinstance(query, Matcher):
        return query
    if isinstance(query, SearchResults):
        return query.matcher
    if isinstance(query, Query):
        return Matcher.for_query(query)
    return Matcher.for_text(str(query or ""))


def highlight(text, query):
    """HTML: ``text`` escaped, each word ``query`` matched (any form of it)
    wrapped in <mark>. ``query`` is a query string, a ``Query``, a
    ``Matcher`` or ``SearchResults``."""
    text = "" if text is None else str(text)
    if not text:
        return ""
    spans = _as_matcher(query).spans(text)
    if not spans:
        return escape(text)
    out, pos = [], 0
    for s, e in spans:
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


def snippet(text, query, before=80, length=240):
    """The part of ``text`` around its first matched word (the start of the
    text when nothing matches), cut at word boundaries, highlighted."""
    text = "" if text is None else str(text)
    spans = _as_matcher(query).spans(text) if text else []
    start = 0
    if spans and spans[0][0] > before:
        start = text.rfind(" ", 0, spans[0][0] - before) + 1
    end = len(text)
    if end - start > length:
        end = text.rfind(" ", start, start + length)
        end = start + length if end <= start else end
    piece = highlight(text[start:end], query)
    return mark_safe(("… " if start else "") + piece + (" …" if end < len(text) else ""))


def folded(text):
    """Exposed for templates and tests: the text as the search reads it."""
    return fold(text)
