"""FilterSets of the sources app (sources, quotes)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kb.filtersets import KBFilterSet, SortFilter, ValuesFilter, YearFilter
from kb.models import Language

from .models import Quote, Source


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
