"""Dates as precisely as the sources state them, never more.

A stored date is the first day of its period; ``precision`` says how much of
it is known. ``display_period`` renders "11 July 2010", "July 2010",
"Q3 2010", "2010", ranges ("11–15 July 2010", "May – July 2010") and, when
nothing is known, "date not stated in the sources"."""

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DatePrecision(models.TextChoices):
    """How precisely a date is known. The stored date is the first day of the
    period (e.g. 2010-05-01 for "May 2010", 2010-01-01 for "2010")."""

    DAY = "day", gettext_lazy("day")
    MONTH = "month", gettext_lazy("month")
    QUARTER = "quarter", gettext_lazy("quarter")
    YEAR = "year", gettext_lazy("year")
    UNKNOWN = "unknown", gettext_lazy("unknown")


def _one(day, precision):
    if precision == DatePrecision.DAY:
        return date_format(day, "j F Y")
    if precision == DatePrecision.MONTH:
        return date_format(day, "F Y")
    if precision == DatePrecision.QUARTER:
        return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
    return str(day.year)


def display_period(start, precision, end=None):
    """Human text for a date or period; '' when unknown (callers say so)."""
    if start is None or precision == DatePrecision.UNKNOWN:
        return ""
    if end is None or end == start:
        return _one(start, precision)
    if precision == DatePrecision.DAY:
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{date_format(end, 'j F Y')}"
        return f"{_one(start, precision)} – {_one(end, precision)}"
    if precision == DatePrecision.MONTH and start.year == end.year:
        return f"{date_format(start, 'F')} – {date_format(end, 'F Y')}"
    return f"{_one(start, precision)} – {_one(end, precision)}"


def group_key(start, precision):
    """(year, month) for the timeline's headings; None parts when unknown."""
    if start is None or precision == DatePrecision.UNKNOWN:
        return (None, None)
    if precision in (DatePrecision.DAY, DatePrecision.MONTH):
        return (start.year, start.month)
    return (start.year, None)
