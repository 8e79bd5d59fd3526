"""Shared FilterSet pieces for every public list (HTML page, CSV/JSON export
and the API use the same FilterSets).

- ``q``: a free-text filter, accent- and case-insensitive, over the FilterSet's
  ``search_fields``.
- ``sort``: the ordering parameter (``sort=name``, ``sort=-announced``), an
  ``OrderingFilter`` whose public keys are listed in the FilterSet; ties are
  broken by primary key so pagination is stable.
- ``YearFilter``, ``MonthFilter`` and ``ValuesFilter`` for a year, a month
  (1 to 12) and free values (country).

FilterSets stay free of HTML: labels are translatable strings only.
"""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from utilities.controls import has_control_characters, single_line
from utilities.text import Normalized, normalize

TEXT_MAX_LENGTH = 200


class YearField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.Filter):
    """``year=2010``: the year of a date field. Rejects non-numbers and years
    out of 1..9999 with a form error rather than a database error."""

    field_class = YearField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)


class MonthField(forms.TypedChoiceField):
    """A month of the year, 1 to 12, chosen by name in the form."""

    default_error_messages = {
        "invalid_choice": _("%(value)s is not a month: give its number, from 1 (January) to 12 (December)."),
    }

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = [("", "—")] + [(str(n), name) for n, name in MONTHS.items()]
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class MonthFilter(django_filters.Filter):
    """``month=7``: the month (1..12) of a date field, in any year (with
    ``year=2010``, July 2010). Anything else (``13``, ``July``, ``07a``) is a
    form error naming the accepted values, never a database error. A
    FilterSet whose dates carry a precision gives it a ``method`` that keeps
    only the dates whose month is known."""

    field_class = MonthField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "month")
        super().__init__(*args, **kwargs)


class AnyValueMultipleField(forms.MultipleChoiceField):
    """A multiple-value field that accepts any (short, clean) string."""

    def valid_value(self, value):
        return 0 < len(value) <= TEXT_MAX_LENGTH and not has_control_characters(value)


class ValuesFilter(django_filters.MultipleChoiceFilter):
    """``country=France&country=Germany``: exact values of a plain text column
    (OR between values)."""

    field_class = AnyValueMultipleField


class SortFilter(django_filters.OrderingFilter):
    """``sort=<key>`` or ``sort=-<key>``; one key at a time; pk breaks ties."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sort by"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param]
        return qs.order_by(*ordering, "pk")


class SafeModelMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Refuses values that cannot be a slug (NUL bytes and other control
    characters, very long) before they reach the database (PostgreSQL
    rejects NUL in a query)."""

    def _check_values(self, value):
        for v in value:
            if not isinstance(v, str) or has_control_characters(v) or len(v) > TEXT_MAX_LENGTH:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": "…"}
                )
        return super()._check_values(value)


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """``vendor=cisco&vendor=hp``: related records by slug (OR between values)."""

    field_class = SafeModelMultipleChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class KBFilterSet(django_filters.FilterSet):
    """Base of every public FilterSet: a ``q`` text filter over ``search_fields``."""

    search_fields: tuple[str, ...] = ()

    q = django_filters.CharFilter(method="filter_q", label=_("Text"), max_length=TEXT_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Control characters (NUL, ANSI escapes, C0/C1) in a text filter are
        # a form error (a 400 naming the parameter in the API), never a query.
        for filter_ in self.filters.values():
            field = filter_.field
            if isinstance(field, forms.CharField) and single_line not in field.validators:
                field.validators.append(single_line)

    def filter_q(self, queryset, name, value):
        """Every word must appear (accent- and case-insensitively) in one of
        ``search_fields`` (local or forward foreign-key columns)."""
        terms = normalize(value).split()
        if not terms or not self.search_fields:
            return queryset
        aliases = {f"_q{i}": Normalized(field) for i, field in enumerate(self.search_fields)}
        queryset = queryset.alias(**aliases)
        for term in terms:
            queryset = queryset.filter(reduce(or_, (Q(**{f"{alias}__contains": term}) for alias in aliases)))
        return queryset
