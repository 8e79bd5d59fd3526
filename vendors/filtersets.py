"""FilterSets of the vendors app (vendors, people)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kb.filtersets import KBFilterSet, SlugsFilter, SortFilter

from .models import Person, RelationKind, Vendor


class VendorFilterSet(KBFilterSet):
    """``/vendors/``: ``q``, ``runs_programs`` (true/false), ``relation``
    (vendors with a relation of that kind, either side), ``sort``."""

    search_fields = ("name", "summary", "description", "headquarters")

    runs_programs = django_filters.BooleanFilter(method="filter_runs_programs", label=_("Runs programs"))
    relation = django_filters.MultipleChoiceFilter(
        choices=RelationKind.choices, method="filter_relation", label=_("Relation")
    )
    sort = SortFilter(
        fields=(("name", "name"), ("headquarters", "headquarters")),
        field_labels={"name": _("Name"), "headquarters": _("Headquarters")},
    )

    class Meta:
        model = Vendor
        fields = ["q", "runs_programs", "relation"]

    def filter_runs_programs(self, queryset, name, value):
        # Program.vendors' table, reached from this side: programs sit above vendors.
        running = Vendor.programs.through.objects.filter(program__is_published=True).values("vendor_id")
        return queryset.filter(pk__in=running) if value else queryset.exclude(pk__in=running)

    def filter_relation(self, queryset, name, value):
        from .models import VendorRelation

        rels = VendorRelation.objects.published().filter(kind__in=value)
        return queryset.filter(pk__in=rels.values("vendor_id")) | queryset.filter(pk__in=rels.values("other_vendor_id"))


class PersonFilterSet(KBFilterSet):
    """People (API): ``q``, ``employer`` (vendor slug), ``sort``."""

    search_fields = ("name", "title")

    employer = SlugsFilter(
        field_name="employer__slug",
        to_field_name="slug",
        queryset=lambda request: Vendor.objects.published(),
        label=_("Employer"),
    )
    sort = SortFilter(fields=(("name", "name"),), field_labels={"name": _("Name")})

    class Meta:
        model = Person
        fields = ["q", "employer"]
