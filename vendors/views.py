from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from kb.exports import ExportColumn, label_of, page_column, sources_column
from kb.models import Language
from kb.views import FACET_LIMIT, Facet, FilteredListView
from sources.models import Quote

from .filtersets import PersonFilterSet, VendorFilterSet
from .models import Person, RelationKind, Vendor, VendorRelation


def relation_counts(ids, **kwargs):
    """Vendors per relation kind, a vendor counted once whichever side of the
    relation it is on (as the `relation` filter selects them)."""
    rows = (
        VendorRelation.objects.published()
        .filter(Q(vendor__in=ids) | Q(other_vendor__in=ids))
        .values_list("kind", "vendor_id", "other_vendor_id")
    )
    matching = set(ids.values_list("pk", flat=True))
    vendors = {}
    for kind, a, b in rows:
        vendors.setdefault(kind, set()).update(v for v in (a, b) if v in matching)
    return [(k, None, len(v)) for k, v in vendors.items()]


class VendorListView(FilteredListView):
    template_name = "vendors/vendor_list.html"
    cache_depends_on = ("vendors", "programs")
    filterset_class = VendorFilterSet
    paginate_by = 50
    page_title = _("Vendors")
    export_name = "vendors"
    api_list = "api-vendor-list"
    facets = [Facet("relation", None, counter=relation_counts)]
    columns = [(_("Name"), "name"), (_("Summary"), None), (_("Headquarters"), "headquarters"), (_("Programs"), None)]
    export_columns = [
        ExportColumn("slug", _("slug"), "slug"),
        ExportColumn("name", _("name"), "name"),
        ExportColumn("summary", _("summary"), "summary"),
        ExportColumn("headquarters", _("headquarters"), "headquarters"),
        ExportColumn("website", _("website"), "website", kind="link"),
        ExportColumn("fiscal_year_start_month", _("fiscal year start month"), label_of("fiscal_year_start_month")),
        ExportColumn(
            "fiscal_year_start_month_code", _("fiscal year start month (number)"), "fiscal_year_start_month", "number"
        ),
        ExportColumn("programs", _("programs"), lambda v: "; ".join(p.name for p in v.published_programs)),
        sources_column(),
        page_column(),
    ]

    def base_queryset(self):
        return Vendor.objects.for_list().order_by("name", "pk")


class VendorDetailView(DetailView):
    template_name = "vendors/vendor_detail.html"
    cache_depends_on = ("vendors", "programs", "sources")

    def get_queryset(self):
        return Vendor.objects.for_detail()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["relation_kinds"] = RelationKind
        ctx["events"] = self.object.timeline()
        return ctx


def quotes_of(ids):
    """The published quotes of the listed people (facets reached through them)."""
    return Quote.objects.published().filter(person__in=ids)


class PersonListView(FilteredListView):
    """``/people/``: who the sources name or quote, with their employer and
    what they are quoted about."""

    template_name = "vendors/person_list.html"
    filterset_class = PersonFilterSet
    paginate_by = 50
    page_title = _("People")
    export_name = "people"
    api_list = "api-person-list"
    facets = [
        Facet("employer", "employer__slug", "employer__name", limit=FACET_LIMIT, only={"employer__is_published": True}),
        Facet("program", "program__slug", "program__name", limit=FACET_LIMIT, links=quotes_of, owner="person"),
        Facet("vendor", "vendor__slug", "vendor__name", limit=FACET_LIMIT, links=quotes_of, owner="person"),
        Facet("source", "source__slug", "source__title", limit=FACET_LIMIT, links=quotes_of, owner="person"),
        Facet("language", "language", links=quotes_of, owner="person"),
    ]
    columns = [(_("Name"), "name"), (_("Role"), None), (_("Employer"), "employer"), (_("Quotes"), None)]
    export_columns = [
        ExportColumn("slug", _("slug"), "slug"),
        ExportColumn("name", _("name"), "name"),
        ExportColumn("title", _("role"), "title"),
        ExportColumn("employer", _("employer"), lambda p: p.employer.name if p.employer else None),
        ExportColumn("employer_slug", _("employer (slug)"), lambda p: p.employer.slug if p.employer else None),
        ExportColumn("quotes", _("number of quotes"), lambda p: len(p.published_quotes), kind="number"),
        ExportColumn(
            "quoted_about",
            _("quoted about"),
            lambda p: "; ".join(dict.fromkeys(str(q.program or q.vendor) for q in p.published_quotes)),
        ),
        sources_column(),
        page_column(),
    ]

    def base_queryset(self):
        return (
            Person.objects.published()
            .select_related("employer")
            .prefetch_related(
                Prefetch(
                    "quotes",
                    queryset=Quote.objects.published().select_related("program", "vendor").order_by("said_on", "pk"),
                    to_attr="published_quotes",
                )
            )
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["languages"] = dict(Language.choices)
        return ctx


class PersonDetailView(DetailView):
    template_name = "vendors/person_detail.html"
    cache_depends_on = ("vendors", "programs", "sources")

    def get_queryset(self):
        return Person.objects.for_detail()
