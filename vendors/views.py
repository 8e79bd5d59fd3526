from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from kb.views import ExportColumn, Facet, FilteredListView

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
        return Vendor.objects.for_list().order_by("name", "pk")


class VendorDetailView(DetailView):
    template_name = "vendors/vendor_detail.html"

    def get_queryset(self):
        return Vendor.objects.for_detail()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["relation_kinds"] = RelationKind
        ctx["events"] = self.object.timeline()
        return ctx


class PersonDetailView(DetailView):
    template_name = "vendors/person_detail.html"

    def get_queryset(self):
        return Person.objects.for_detail()
