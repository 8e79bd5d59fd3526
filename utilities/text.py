"""Accent- and case-insensitive text matching that works the same on SQLite
and PostgreSQL.

``normalize("Compétence")`` gives ``"competence"``; the ``Normalized`` database
function does the same inside a query: ``LOWER(UNACCENT(x))`` on PostgreSQL
(the ``unaccent`` extension is created by kb's migration 0002) and a Python
function registered on every SQLite connection (connected in ``utilities.apps``).
"""

import unicodedata

from django.db import models

SQLITE_FUNCTION = "kb_normalize"


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
