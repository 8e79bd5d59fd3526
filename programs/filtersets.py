"""FilterSets of the programs app: one per list, shared by the HTML pages, the
CSV/JSON export and the API. Choices of related records (vendors, focus areas,
programs) are published records only, addressed by slug."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kb.filtersets import KBFilterSet, SlugsFilter, SortFilter, YearFilter
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


class EventFilterSet(KBFilterSet):
    """``/timeline/``: ``q``, ``vendor`` (the event's vendor or a vendor of its
    program), ``program``, ``kind``, ``year``, ``sort``."""

    search_fields = ("title", "description", "place", "date_text")

    vendor = SlugsFilter(to_field_name="slug", queryset=published_vendors, method="filter_vendor", label=_("Vendor"))
    program = SlugsFilter(
        field_name="program__slug", to_field_name="slug", queryset=published_programs, label=_("Program")
    )
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    year = YearFilter(field_name="start_date", label=_("Year"))
    sort = SortFilter(
        fields=(("start_date", "date"), ("title", "title"), ("kind", "kind")),
        field_labels={"start_date": _("Date"), "title": _("Title"), "kind": _("Kind")},
    )

    class Meta:
        model = ProgramEvent
        fields = ["q", "vendor", "program", "kind", "year"]

    def filter_vendor(self, queryset, name, value):
        if not value:
            return queryset
        programs = Program.vendors.through.objects.filter(vendor__in=value).values("program_id")
        return queryset.filter(Q(vendor__in=value) | Q(program__in=programs))
