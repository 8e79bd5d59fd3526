from django import template
from django.utils.html import format_html

from utilities.dates import display_period

from ..search import highlight as _highlight
from ..search import snippet as _snippet

register = template.Library()


@register.simple_tag
def period(start, precision, end=None):
    """``{% period e.start_date e.precision e.end_date %}``: the date as
    precisely as known, or the "not stated" marker."""
    text = display_period(start, precision, end)
    if text:
        return format_html('<time datetime="{}">{}</time>', start.isoformat(), text)
    return template.loader.render_to_string("includes/unknown.html")


@register.filter
def highlight(text, query):
    """Escape ``text``, then wrap the words of ``query`` in <mark>."""
    return _highlight(text, query)


@register.filter
def snippet(text, query):
    """The part of ``text`` around the first word ``query`` matched, highlighted."""
    return _snippet(text, query)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


#: The fields a record's description is taken from, in this order.
DESCRIBING_FIELDS = ("summary", "description", "requirements", "benefits_text", "title", "text")


@register.filter
def describe(obj, length=160):
    """A record's meta description: its first non-empty describing field
    (``DESCRIBING_FIELDS``), tags stripped, on one line, cut at ``length``
    characters on a word. Empty when the record has none (the page then
    falls back to the site's description)."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    if obj is None:
        return ""
    for name in DESCRIBING_FIELDS:
        value = getattr(obj, name, None)
        if isinstance(value, str) and value.strip():
            text = " ".join(strip_tags(value).split())
            return Truncator(text).chars(int(length))
    return ""
