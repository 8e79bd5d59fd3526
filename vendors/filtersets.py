"""FilterSets of the vendors app (vendors, people): the HTML lists, their
exports and the API use them alike."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kb.filtersets import KBFilterSet, SlugsFilter, SortFilter, ValuesFilter
from kb.models import Language
from sources.models import Quote

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
    """``/people/`` and the API: ``q`` (name, role, employer), ``employer``
    (vendor slug), ``program`` and ``vendor`` (people quoted about it),
    ``source`` (people a source names or quotes), ``language`` (of their
    quotes), ``sort`` (``name``, ``employer``)."""

    search_fields = ("name", "title", "employer__name")

    employer = SlugsFilter(
        field_name="employer__slug",
        to_field_name="slug",
        queryset=lambda request: Vendor.objects.published(),
        label=_("Employer"),
    )
    # field_name: the path the schema documents; the methods keep drafts out.
    program = ValuesFilter(
        field_name="quotes__program__slug", method="filter_quoted", label=_("Quoted about the program")
    )
    vendor = ValuesFilter(field_name="quotes__vendor__slug", method="filter_quoted", label=_("Quoted about the vendor"))
    source = ValuesFilter(field_name="sources__slug", method="filter_source", label=_("Source"))
    language = django_filters.MultipleChoiceFilter(
        choices=Language.choices, method="filter_quoted", label=_("Language of the quotes")
    )
    sort = SortFilter(
        fields=(("name", "name"), ("employer__name", "employer")),
        field_labels={"name": _("Name"), "employer__name": _("Employer")},
    )

    class Meta:
        model = Person
        fields = ["q", "employer", "program", "vendor", "source", "language"]

    def filter_quoted(self, queryset, name, value):
        lookup = {
            "quotes__program__slug": "program__slug__in",
            "quotes__vendor__slug": "vendor__slug__in",
            "language": "language__in",
        }[name]
        return queryset.filter(pk__in=Quote.objects.published().filter(**{lookup: value}).values("person_id"))

    def filter_source(self, queryset, name, value):
        quoted = Quote.objects.published().filter(source__slug__in=value).values("person_id")
        named = Person.sources.through.objects.filter(source__slug__in=value, source__is_published=True)
        return queryset.filter(Q(pk__in=quoted) | Q(pk__in=named.values("person_id")))
