"""One search over every kind of public record (``/search/?q=``).

- PostgreSQL: full-text search (``SearchVector``/``SearchQuery``) with the
  ``kb_search`` configuration (simple + unaccent, kb migration 0002) and GIN
  expression indexes on the main tables (kb migration 0003); names weigh
  more than descriptions in the rank.
- SQLite (and anything else): every word must appear in one of the fields,
  compared normalized (lowercase, no accents); name matches rank first.

``utilities.text.highlight`` marks the query's words in a result.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from utilities.text import Normalized, clean_query, normalize

from .registry import registry

SEARCH_CONFIG = "kb_search"
PER_KIND = 20


@dataclass
class SearchKind:
    """One kind of record the site search looks in, registered by its app
    (``kb.registry.register_search``). ``order`` places its group on the
    results page; ``name_fields`` weigh more than ``text_fields`` in the rank
    (and the PostgreSQL GIN index of the model's table is built on exactly
    these fields, see ``index_sql``)."""

    key: str
    label: object
    queryset: object  # callable returning the published base queryset
    name_fields: tuple
    text_fields: tuple
    order: int = 100

    @property
    def model(self):
        return self.queryset().model


def kinds():
    """Every registered kind, in the order of the results page."""
    return list(registry.search_kinds)


def index_sql(kind):
    """(table, the GIN index's expression): the weighted vector
    ``_search_postgres`` builds for ``kind``, as SQL."""

    def vector(fields, weight):
        text = " || ' ' || ".join(f"COALESCE({f}, '')" for f in fields)
        return f"setweight(to_tsvector('{SEARCH_CONFIG}'::regconfig, {text}), '{weight}')"

    table = kind.model._meta.db_table
    return table, f"({vector(kind.name_fields, 'A')} || {vector(kind.text_fields, 'B')})"


def _search_postgres(kind, query, queryset=None):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector(*kind.name_fields, weight="A", config=SEARCH_CONFIG) + SearchVector(
        *kind.text_fields, weight="B", config=SEARCH_CONFIG
    )
    sq = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        (kind.queryset() if queryset is None else queryset)
        .annotate(_vector=vector)
        .filter(_vector=sq)
        .annotate(_rank=SearchRank(vector, sq))
        .order_by("-_rank", "pk")
    )


def _search_normalized(kind, query):
    terms = normalize(query).split()
    fields = kind.name_fields + kind.text_fields
    aliases = {f"_s{i}": Normalized(f) for i, f in enumerate(fields)}
    qs = kind.queryset().alias(**aliases)
    names = [f"_s{i}" for i in range(len(kind.name_fields))]
    name_match = Q()
    for term in terms:
        any_field = Q()
        any_name = Q()
        for alias in aliases:
            any_field |= Q(**{f"{alias}__contains": term})
        for alias in names:
            any_name |= Q(**{f"{alias}__contains": term})
        qs = qs.filter(any_field)
        name_match &= any_name
    return qs.annotate(
        _rank=Case(When(name_match, then=Value(2)), default=Value(1), output_field=IntegerField())
    ).order_by("-_rank", "pk")


def search(raw_query, per_kind=PER_KIND):
    """[(kind, total, [objects])] for every kind with results."""
    query = clean_query(raw_query)
    if not normalize(query).strip():
        return []
    run = _search_postgres if connection.vendor == "postgresql" else _search_normalized
    groups = []
    for kind in kinds():
        qs = run(kind, query)
        rows = list(qs[: per_kind + 1])
        if rows:
            total = len(rows) if len(rows) <= per_kind else qs.count()
            groups.append((kind, total, rows[:per_kind]))
    return groups


def _index_name(table):
    return f"{table}_kb_search"


def create_search_indexes(schema_editor, replace=False):
    """For migrations: the GIN index of every registered kind whose table
    exists (PostgreSQL only; idempotent). ``replace`` rebuilds existing ones
    (after a change of a kind's fields)."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    tables = set(connection.introspection.table_names())
    for kind in kinds():
        table, expression = index_sql(kind)
        if table not in tables:  # its app's migrations create it later, then call this again
            continue
        if replace:
            schema_editor.execute(f"DROP INDEX IF EXISTS {_index_name(table)}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {_index_name(table)} ON {table} USING gin ({expression})")


def drop_search_indexes(schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for kind in kinds():
        schema_editor.execute(f"DROP INDEX IF EXISTS {_index_name(index_sql(kind)[0])}")
