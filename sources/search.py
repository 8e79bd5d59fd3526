"""What of this app the site search finds (see kb.search): sources by their
titles, quotes by their words and by who said them, about what, and
passages (the sources' own words) with the record each supports. The words
of a record's passages are also part of that record's entry (kb adds them for
every model with ``passages``), so a record is found by its source's words."""

from django.utils.translation import gettext_lazy as _

from kb.search import SearchKind, kinds, register, register_dependency

from .models import Passage, Quote, Source

# The records passages point at, by the lookup from a passage to them
# (their GenericRelation's related_query_name).
PASSAGE_TARGETS = {
    "programs.Program": "program",
    "programs.Tier": "tier",
    "programs.Benefit": "benefit",
    "programs.ProgramEvent": "event",
    "programs.FocusArea": "focus_area",
    "vendors.Vendor": "vendor",
    "vendors.Person": "person",
    "vendors.VendorRelation": "vendor_relation",
    "sources.Quote": "quote",
    "partners.Partner": "partner",
}


def _public_targets(passages):
    """The passages whose record is public (indexed by its own kind, or
    published for records no kind shows)."""
    by_type = {}
    for p in passages:
        by_type.setdefault(p.content_type_id, []).append(p)
    kept = []
    for group in by_type.values():
        model = group[0].content_type.model_class()
        kind = next((k for k in kinds() if k.model is model), None)
        if kind is not None:
            qs = kind.queryset()
        else:
            qs = model._default_manager.all()
            qs = qs.published() if hasattr(qs, "published") else qs
        public = set(qs.filter(pk__in=[p.object_id for p in group]).values_list("pk", flat=True))
        kept += [p for p in group if p.object_id in public]
    return kept


def _target_of(passage):
    model = passage.content_type.model_class()
    return [(model, passage.object_id)] if model is not None else []


def register_kinds():
    register(
        SearchKind(
            key="quotes",
            label=_("Quotes"),
            model=Quote,
            order=70,
            queryset=lambda: Quote.objects.published().select_related("person", "source", "program", "vendor"),
            show=lambda q: {
                "title": q.person.name,
                "url": q.get_absolute_url(),
                "text": q.text,
                "lang": q.language,
                "quote": True,
            },
            titles=("text",),
            body=("context",),
            related=("person.name", "program.name", "program.acronym", "vendor.name", "source.title"),
            depends={
                "vendors.Person": "person",
                "programs.Program": "program",
                "vendors.Vendor": "vendor",
                "sources.Source": "source",
            },
        )
    )
    register(
        SearchKind(
            key="passages",
            label=_("Passages of the sources"),
            model=Passage,
            order=85,
            queryset=lambda: (
                Passage.objects.published().select_related("source", "content_type").prefetch_related("target")
            ),
            accept=_public_targets,
            evidence=False,
            show=lambda p: {
                "title": str(p.target) if p.target is not None else p.source.title,
                "url": p.get_absolute_url(),
                "meta": [p.source.title],
                "text": p.exact,
                "lang": p.source.language,
                "quote": True,
            },
            titles=("exact",),
            body=("note",),
            # The record it supports, not the source's title (every passage of
            # an article would match its title's words).
            related=(lambda p: str(p.target) if p.target is not None else "",),
            depends={**PASSAGE_TARGETS, "sources.Source": "source"},
        )
    )
    register_dependency("sources.Passage", _target_of)
    register(
        SearchKind(
            key="sources",
            label=_("Sources"),
            model=Source,
            order=90,
            queryset=lambda: Source.objects.published(),
            show=lambda s: {"title": s.title, "meta": [s.outlet], "text": s.summary},
            names=("title",),
            titles=("outlet",),
            body=("summary",),
        )
    )
