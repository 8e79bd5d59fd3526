from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from kb.models import published_sources
from kb.views import ExportColumn, Facet, FilteredListView
from programs.models import Program, ProgramEvent
from sources.evidence import passages_prefetch
from sources.models import Quote

from .filtersets import VendorFilterSet
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
    filterset_class = VendorFilterSet
    paginate_by = 50
    page_title = _("Vendors")
    export_name = "vendors"
    facets = [Facet("relation", None, counter=relation_counts)]
    columns = [(_("Name"), "name"), (_("Summary"), None), (_("Headquarters"), "headquarters"), (_("Programs"), None)]
    export_columns = [
        ExportColumn("slug", _("slug"), "slug"),
        ExportColumn("name", _("name"), "name"),
        ExportColumn("summary", _("summary"), "summary"),
        ExportColumn("headquarters", _("headquarters"), "headquarters"),
        ExportColumn("website", _("website"), "website"),
        ExportColumn("fiscal_year_start_month", _("fiscal year start month"), "fiscal_year_start_month"),
        ExportColumn("programs", _("programs"), lambda v: "; ".join(p.name for p in v.published_programs)),
        ExportColumn("url", _("page"), lambda v: v.get_absolute_url()),
    ]

    def base_queryset(self):
        return (
            Vendor.objects.published()
            .prefetch_related(
                Prefetch(
                    "programs", queryset=Program.objects.published().order_by("name"), to_attr="published_programs"
                )
            )
            .order_by("name", "pk")
        )


class VendorDetailView(DetailView):
    template_name = "vendors/vendor_detail.html"

    def get_queryset(self):
        return Vendor.objects.published().prefetch_related(
            published_sources(),
            passages_prefetch(),
            Prefetch("programs", queryset=Program.objects.published().with_related()),
            Prefetch("people", queryset=Person.objects.published()),
            Prefetch(
                "relations",
                queryset=VendorRelation.objects.published()
                .select_related("other_vendor")
                .prefetch_related(published_sources(), passages_prefetch()),
            ),
            Prefetch(
                "reverse_relations",
                queryset=VendorRelation.objects.published()
                .select_related("vendor")
                .prefetch_related(published_sources(), passages_prefetch()),
            ),
            Prefetch(
                "quotes",
                queryset=Quote.objects.published()
                .select_related("person", "source", "program")
                .prefetch_related(passages_prefetch()),
            ),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["relation_kinds"] = RelationKind
        vendor = self.object
        runs = Program.vendors.through.objects.filter(vendor=vendor).values("program_id")
        ctx["events"] = (
            ProgramEvent.objects.published()
            .filter(Q(vendor=vendor) | Q(program__in=runs))
            .select_related("program", "vendor")
            .prefetch_related(published_sources(), passages_prefetch())
            .order_by(F("start_date").asc(nulls_last=True), "title")
        )
        return ctx


class PersonDetailView(DetailView):
    template_name = "vendors/person_detail.html"

    def get_queryset(self):
        return (
            Person.objects.published()
            .select_related("employer")
            .prefetch_related(
                published_sources(),
                passages_prefetch(),
                Prefetch(
                    "quotes",
                    queryset=Quote.objects.published()
                    .select_related("source", "program", "vendor")
                    .prefetch_related(passages_prefetch()),
                ),
            )
        )
