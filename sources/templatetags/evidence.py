"""Source markers: the passage(s) behind each fact, beside the fact.

``{% evidence record "field" %}`` renders ``includes/evidence.html``: a
``<details>`` (no JavaScript needed) whose summary says how many passages
back the fact, or that it is disputed or derived, and which opens on each
passage, verbatim in its own language with a few words of context, the
source's title, who makes the claim, and a link to the passage highlighted on
the source page. Several fields may be named at once
(``"launch_start launch_end launch_window"``); ``*`` (or no field) is the
record as a whole. ``derived=...`` gives the reasoning of a derived value;
``label=...`` names the fact for screen readers ("Source of: Route to
market").

It reads ``record.passages.all()``, so the page must prefetch the passages
(``sources.evidence.passages_prefetch()``): no query per fact.

``{% evidence_footnotes %}`` (in base.html, after the content) lists every
passage the page showed, numbered like the markers' print-only references:
a printed page carries its passages as footnotes.
"""

import re

from django import template
from django.template.loader import get_template

register = template.Library()

NOTES_KEY = "_evidence_notes"


class EvidenceNotes:
    """The passages one rendered page shows, numbered in order of first use."""

    def __init__(self):
        self.numbers = {}
        self.passages = []

    def number(self, passage):
        if passage.pk not in self.numbers:
            self.passages.append(passage)
            self.numbers[passage.pk] = len(self.passages)
        return self.numbers[passage.pk]

    def items(self):
        return [(self.numbers[p.pk], p) for p in self.passages]


def page_notes(context):
    """The page's collector, kept in the render's bottom context layer so
    every include of this render shares it."""
    notes = context.get(NOTES_KEY)
    if notes is None:
        notes = EvidenceNotes()
        context.dicts[0][NOTES_KEY] = notes
    return notes


def context_before(prefix):
    if not prefix:
        return ""
    parts = re.split(r"(\s+)", prefix, maxsplit=1)
    # Drop a cut first word (the prefix rarely starts at a word boundary).
    return "".join(parts[2:]) if len(parts) == 3 and parts[2] else prefix


def context_after(suffix):
    if not suffix:
        return ""
    head, sep, _last = suffix.rpartition(" ")
    return head + sep if head else suffix


@register.simple_tag(takes_context=True)
def evidence(context, record, fields="", derived="", label=""):
    if record is None:
        return ""
    # "*" (or no field at all) is the record as a whole.
    names = [("" if name == "*" else name) for name in fields.split()] or [""]
    passages, seen = [], set()
    for p in record.passages.all():
        if p.field not in names or getattr(p, "is_orphaned", False):
            continue
        # The same words backing two of the named fields (a start and an end
        # date) are shown once.
        key = (p.source_id, p.start, p.end, p.stance, getattr(p, "claim", ""))
        if key not in seen:
            seen.add(key)
            passages.append(p)
    if not passages and not derived:
        return ""
    notes = page_notes(context)
    disputed = any(p.stance == "disputes" for p in passages)
    items = []
    for p in passages:
        items.append(
            {
                "passage": p,
                "number": notes.number(p),
                "before": context_before(p.prefix),
                "after": context_after(p.suffix),
            }
        )
    # Rendered without the request: context processors would run again
    # for every fact.
    return get_template("includes/evidence.html").render(
        {
            "items": items,
            "disputed": disputed,
            "derived": derived,
            "label": label,
            "numbers": ", ".join(str(i["number"]) for i in items),
        }
    )


@register.simple_tag(takes_context=True)
def evidence_footnotes(context):
    notes = context.get(NOTES_KEY)
    if not notes or not notes.passages:
        return ""
    request = context.get("request")
    site = request.build_absolute_uri("/").rstrip("/") if request is not None else ""
    return get_template("includes/evidence_footnotes.html").render({"notes": notes.items(), "site": site})
