"""FilterSets of the programs app: one per list, shared by the HTML pages, the
CSV/JSON export and the API. Choices of related records (vendors, focus areas,
programs) are published records only, addressed by slug."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kb.filtersets import KBFilterSet, MonthFilter, SlugsFilter, SortFilter, YearFilter
from utilities.dates import DatePrecision
from vendors.models import Vendor

from .models import (
    EventKind,
    FocusArea,
    Program,
    ProgramEvent,
    ProgramStatus,
    RouteToMarket,
    Tier,
    TierKind,
)


def published_vendors(request=None):
    return Vendor.objects.published()


def published_programs(request=None):
    return Program.objects.published()


class ProgramFilterSet(KBFilterSet):
    """``/programs/``: ``q``, ``vendor``, ``status``, ``focus_area``, ``route``,
    ``tier_kind``, ``year`` (announced), ``sort``."""

    search_fields = ("name", "acronym", "summary", "description", "scope")

    vendor = SlugsFilter(
        field_name="vendors__slug",
        to_field_name="slug",
        queryset=published_vendors,
        label=_("Vendor"),
    )
    status = django_filters.MultipleChoiceFilter(choices=ProgramStatus.choices, label=_("Status"))
    focus_area = SlugsFilter(
        field_name="focus_areas__slug",
        to_field_name="slug",
        queryset=FocusArea.objects.published(),
        label=_("Focus area"),
    )
    route = django_filters.MultipleChoiceFilter(
        field_name="route_to_market",
        choices=[(v, label) for v, label in RouteToMarket.choices if v] + [("unknown", _("not stated"))],
        method="filter_route",
        label=_("Route to market"),
    )
    tier_kind = django_filters.MultipleChoiceFilter(
        choices=TierKind.choices,
        method="filter_tier_kind",
        label=_("Has tiers of kind"),
    )
    year = YearFilter(field_name="announced_on", label=_("Year announced"))
    sort = SortFilter(
        fields=(
            ("name", "name"),
            ("acronym", "acronym"),
            ("status", "status"),
            ("route_to_market", "route"),
            ("announced_on", "announced"),
        ),
        field_labels={
            "name": _("Name"),
            "acronym": _("Acronym"),
            "status": _("Status"),
            "route_to_market": _("Route to market"),
            "announced_on": _("Announcement date"),
        },
    )

    class Meta:
        model = Program
        fields = ["q", "vendor", "status", "focus_area", "route", "tier_kind", "year"]

    def filter_route(self, queryset, name, value):
        q = Q()
        for v in value:
            q |= Q(route_to_market="") if v == "unknown" else Q(route_to_market=v)
        return queryset.filter(q)

    def filter_tier_kind(self, queryset, name, value):
        return queryset.filter(pk__in=Tier.objects.filter(kind__in=value).values("program_id"))


class TierFilterSet(KBFilterSet):
    """Tiers (API): ``q``, ``program``, ``kind``, ``sort``."""

    search_fields = ("name", "summary", "requirements", "benefits_text")

    program = SlugsFilter(
        field_name="program__slug", to_field_name="slug", queryset=published_programs, label=_("Program")
    )
    kind = django_filters.MultipleChoiceFilter(choices=TierKind.choices, label=_("Kind"))
    sort = SortFilter(fields=(("program__name", "program"), ("rank", "rank"), ("name", "name")))

    class Meta:
        model = Tier
        fields = ["q", "program", "kind"]


class EventSortFilter(SortFilter):
    """``sort=date`` / ``sort=-date`` is the timeline's own order
    (``ProgramEventQuerySet.chronological``): undated events last in either
    direction, in the order the sources tell them."""

    def filter(self, qs, value):
        if value and value[0] in ("date", "-date"):
            return qs.chronological(descending=value[0] == "-date")
        return super().filter(qs, value)


class EventFilterSet(KBFilterSet):
    """``/timeline/``: ``q``, ``vendor`` (the event's vendor or a vendor of its
    program), ``program``, ``kind``, ``year``, ``month``, ``sort``.

    ``year`` is the year the event starts. ``month`` (1 to 12) keeps the
    events known to fall in that month: dated to the day or the month, with
    the month inside the period (a conference on 11–15 July, a launch window
    May – July for ``month=6``). An event dated only to a quarter or a year
    is *not* kept: the sources do not say which month it is. With ``year``,
    the month of that year."""

    search_fields = ("title", "description", "place", "date_text")

    vendor = SlugsFilter(to_field_name="slug", queryset=published_vendors, method="filter_vendor", label=_("Vendor"))
    program = SlugsFilter(
        field_name="program__slug", to_field_name="slug", queryset=published_programs, label=_("Program")
    )
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    year = YearFilter(field_name="start_date", label=_("Year"))
    month = MonthFilter(field_name="start_date", method="filter_month", label=_("Month"))
    sort = EventSortFilter(
        fields=(("start_date", "date"), ("title", "title"), ("kind", "kind")),
        field_labels={"start_date": _("Date"), "title": _("Title"), "kind": _("Kind")},
    )

    class Meta:
        model = ProgramEvent
        fields = ["q", "vendor", "program", "kind", "year", "month"]

    def filter_vendor(self, queryset, name, value):
        if not value:
            return queryset
        programs = Program.vendors.through.objects.filter(vendor__in=value).values("program_id")
        return queryset.filter(Q(vendor__in=value) | Q(program__in=programs))

    def filter_month(self, queryset, name, value):
        """The month lies in [start, end] (month-of-year arithmetic: a period
        over New Year holds the months from its start to December and from
        January to its end; a period of more than a year holds every month)."""
        if value is None:
            return queryset
        single = Q(end_date__isnull=True, start_date__month=value)
        same_year = Q(start_date__year=F("end_date__year"), start_date__month__lte=value, end_date__month__gte=value)
        next_year = Q(end_date__year=F("start_date__year") + 1) & (
            Q(start_date__month__lte=value) | Q(end_date__month__gte=value)
        )
        longer = Q(end_date__year__gt=F("start_date__year") + 1)
        known = Q(precision__in=(DatePrecision.DAY, DatePrecision.MONTH))
        return queryset.filter(known & (single | same_year | next_year | longer))
