import json
from urllib.parse import urlencode

from django.db.models import Count
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from kb.exports import (
    EXPORT_FORMATS,
    ExportColumn,
    code_column,
    grid_response,
    joined,
    label_of,
    page_column,
    separator,
    sources_column,
    unknown_format_message,
    unknown_separator_message,
)
from kb.views import FACET_LIMIT, Facet, FilteredListView
from utilities.dates import display_period, group_key

from . import timeline_svg
from .filtersets import EventFilterSet, ProgramFilterSet
from .forms import COMPARE_MIN, CompareForm
from .models import Program, ProgramEvent, Tier, TierKind


def published_memberships():
    """The partners app's memberships, reached through the reverse relation
    (``Membership.program``): programs sit below partners and never import them."""
    return Program.memberships.rel.related_model.objects.published()


def ladder(program):
    """(ranked levels, unranked levels, designations) of a program, from its
    prefetched tiers: the levels with a stated rank in rank order, then those
    without, by name (only the first are numbered: MSCP's "Master" has no rank
    in the sources)."""
    tiers = list(program.tiers.all())
    levels = [t for t in tiers if t.kind == TierKind.LEVEL]
    ranked = sorted((t for t in levels if t.rank is not None), key=lambda t: (t.rank, t.name))
    unranked = sorted((t for t in levels if t.rank is None), key=lambda t: t.name)
    return ranked, unranked, [t for t in tiers if t.kind == TierKind.DESIGNATION]


def tier_kind_counts(ids, **kwargs):
    rows = (
        Tier.objects.filter(program__in=ids).values("kind").annotate(n=Count("program", distinct=True)).order_by("kind")
    )
    return [(r["kind"], None, r["n"]) for r in rows]


class ProgramListView(FilteredListView):
    template_name = "programs/program_list.html"
    cache_depends_on = ("programs", "vendors", "sources")
    filterset_class = ProgramFilterSet
    paginate_by = 50
    page_title = _("Programs")
    export_name = "programs"
    api_list = "api-program-list"
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
        ExportColumn("status", _("status"), label_of("status")),
        code_column("status", _("status (code)")),
        ExportColumn("focus_areas", _("focus areas"), joined("focus_areas")),
        ExportColumn("route_to_market", _("route to market"), label_of("route_to_market")),
        code_column("route_to_market", _("route to market (code)")),
        ExportColumn("scope", _("scope"), "scope"),
        ExportColumn("announced_on", _("announcement date"), "announced_on", kind="date"),
        ExportColumn("announced_precision", _("announcement date precision"), label_of("announced_precision")),
        code_column("announced_precision", _("announcement date precision (code)")),
        ExportColumn("launch_window", _("launch window"), "launch_window"),
        ExportColumn("launch_start", _("launch window start"), "launch_start", kind="date"),
        ExportColumn("launch_end", _("launch window end"), "launch_end", kind="date"),
        ExportColumn("launch_derived", _("launch dates derived"), "launch_derived"),
        ExportColumn("launch_derivation", _("how the launch dates are derived"), "launch_derivation"),
        ExportColumn("levels_announced", _("number of levels announced"), "levels_announced", kind="number"),
        ExportColumn("summary", _("summary"), "summary"),
        sources_column(),
        page_column(),
    ]

    def base_queryset(self):
        return Program.objects.for_list().order_by("name", "pk")


class ProgramDetailView(DetailView):
    template_name = "programs/program_detail.html"
    cache_depends_on = ("programs", "vendors", "sources", "partners.membership")  # member count

    def get_queryset(self):
        return Program.objects.for_detail()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        program = self.object
        tiers = list(program.tiers.all())
        ranked, unranked, ctx["designations"] = ladder(program)
        ctx["levels"] = ranked + unranked
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
        ctx["member_count"] = published_memberships().filter(program=program).count()
        return ctx


