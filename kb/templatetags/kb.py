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
