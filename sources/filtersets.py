"""FilterSets of the sources app (sources, quotes)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kb.filtersets import KBFilterSet, SortFilter, YearFilter
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
    """Quotes (API): ``q``, ``person``, ``program``, ``vendor``, ``source``, ``sort``."""

    search_fields = ("text", "context", "person__name")

    person = django_filters.CharFilter(field_name="person__slug", label=_("Person"))
    program = django_filters.CharFilter(field_name="program__slug", label=_("Program"))
    vendor = django_filters.CharFilter(field_name="vendor__slug", label=_("Vendor"))
    source = django_filters.CharFilter(field_name="source__slug", label=_("Source"))
    sort = SortFilter(fields=(("said_on", "said"), ("person__name", "person")))

    class Meta:
        model = Quote
        fields = ["q", "person", "program", "vendor", "source"]
