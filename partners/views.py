from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from kb.exports import ExportColumn, code_column, label_of, page_column, sources_column
from kb.views import FACET_LIMIT, Facet, FilteredListView

from .filtersets import PartnerFilterSet
from .models import Partner, ProgramPartnerCount


def program_partner_counts(limit=None, selected=()):
    """The program facet of the unfiltered partner list, from the counts
    maintained on save (ProgramPartnerCount): the most held programs, plus
    the selected ones."""
    rows = (
        ProgramPartnerCount.objects.filter(program__is_published=True, partners__gt=0)
        .order_by("-partners", "program_id")  # the index's order: no sort of every program
        .values_list("program__slug", "program__name", "partners")
    )
    top = list(rows[:limit]) if limit else list(rows)
    missing = set(selected) - {slug for slug, _name, _n in top}
    if missing:
        top += list(rows.filter(program__slug__in=missing))
    return [{"memberships__program__slug": slug, "memberships__program__name": name, "n": n} for slug, name, n in top]


class PartnerListView(FilteredListView):
    template_name = "partners/partner_list.html"
    cache_depends_on = ("partners", "programs")  # the program facet and filter
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
            unfiltered_counter=program_partner_counts,
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
    cache_depends_on = ("partners", "programs", "sources")

    def get_queryset(self):
        return Partner.objects.for_detail()
