from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from kb.exports import ExportColumn, code_column, label_of
from kb.views import FACET_LIMIT, Facet, FilteredListView

from .evidence import source_passages_prefetch, source_text_context
from .filtersets import QuoteFilterSet, SourceFilterSet
from .models import Quote, Source


class SourceListView(FilteredListView):
    template_name = "sources/source_list.html"
    cache_depends_on = ("sources",)
    filterset_class = SourceFilterSet
    paginate_by = 50
    page_title = _("Sources")
    export_name = "sources"
    api_list = "api-source-list"
    facets = [Facet("language", "language")]
    columns = [(_("Title"), "title"), (_("Outlet"), "outlet"), (_("Language"), None), (_("Published on"), "published")]
    export_columns = [
        ExportColumn("slug", _("slug"), "slug"),
        ExportColumn("title", _("title"), "title"),
        ExportColumn("outlet", _("outlet"), "outlet"),
        ExportColumn("language", _("language"), label_of("language")),
        code_column("language", _("language (code)")),
        ExportColumn("published_on", _("published on"), "published_on", kind="date"),
        ExportColumn("url", _("URL"), "url", kind="link"),
        ExportColumn("seed_file", _("seed file"), "seed_file"),
        ExportColumn("page", _("page"), lambda s: s.get_absolute_url(), kind="link"),
    ]

    def base_queryset(self):
        return Source.objects.published().order_by("title", "pk")


class QuoteListView(FilteredListView):
    """``/quotes/``: who said what, in the original language, with its source."""

    template_name = "sources/quote_list.html"
    filterset_class = QuoteFilterSet
    paginate_by = 50
    page_title = _("Quotes")
    export_name = "quotes"
    api_list = "api-quote-list"
    facets = [
        Facet(
            "employer",
            "person__employer__slug",
            "person__employer__name",
            limit=FACET_LIMIT,
            only={"person__employer__is_published": True},
        ),
        Facet("program", "program__slug", "program__name", limit=FACET_LIMIT),
        Facet("vendor", "vendor__slug", "vendor__name", limit=FACET_LIMIT),
        Facet("source", "source__slug", "source__title", limit=FACET_LIMIT),
        Facet("language", "language"),
    ]
    columns = [
        (_("Quote"), None),
        (_("Person"), "person"),
        (_("About"), None),
        (_("Source"), "source"),
        (_("Said on"), "said"),
    ]
    export_columns = [
        ExportColumn("text", _("text"), "text"),
        ExportColumn("language", _("language"), label_of("language")),
        code_column("language", _("language (code)")),
        ExportColumn("person", _("person"), lambda q: q.person.name),
        ExportColumn("person_slug", _("person (slug)"), lambda q: q.person.slug),
        ExportColumn("employer", _("employer"), lambda q: q.person.employer.name if q.person.employer else None),
        ExportColumn("program", _("program"), lambda q: q.program.name if q.program else None),
        ExportColumn("program_slug", _("program (slug)"), lambda q: q.program.slug if q.program else None),
        ExportColumn("vendor", _("vendor"), lambda q: q.vendor.name if q.vendor else None),
        ExportColumn("vendor_slug", _("vendor (slug)"), lambda q: q.vendor.slug if q.vendor else None),
        ExportColumn("said_on", _("said on"), "said_on", kind="date"),
        ExportColumn("context", _("context"), "context"),
        ExportColumn("sources", _("sources"), lambda q: q.source.title),
        ExportColumn("source_url", _("source page"), lambda q: q.source.get_absolute_url(), kind="link"),
        ExportColumn("url", _("page"), lambda q: q.get_absolute_url(), kind="link"),
    ]

    def base_queryset(self):
        return (
            Quote.objects.published()
            .select_related("person", "person__employer", "source", "program", "vendor")
            .order_by("source__title", "person__name", "pk")
        )


class SourceDetailView(DetailView):
    """A source and every published fact that cites it."""

    template_name = "sources/source_detail.html"

    def get_queryset(self):
        return Source.objects.for_detail().prefetch_related(source_passages_prefetch())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(source_text_context(self.object, list(self.object.passages.all())))
        return ctx
