from django import template
from django.template import defaultfilters
from django.utils.html import conditional_escape, format_html

from utilities.dates import display_period

from ..search import highlight as _highlight
from ..search import snippet as _snippet
from ..translation import fallback_language

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


#: How ``translated`` may format the text (Django's filters of the same names).
TEXT_FORMATS = {
    "": conditional_escape,
    "linebreaks": lambda text: defaultfilters.linebreaks_filter(text, autoescape=True),
    "linebreaksbr": lambda text: defaultfilters.linebreaksbr(text, autoescape=True),
    "truncatewords:30": lambda text: conditional_escape(defaultfilters.truncatewords(text, 30)),
}


@register.simple_tag
def translated(obj, name, fmt=""):
    """``{% translated object "description" "linebreaks" %}``: a record's text
    in the reader's language (``kb.translation``); when that translation is
    missing, the other language's text, inside an element that says its
    ``lang`` (``<span lang="en">`` in a French page; a ``<div>`` around
    paragraphs)."""
    value = getattr(obj, name, "") if obj is not None else ""
    html = TEXT_FORMATS[fmt](value or "")
    lang = fallback_language(obj, name) if value else None
    if lang:
        tag = "div" if fmt == "linebreaks" else "span"
        return format_html('<{} lang="{}">{}</{}>', tag, lang, html, tag)
    return html