class TierDetailView(DetailView):
    template_name = "programs/tier_detail.html"
    cache_depends_on = ("programs", "vendors", "sources", "partners.membership")  # member count

    def get_object(self, queryset=None):
        return get_object_or_404(
            Tier.objects.for_detail(), program__slug=self.kwargs["program_slug"], slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member_count"] = published_memberships().filter(tier=self.object).count()
        return ctx


class EventDetailView(DetailView):
    template_name = "programs/event_detail.html"
    cache_depends_on = ("programs", "vendors", "sources")

    def get_queryset(self):
        return ProgramEvent.objects.for_detail()


def level_text(program):
    parts = [f"{t.rank}. {t.name}" for t in program.ranked_levels]
    parts += [gettext("%(name)s (rank not stated)") % {"name": t.name} for t in program.unranked_levels]
    return "; ".join(parts)


def event_text(event):
    when = display_period(event.start_date, event.precision, event.end_date) or event.date_text or gettext("not stated")
    return f"{event.title}: {when}"


#: The comparison's rows, as exported: (key, label, kind, value of a program).
COMPARE_EXPORT = [
    ("name", _("Name"), "text", lambda p: p.name),
    ("acronym", _("Acronym"), "text", lambda p: p.acronym),
    ("slug", _("Slug"), "text", lambda p: p.slug),
    ("vendors", _("Vendors"), "text", lambda p: "; ".join(v.name for v in p.vendors.all())),
    ("status", _("Status"), "text", lambda p: p.get_status_display()),
    ("focus_areas", _("Focus areas"), "text", lambda p: "; ".join(f.name for f in p.focus_areas.all())),
    ("route_to_market", _("Route to market"), "text", lambda p: p.get_route_to_market_display()),
    ("scope", _("Scope"), "text", lambda p: p.scope),
    ("announced_on", _("Announcement date"), "date", lambda p: p.announced_on),
    ("announced_precision", _("Announcement date precision"), "text", lambda p: p.get_announced_precision_display()),
    ("launch_window", _("Launch window"), "text", lambda p: p.launch_window),
    ("levels_announced", _("Number of levels announced"), "number", lambda p: p.levels_announced),
    ("levels", _("Levels (ladder)"), "text", level_text),
    ("designations", _("Designations (combinable)"), "text", lambda p: "; ".join(t.name for t in p.designations)),
    (
        "benefits",
        _("Benefits"),
        "text",
        lambda p: "; ".join(f"{b.title} ({b.tier.name})" if b.tier else b.title for b in p.benefits.all()),
    ),
    ("key_dates", _("Key dates"), "text", lambda p: "; ".join(event_text(e) for e in p.events.all())),
    ("sources", _("Sources"), "text", lambda p: "; ".join(s.title for s in p.sources.all())),
    ("url", _("Page"), "link", lambda p: p.get_absolute_url()),
]


class CompareView(TemplateView):
    """``/programs/compare/?p=slug&p=slug``: two to four programs side by side
    (the input is read by ``CompareForm``; a bad selection is a 400 that says
    why); a column is removed and a program added with plain links and a form;
    ``export=csv|xlsx|json`` gives the same grid."""

    template_name = "programs/compare.html"
    cache_depends_on = ("programs", "vendors", "sources")
    cache_query_params = ("p", "export", "sep")  # the grid, or its export

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if not export:
            return super().get(request, *args, **kwargs)
        if export not in EXPORT_FORMATS:
            return HttpResponseBadRequest(unknown_format_message(), content_type="text/plain; charset=utf-8")
        if export == "csv" and separator(request) is None:
            return HttpResponseBadRequest(unknown_separator_message(), content_type="text/plain; charset=utf-8")
        ctx = self.get_context_data(**kwargs)
        if ctx["errors"]:
            return HttpResponseBadRequest(
                "\n".join(str(e) for e in ctx["errors"]), content_type="text/plain; charset=utf-8"
            )
        return self.export(export, ctx["programs"])

    def export(self, fmt, programs):
        name = "compare-" + "-".join(p.slug for p in programs)[:150]
        if fmt == "json":
            data = []
            for p in programs:
                row = {}
                for key, _label, kind, get in COMPARE_EXPORT:
                    value = get(p)
                    if kind == "link":
                        value = self.request.build_absolute_uri(value)
                    row[key] = value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else value)
                data.append(row)
            response = HttpResponse(
                json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
            return response
        header = [gettext("Compared")] + [str(p) for p in programs]
        rows = [[("text", str(label))] + [(kind, get(p)) for p in programs] for _k, label, kind, get in COMPARE_EXPORT]
        return grid_response(fmt, self.request, gettext("Compare programs"), header, rows, name)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = CompareForm(self.request.GET)
        form.is_valid()
        shown = [p.slug for p in form.programs]
        for p in form.programs:
            p.ranked_levels, p.unranked_levels, p.designations = ladder(p)
            p.levels = p.ranked_levels + p.unranked_levels
            p.remove_query = urlencode([("p", s) for s in shown if s != p.slug])
        ctx["form"] = form
        ctx["requested"] = form.requested
        ctx["programs"] = form.programs if form.comparable else []
        ctx["can_remove"] = len(ctx["programs"]) > COMPARE_MIN
        ctx["can_add"] = form.can_add
        ctx["shown"] = shown
        ctx["errors"] = list(form.non_field_errors())
        ctx["all_programs"] = Program.objects.published().only("name", "acronym", "slug").order_by("name")[:200]
        return ctx

    def render_to_response(self, context, **response_kwargs):
        if context["errors"] and self.request.GET.getlist("p"):
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


def event_vendor_counts(ids, limit=None, selected=()):
    """The timeline's vendor facet (``ProgramEventQuerySet.vendor_counts``)."""
    return ProgramEvent.objects.filter(pk__in=ids).vendor_counts(limit=limit, selected=selected)


class TimelineView(FilteredListView):
    template_name = "programs/timeline.html"
    cache_depends_on = ("programs", "vendors", "sources")
    filterset_class = EventFilterSet
    paginate_by = 100
    page_title = _("Timeline")
    export_name = "timeline"
    api_list = "api-event-list"
    facets = [
        Facet("vendor", None, counter=event_vendor_counts, limit=FACET_LIMIT),
        Facet("program", "program__slug", "program__name", limit=FACET_LIMIT),
        Facet("kind", "kind"),
    ]
    columns = []
    export_columns = [
        ExportColumn("slug", _("slug"), "slug"),
        ExportColumn("title", _("title"), "title"),
        ExportColumn("kind", _("kind"), label_of("kind")),
        code_column("kind", _("kind (code)")),
        ExportColumn("program", _("program"), lambda e: e.program.name if e.program else None),
        ExportColumn("program_slug", _("program (slug)"), lambda e: e.program.slug if e.program else None),
        ExportColumn("vendor", _("vendor"), lambda e: e.vendor.name if e.vendor else None),
        ExportColumn("vendor_slug", _("vendor (slug)"), lambda e: e.vendor.slug if e.vendor else None),
        ExportColumn("start_date", _("start date"), "start_date", kind="date"),
        ExportColumn("end_date", _("end date"), "end_date", kind="date"),
        ExportColumn("precision", _("date precision"), label_of("precision")),
        code_column("precision", _("date precision (code)")),
        ExportColumn("date_text", _("date as stated"), "date_text"),
        ExportColumn("date_derived", _("date derived"), "date_derived"),
        ExportColumn("date_derivation", _("how the date is derived"), "date_derivation"),
        ExportColumn("place", _("place"), "place"),
        sources_column(),
        page_column(),
    ]

    def base_queryset(self):
        """Dated events first, then undated ones in the order the sources tell
        them (``ProgramEventQuerySet.chronological``)."""
        return ProgramEvent.objects.for_list().chronological()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The picture of the page's events (the list under it is its text
        # equivalent): drawn from the rows already fetched, no extra query.
        ctx["timeline_svg"] = timeline_svg.render(ctx["object_list"], describedby="timeline-list")
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
