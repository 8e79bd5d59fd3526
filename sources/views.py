from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from kb.views import ExportColumn, Facet, FilteredListView

from .filtersets import SourceFilterSet
from .models import Source


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
        return Source.objects.for_detail()
