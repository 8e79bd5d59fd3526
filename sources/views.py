from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from kb.views import ExportColumn, Facet, FilteredListView
from partners.models import Membership, Partner
from programs.models import Benefit, Program, ProgramEvent, Tier
from vendors.models import Person, Vendor, VendorRelation

from .evidence import source_passages_prefetch, source_text_context
from .filtersets import SourceFilterSet
from .models import Quote, Source


class SourceListView(FilteredListView):
    template_name = "sources/source_list.html"
    filterset_class = SourceFilterSet
    paginate_by = 50
    page_title = _("Sources")
    export_name = "sources"
    facets = [Facet("language", "language")]
    columns = [(_("Title"), "title"), (_("Outlet"), "outlet"), (_("Language"), None), (_("Published on"), "published")]
    export_columns = [
        ExportColumn("slug", _("slug"), "slug"),
        ExportColumn("title", _("title"), "title"),
        ExportColumn("outlet", _("outlet"), "outlet"),
        ExportColumn("language", _("language"), "language"),
        ExportColumn("published_on", _("published on"), "published_on"),
        ExportColumn("url", _("URL"), "url"),
        ExportColumn("seed_file", _("seed file"), "seed_file"),
        ExportColumn("page", _("page"), lambda s: s.get_absolute_url()),
    ]

    def base_queryset(self):
        return Source.objects.published().order_by("title", "pk")


class SourceDetailView(DetailView):
    """A source and every published fact that cites it."""

    template_name = "sources/source_detail.html"

    def get_queryset(self):
        return Source.objects.published().prefetch_related(
            Prefetch("vendors", queryset=Vendor.objects.published()),
            Prefetch("people", queryset=Person.objects.published().select_related("employer")),
            Prefetch(
                "vendor_relations", queryset=VendorRelation.objects.published().select_related("vendor", "other_vendor")
            ),
            Prefetch("programs", queryset=Program.objects.published()),
            Prefetch("tiers", queryset=Tier.objects.published().select_related("program")),
            Prefetch("benefits", queryset=Benefit.objects.published().select_related("program", "tier")),
            Prefetch(
                "events",
                queryset=ProgramEvent.objects.published()
                .select_related("program", "vendor")
                .order_by("start_date", "title", "pk"),
            ),
            Prefetch("partners", queryset=Partner.objects.published()),
            Prefetch(
                "memberships", queryset=Membership.objects.published().select_related("partner", "tier", "program")
            ),
            Prefetch("quotes", queryset=Quote.objects.published().select_related("person", "program", "vendor")),
            source_passages_prefetch(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(source_text_context(self.object, list(self.object.passages.all())))
        return ctx
