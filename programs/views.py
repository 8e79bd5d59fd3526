import re

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from kb.models import published_sources
from kb.views import FACET_LIMIT, ExportColumn, Facet, FilteredListView, joined
from partners.models import Membership
from sources.models import Quote
from utilities.dates import group_key
from vendors.models import Vendor

from .filtersets import EventFilterSet, ProgramFilterSet
from .models import Benefit, Program, ProgramEvent, Tier, TierKind

COMPARE_MIN, COMPARE_MAX = 2, 4
SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")


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
        return Program.objects.published().with_related().order_by("name", "pk")


def events_queryset():
    return ProgramEvent.objects.published().select_related("program", "vendor").prefetch_related(published_sources())


def quotes_queryset():
    return Quote.objects.published().select_related("person", "person__employer", "source")


class ProgramDetailView(DetailView):
    template_name = "programs/program_detail.html"

    def get_queryset(self):
        return (
            Program.objects.published()
            .with_ladder()
            .prefetch_related(
                Prefetch("events", queryset=events_queryset().order_by("start_date", "title")),
                Prefetch("quotes", queryset=quotes_queryset()),
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        program = self.object
        tiers = list(program.tiers.all())
        ctx["levels"] = sorted(
            (t for t in tiers if t.kind == TierKind.LEVEL), key=lambda t: (t.rank is None, t.rank or 0, t.name)
        )
        ctx["designations"] = [t for t in tiers if t.kind == TierKind.DESIGNATION]
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
        ctx["member_count"] = Membership.objects.published().filter(program=program).count()
        return ctx


class TierDetailView(DetailView):
    template_name = "programs/tier_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Tier.objects.published()
            .select_related("program")
            .prefetch_related(
                published_sources(),
                Prefetch("program__vendors", queryset=Vendor.objects.published()),
                Prefetch("benefits", queryset=Benefit.objects.prefetch_related(published_sources())),
                Prefetch("program__tiers", queryset=Tier.objects.order_by("kind", "rank", "name")),
            ),
            program__slug=self.kwargs["program_slug"],
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["member_count"] = Membership.objects.published().filter(tier=self.object).count()
        return ctx


class EventDetailView(DetailView):
    template_name = "programs/event_detail.html"

    def get_queryset(self):
        return (
            ProgramEvent.objects.published().select_related("program", "vendor").prefetch_related(published_sources())
        )


class CompareView(TemplateView):
    """``/programs/compare/?p=slug&p=slug``: two to four programs side by side."""

    template_name = "programs/compare.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        slugs = []
        for slug in self.request.GET.getlist("p"):
            slug = slug.strip()[:200]
            if slug and slug not in slugs:
                slugs.append(slug)
        bad = [s for s in slugs if not SLUG_RE.fullmatch(s)]
        slugs = [s for s in slugs if s not in bad]
        ctx["requested"] = slugs
        errors = []
        programs = []
        if len(slugs) > COMPARE_MAX:
            errors.append(
                _("Pick at most %(max)s programs to compare; you picked %(n)s.") % {"max": COMPARE_MAX, "n": len(slugs)}
            )
        else:
            found = {
                p.slug: p
                for p in Program.objects.published()
                .with_ladder()
                .prefetch_related(Prefetch("events", queryset=events_queryset().order_by("start_date", "title")))
                .filter(slug__in=slugs)
            }
            unknown = [s for s in slugs if s not in found] + ["…" if "\x00" in s else s for s in bad]
            if unknown:
                errors.append(_("No published program has the identifier: %(slugs)s.") % {"slugs": ", ".join(unknown)})
            programs = [found[s] for s in slugs if s in found]
            if len(programs) < COMPARE_MIN:
                errors.append(_("Pick two to four programs to compare."))
        for p in programs:
            tiers = list(p.tiers.all())
            p.levels = sorted(
                (t for t in tiers if t.kind == TierKind.LEVEL), key=lambda t: (t.rank is None, t.rank or 0, t.name)
            )
            p.designations = [t for t in tiers if t.kind == TierKind.DESIGNATION]
        ctx["programs"] = programs if len(programs) >= COMPARE_MIN and len(slugs) <= COMPARE_MAX else []
        ctx["errors"] = errors
        ctx["all_programs"] = Program.objects.published().only("name", "acronym", "slug").order_by("name")[:200]
        return ctx

    def render_to_response(self, context, **response_kwargs):
        if context["errors"] and self.request.GET.getlist("p"):
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


def event_vendor_counts(ids, limit=None, selected=()):
    """Events per vendor, counting an event for its own vendor and for each
    vendor of its program (once per vendor): one aggregate query over a UNION."""
    from django.db import connection

    events_sql, params = ProgramEvent.objects.filter(pk__in=ids).values("pk").query.sql_with_params()
    event = ProgramEvent._meta.db_table
    through = Program.vendors.through._meta.db_table
    vendor = Vendor._meta.db_table
    sql = f"""
        SELECT v.slug, v.name, COUNT(*) AS n FROM (
            SELECT e.vendor_id AS vid, e.id AS eid FROM {event} e
             WHERE e.vendor_id IS NOT NULL AND e.id IN ({events_sql})
            UNION
            SELECT pv.vendor_id AS vid, e.id AS eid FROM {event} e
              JOIN {through} pv ON pv.program_id = e.program_id
             WHERE e.id IN ({events_sql})
        ) pairs JOIN {vendor} v ON v.id = pairs.vid
        WHERE v.is_published
        GROUP BY v.slug, v.name
        ORDER BY n DESC, v.name
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params)
        rows = cursor.fetchall()
    keep = [r for i, r in enumerate(rows) if limit is None or i < limit or r[0] in selected]
    return sorted(keep, key=lambda r: str(r[1]).lower())


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
        from django.db.models import F

        return (
            ProgramEvent.objects.published()
            .select_related("program", "vendor")
            .prefetch_related(published_sources())
            .order_by(F("start_date").asc(nulls_last=True), "title", "pk")
        )

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
