from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from kb.exports import ExportColumn, code_column, label_of, page_column, sources_column
from kb.views import FACET_LIMIT, Facet, FilteredListView

from .filtersets import PartnerFilterSet
from .models import Partner


class PartnerListView(FilteredListView):
    template_name = "partners/partner_list.html"
    filterset_class = PartnerFilterSet
    paginate_by = 25
    page_title = _("Partners")
    export_name = "partners"
    api_list = "api-partner-list"
    facets = [
        Facet("country", "country", limit=FACET_LIMIT),
        Facet("kind", "kind"),
        Facet(
            "program",
            "memberships__program__slug",
            "memberships__program__name",
            limit=FACET_LIMIT,
            only={"memberships__program__is_published": True},
        ),
    ]
    columns = [(_("Name"), "name"), (_("Country"), "country"), (_("Kind"), "kind")]
    export_columns = [
        ExportColumn("slug", _("slug"), "slug"),
        ExportColumn("name", _("name"), "name"),
        ExportColumn("country", _("country"), "country"),
        ExportColumn("kind", _("kind"), label_of("kind")),
        code_column("kind", _("kind (code)")),
        ExportColumn("website", _("website"), "website", kind="link"),
        sources_column(),
        page_column(),
    ]

    def base_queryset(self):
        return Partner.objects.published().order_by("name", "pk")


class PartnerDetailView(DetailView):
    template_name = "partners/partner_detail.html"

    def get_queryset(self):
        return Partner.objects.for_detail()
