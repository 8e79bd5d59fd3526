"""Accent- and case-insensitive text matching that works the same on SQLite
and PostgreSQL.

``normalize("Compétence")`` gives ``"competence"``; the ``Normalized`` database
function does the same inside a query: ``LOWER(UNACCENT(x))`` on PostgreSQL
(the ``unaccent`` extension is created by kb's migration 0002) and a Python
function registered on every SQLite connection (connected in ``utilities.apps``).
"""

import unicodedata

from django.db import models
from django.utils.html import escape
from django.utils.safestring import mark_safe

SQLITE_FUNCTION = "kb_normalize"
MAX_QUERY_LENGTH = 200


def normalize(value):
    """Lowercase, strip accents and fold compatibility characters."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(value))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalize_with_map(value):
    """``normalize`` plus, for each character of the result, the index of the
    character of ``value`` it comes from (to highlight matches in the original)."""
    out, index = [], []
    for i, char in enumerate(value):
        for c in normalize(char):
            out.append(c)
            index.append(i)
    return "".join(out), index


class Normalized(models.Func):
    """``normalize()`` in SQL. Use with ``__contains=normalize(term)``."""

    output_field = models.TextField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):
        if connection.vendor == "postgresql":
            return super().as_sql(compiler, connection, template="LOWER(UNACCENT(%(expressions)s))", **extra)
        if connection.vendor == "sqlite":
            return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra)
        return super().as_sql(compiler, connection, function="LOWER", **extra)


def register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, normalize, deterministic=True)


def clean_query(raw):
    """Strip NUL bytes and control characters; cap the length."""
    raw = (raw or "").replace("\x00", " ")
    raw = "".join(c if c.isprintable() else " " for c in raw)
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def highlight(text, query):
    """HTML: ``text`` escaped, with each word of ``query`` (accent- and
    case-insensitively) wrapped in <mark>."""
    text = "" if text is None else str(text)
    terms = [t for t in normalize(clean_query(query)).split() if t]
    if not text or not terms:
        return escape(text)
    norm, index = normalize_with_map(text)
    spans = []
    for term in terms:
        start = norm.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((index[start], index[end - 1] + 1))
            start = norm.find(term, end)
    if not spans:
        return escape(text)
    spans.sort()
    merged = [spans[0]]
    for s, e in spans[1:]:
        if s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    out, pos = [], 0
    for s, e in merged:
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))
