from django.db.models import Count, F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from kb.views import FACET_LIMIT, ExportColumn, Facet, FilteredListView, joined
from utilities.dates import group_key

from .filtersets import EventFilterSet, ProgramFilterSet
from .forms import CompareForm
from .models import Program, ProgramEvent, Tier


def tier_kind_counts(ids, **kwargs):
    rows = (
        Tier.objects.filter(program__in=ids).values("kind").annotate(n=Count("program", distinct=True)).order_by("kind")
    )
    return [(r["kind"], None, r["n"]) for r in rows]


class ProgramListView(FilteredListView):
    template_name = "programs/program_list.html"
    filterset_class = ProgramFilterSet
    paginate_by = 50
    page_title = _("Programs")
    export_name = "programs"
    facets = [
        Facet("vendor", "vendors__slug", "vendors__name", limit=FACET_LIMIT, only={"vendors__is_published": True}),
        Facet("status", "status"),
        Facet("focus_area", "focus_areas__slug", "focus_areas__name", limit=FACET_LIMIT),
        Facet("route", "route_to_market", empty_value="unknown"),
        Facet("tier_kind", None, counter=tier_kind_counts),
    ]
    columns = [
        (_("Name"), "name"),
        (_("Vendors"), None),
        (_("Status"), "status"),
        (_("Focus areas"), None),
        (_("Route to market"), "route"),
        (_("Announced"), "announced"),
    ]
    export_columns = [
        ExportColumn("slug", _("slug"), "slug"),
        ExportColumn("name", _("name"), "name"),
        ExportColumn("acronym", _("acronym"), "acronym"),
        ExportColumn("vendors", _("vendors"), joined("vendors")),
        ExportColumn("status", _("status"), "status"),
        ExportColumn("focus_areas", _("focus areas"), joined("focus_areas")),
        ExportColumn("route_to_market", _("route to market"), "route_to_market"),
        ExportColumn("scope", _("scope"), "scope"),
        ExportColumn("announced_on", _("announcement date"), "announced_on"),
        ExportColumn("announced_precision", _("announcement date precision"), "announced_precision"),
        ExportColumn("launch_window", _("launch window"), "launch_window"),
        ExportColumn("levels_announced", _("number of levels announced"), "levels_announced"),
        ExportColumn("summary", _("summary"), "summary"),
        ExportColumn("url", _("page"), lambda p: p.get_absolute_url()),
    ]

    def base_queryset(self):
        return Program.objects.for_list().order_by("name", "pk")


class ProgramDetailView(DetailView):
    template_name = "programs/program_detail.html"

    def get_queryset(self):
        return Program.objects.for_detail()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        program = self.object
        tiers = list(program.tiers.all())
        ctx["levels"], ctx["designations"] = program.ladder()
        benefits = list(program.benefits.all())
        ctx["program_benefits"] = [b for b in benefits if b.tier_id is None]
        by_tier = {}
        for b in benefits:
            if b.tier_id:
                by_tier.setdefault(b.tier_id, []).append(b)
        for t in tiers:
            t.tier_benefits = by_tier.get(t.pk, [])
        ctx["unnamed_levels"] = (
            program.levels_announced - len(ctx["levels"])
            if program.levels_announced and program.levels_announced > len(ctx["levels"])
            else 0
        )
        ctx["member_count"] = program.memberships.published().count()
        return ctx


class TierDetailView(DetailView):
    template_name = "programs/tier_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Tier.objects.for_detail(), program__slug=self.kwargs["program_slug"], slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member_count"] = self.object.memberships.published().count()
        return ctx


class EventDetailView(DetailView):
    template_name = "programs/event_detail.html"

    def get_queryset(self):
        return ProgramEvent.objects.for_detail()


class CompareView(TemplateView):
    """``/programs/compare/?p=slug&p=slug``: two to four programs side by side
    (the input is read by ``CompareForm``; a bad selection is a 400 that says why)."""

    template_name = "programs/compare.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = CompareForm(self.request.GET)
        form.is_valid()
        for program in form.programs:
            program.levels, program.designations = program.ladder()
        ctx["form"] = form
        ctx["requested"] = form.requested
        ctx["programs"] = form.programs if form.comparable else []
        ctx["errors"] = form.non_field_errors()
        ctx["all_programs"] = Program.objects.published().only("name", "acronym", "slug").order_by("name")[:200]
        return ctx

    def render_to_response(self, context, **response_kwargs):
        if context["errors"] and self.request.GET.getlist("p"):
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


def event_vendor_counts(ids, limit=None, selected=()):
    """The timeline's vendor facet (see ``ProgramEventQuerySet.vendor_counts``)."""
    return ProgramEvent.objects.filter(pk__in=ids).vendor_counts(limit=limit, selected=selected)


class TimelineView(FilteredListView):
    template_name = "programs/timeline.html"
    filterset_class = EventFilterSet
    paginate_by = 100
    page_title = _("Timeline")
    export_name = "timeline"
    facets = [
        Facet("vendor", None, counter=event_vendor_counts, limit=FACET_LIMIT),
        Facet("program", "program__slug", "program__name", limit=FACET_LIMIT),
        Facet("kind", "kind"),
    ]
    columns = []
    export_columns = [
        ExportColumn("slug", _("slug"), "slug"),
        ExportColumn("title", _("title"), "title"),
        ExportColumn("kind", _("kind"), "kind"),
        ExportColumn("program", _("program"), lambda e: e.program.slug if e.program else ""),
        ExportColumn("vendor", _("vendor"), lambda e: e.vendor.slug if e.vendor else ""),
        ExportColumn("start_date", _("start date"), "start_date"),
        ExportColumn("end_date", _("end date"), "end_date"),
        ExportColumn("precision", _("date precision"), "precision"),
        ExportColumn("date_text", _("date as stated"), "date_text"),
        ExportColumn("place", _("place"), "place"),
        ExportColumn("sources", _("sources"), joined("sources", "slug")),
        ExportColumn("url", _("page"), lambda e: e.get_absolute_url()),
    ]

    def base_queryset(self):
        return ProgramEvent.objects.for_list().order_by(F("start_date").asc(nulls_last=True), "title", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        groups = []
        # Year and month headings only make sense in date order; sorted by
        # title or kind, the events are one flat list.
        ctx["grouped"] = self.request.GET.get("sort", "date").lstrip("-") in ("", "date")
        for event in ctx["object_list"] if ctx["grouped"] else ():
            year, month = group_key(event.start_date, event.precision)
            if not groups or groups[-1]["year"] != year:
                groups.append({"year": year, "months": []})
            months = groups[-1]["months"]
            if not months or months[-1]["month"] != month:
                months.append({"month": month, "date": event.start_date if month else None, "events": []})
            months[-1]["events"].append(event)
        ctx["groups"] = groups
        return ctx
