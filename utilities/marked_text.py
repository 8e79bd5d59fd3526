"""A text with some of its spans highlighted, as safe HTML paragraphs.

Used to show a source's text with its passages marked (``<mark>``), on the
public source page and in the admin. Pure string work: nothing here knows
about models.

``mark_paragraphs(text, spans)`` splits ``text`` into paragraphs at blank
lines and returns, for each, its offset in ``text`` and its HTML. Each span
is highlighted with ``<mark>``; the first ``<mark>`` of a span carries its
``id``, so ``#passage-12`` lands on it; a span that crosses a paragraph
break or overlaps another is closed and reopened (without the id), so the
HTML stays well nested. The text inside the paragraphs is the text itself,
unchanged and escaped: the concatenated text of a paragraph element is
exactly ``text[start:end]`` (no ``<br>``: single line breaks are kept as
``\\n``, shown by CSS ``white-space: pre-line``), which the admin's
selection script relies on to turn a selection into offsets.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of the text: ``text[start:end]``."""

    start: int
    end: int
    id: str  # the HTML id of the first <mark> ("passage-12")
    classes: str = "passage"
    after: str = ""  # safe HTML placed right after the span's end (a footnote reference)
    title: str = ""


@dataclass
class Paragraph:
    start: int
    end: int
    html: str
    spans: list = field(default_factory=list)


def paragraph_bounds(text):
    """(start, end) of each non-blank paragraph of ``text``."""
    bounds, pos = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        if text[pos : m.start()].strip():
            bounds.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        bounds.append((pos, len(text.rstrip())))
    return bounds


def _open(span, first):
    attrs = format_html(' class="{}"', span.classes)
    if first:
        attrs += format_html(' id="{}"', span.id)
    else:
        attrs += format_html(' data-continues="{}"', span.id)
    if span.title:
        attrs += format_html(' title="{}"', span.title)
    return f"<mark{attrs}>"


def _render(text, start, end, spans, opened):
    """HTML of ``text[start:end]`` with the given spans (those overlapping
    it) marked; ``opened`` collects the ids already given out."""
    inside = [s for s in spans if s.start < end and s.end > start and s.end > s.start]
    cuts = {start, end}
    for s in inside:
        cuts.add(max(s.start, start))
        cuts.add(min(s.end, end))
    cuts = sorted(cuts)
    order = {id(s): i for i, s in enumerate(sorted(inside, key=lambda s: (s.start, -s.end, s.id)))}
    out, stack = [], []
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = sorted((s for s in inside if s.start <= a and s.end >= b), key=lambda s: order[id(s)])
        # Close what is not part of the new nesting, outermost kept.
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        while len(stack) > keep:
            closing = stack.pop()
            out.append("</mark>")
            if closing.end == a and closing.after:
                out.append(closing.after)
        for s in active[keep:]:
            first = s.id not in opened
            opened.add(s.id)
            out.append(_open(s, first))
            stack.append(s)
        out.append(escape(text[a:b]))
    while stack:
        closing = stack.pop()
        out.append("</mark>")
        if closing.end == end and closing.after:
            out.append(closing.after)
    return "".join(out), inside


def mark_paragraphs(text, spans):
    """The paragraphs of ``text`` with ``spans`` marked (see the module doc)."""
    opened = set()
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    paragraphs = []
    for start, end in paragraph_bounds(text):
        html, inside = _render(text, start, end, spans, opened)
        paragraphs.append(Paragraph(start, end, mark_safe(html), inside))
    return paragraphs
