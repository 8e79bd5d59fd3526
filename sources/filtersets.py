"""FilterSets of the sources app (sources, quotes, passages)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kb.filtersets import KBFilterSet, SortFilter, ValuesFilter, YearFilter
from kb.models import Language

from .models import AnchorStatus, Passage, Quote, Source, Stance


class SourceFilterSet(KBFilterSet):
    """``/sources/``: ``q``, ``language``, ``year`` (published), ``sort``."""

    search_fields = ("title", "outlet", "summary")

    language = django_filters.MultipleChoiceFilter(choices=Language.choices, label=_("Language"))
    year = YearFilter(field_name="published_on", label=_("Year published"))
    sort = SortFilter(
        fields=(("title", "title"), ("outlet", "outlet"), ("published_on", "published")),
        field_labels={"title": _("Title"), "outlet": _("Outlet"), "published_on": _("Published on")},
    )

    class Meta:
        model = Source
        fields = ["q", "language", "year"]


class QuoteFilterSet(KBFilterSet):
    """``/quotes/`` and the API: ``q`` (the words, their context, who said
    them), ``person``, ``employer`` (the speaker's), ``program``, ``vendor``,
    ``source`` (slugs; repeat for "any of"), ``language``, ``year`` (said),
    ``sort`` (``said``, ``person``, ``source``)."""

    search_fields = ("text", "context", "person__name")

    person = ValuesFilter(field_name="person__slug", label=_("Person"))
    employer = ValuesFilter(field_name="person__employer__slug", label=_("Employer"))
    program = ValuesFilter(field_name="program__slug", label=_("Program"))
    vendor = ValuesFilter(field_name="vendor__slug", label=_("Vendor"))
    source = ValuesFilter(field_name="source__slug", label=_("Source"))
    language = django_filters.MultipleChoiceFilter(choices=Language.choices, label=_("Language"))
    year = YearFilter(field_name="said_on", label=_("Year said"))
    sort = SortFilter(
        fields=(("said_on", "said"), ("person__name", "person"), ("source__title", "source")),
        field_labels={"said_on": _("Said on"), "person__name": _("Person"), "source__title": _("Source")},
    )

    class Meta:
        model = Quote
        fields = ["q", "person", "employer", "program", "vendor", "source", "language", "year"]


def _record_kinds():
    from .models import evidenced_models

    return sorted((model._meta.model_name, model._meta.verbose_name) for model in evidenced_models())


class PassageFilterSet(django_filters.FilterSet):
    """Passages (API): ``source`` (slug), ``model`` (the kind of record they
    support: program, tier, vendor...), ``field``, ``stance``, ``anchored``."""

    source = django_filters.CharFilter(field_name="source__slug", label=_("Source"), max_length=200)
    model = django_filters.ChoiceFilter(
        field_name="content_type__model", choices=_record_kinds, label=_("Kind of record")
    )
    field = django_filters.CharFilter(
        field_name="field", label=_("Field"), max_length=100, help_text=_("Empty for passages about a whole record.")
    )
    stance = django_filters.ChoiceFilter(choices=Stance.choices, label=_("Stance"))
    anchored = django_filters.BooleanFilter(method="filter_anchored", label=_("Anchored"))

    class Meta:
        model = Passage
        fields = ["source", "model", "field", "stance", "anchored"]

    def filter_anchored(self, queryset, name, value):
        if value is None:
            return queryset
        orphaned = Q(anchor_status=AnchorStatus.ORPHANED)
        return queryset.exclude(orphaned) if value else queryset.filter(orphaned)
