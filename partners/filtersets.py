"""FilterSets of the partners app (partners, memberships)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kb.filtersets import KBFilterSet, SortFilter, ValuesFilter
from programs.filtersets import published_programs
from programs.models import TierKind

from .models import Membership, Partner, PartnerKind


class PartnerFilterSet(KBFilterSet):
    """``/partners/``: ``q``, ``country`` (exact, repeatable), ``kind``,
    ``program`` (partners holding a tier of it), ``sort``."""

    search_fields = ("name", "description", "country")

    country = ValuesFilter(label=_("Country"))
    kind = django_filters.MultipleChoiceFilter(choices=PartnerKind.choices, label=_("Kind"))
    program = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug", queryset=published_programs, method="filter_program", label=_("Program")
    )
    sort = SortFilter(
        fields=(("name", "name"), ("country", "country"), ("kind", "kind")),
        field_labels={"name": _("Name"), "country": _("Country"), "kind": _("Kind")},
    )

    class Meta:
        model = Partner
        fields = ["q", "country", "kind", "program"]

    def filter_program(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Membership.objects.filter(program__in=value).values("partner_id"))


class MembershipFilterSet(KBFilterSet):
    """Memberships (API): ``partner``, ``program``, ``tier_kind``, ``current``, ``sort``."""

    search_fields = ("partner__name", "tier__name")

    partner = django_filters.ModelMultipleChoiceFilter(
        field_name="partner__slug",
        to_field_name="slug",
        queryset=lambda request: Partner.objects.published(),
        label=_("Partner"),
    )
    program = django_filters.ModelMultipleChoiceFilter(
        field_name="program__slug", to_field_name="slug", queryset=published_programs, label=_("Program")
    )
    tier_kind = django_filters.MultipleChoiceFilter(choices=TierKind.choices, label=_("Tier kind"))
    current = django_filters.BooleanFilter(field_name="until", lookup_expr="isnull", label=_("Current"))
    sort = SortFilter(fields=(("partner__name", "partner"), ("since", "since"), ("until", "until")))

    class Meta:
        model = Membership
        fields = ["q", "partner", "program", "tier_kind", "current"]
