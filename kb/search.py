"""One search over every kind of public record (``/search/?q=``).

- PostgreSQL: full-text search (``SearchVector``/``SearchQuery``) with the
  ``kb_search`` configuration (simple + unaccent, kb migration 0002) and GIN
  expression indexes on the main tables (kb migration 0003); names weigh
  more than descriptions in the rank.
- SQLite (and anything else): every word must appear in one of the fields,
  compared normalized (lowercase, no accents); name matches rank first.

``utilities.text.highlight`` marks the query's words in a result.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils.translation import gettext_lazy as _

from utilities.text import Normalized, clean_query, normalize

SEARCH_CONFIG = "kb_search"
PER_KIND = 20


@dataclass
class SearchKind:
    key: str
    label: object
    queryset: object  # callable returning the published base queryset
    name_fields: tuple
    text_fields: tuple
    title: object = None  # callable(obj) -> str shown as the result's title
    snippet_fields: tuple = field(default=())


def _kinds():
    from partners.models import Partner
    from programs.models import Benefit, Program, ProgramEvent, Tier
    from sources.models import Quote, Source
    from vendors.models import Person, Vendor

    return [
        SearchKind(
            "programs",
            _("Programs"),
            lambda: Program.objects.published().prefetch_related(
                Prefetch("vendors", queryset=Vendor.objects.published())
            ),
            ("name", "acronym"),
            ("summary", "description", "scope", "launch_window", "rollout_notes"),
        ),
        SearchKind(
            "tiers",
            _("Levels and designations"),
            lambda: Tier.objects.published().select_related("program"),
            ("name",),
            ("summary", "requirements", "benefits_text"),
        ),
        SearchKind(
            "benefits",
            _("Benefits"),
            lambda: Benefit.objects.published().select_related("program"),
            ("title",),
            ("description",),
        ),
        SearchKind(
            "vendors",
            _("Vendors"),
            lambda: Vendor.objects.published(),
            ("name",),
            ("summary", "description", "headquarters"),
        ),
        SearchKind(
            "people",
            _("People"),
            lambda: Person.objects.published().select_related("employer"),
            ("name",),
            ("title",),
        ),
        SearchKind(
            "events",
            _("Events"),
            lambda: ProgramEvent.objects.published(),
            ("title",),
            ("description", "place", "date_text"),
        ),
        SearchKind(
            "quotes",
            _("Quotes"),
            lambda: Quote.objects.published().select_related("person", "source"),
            ("text",),
            ("context",),
        ),
        SearchKind(
            "partners",
            _("Partners"),
            lambda: Partner.objects.published(),
            ("name",),
            ("description", "country"),
        ),
        SearchKind(
            "sources",
            _("Sources"),
            lambda: Source.objects.published(),
            ("title",),
            ("outlet", "summary"),
        ),
    ]


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
    for kind in _kinds():
        qs = run(kind, query)
        rows = list(qs[: per_kind + 1])
        if rows:
            total = len(rows) if len(rows) <= per_kind else qs.count()
            groups.append((kind, total, rows[:per_kind]))
    return groups
