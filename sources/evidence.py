"""Evidence on the public pages: the prefetches and page helpers built on
``sources.Passage``.

- ``passages_prefetch()`` (from ``sources.models``, re-exported): a record's passages (of published sources) with
  their source and claimant, for the source markers beside each fact
  (``{% evidence %}``, sources/templatetags/evidence.py): one query per prefetched
  level, none per fact.
- ``source_passages_prefetch()``: a source's passages with the records they
  support (published ones only), for the source page.
- ``source_text_context(source, passages)``: the source's text with every
  passage marked, the list of passages with what each supports, and the
  coverage (how many of the text's sentences serve as evidence).
"""

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from utilities.coverage import coverage
from utilities.marked_text import Span, mark_paragraphs

from .models import Passage, evidenced_models, passages_prefetch  # noqa: F401  (passages_prefetch re-exported)


def _public_queryset(model):
    manager = model._default_manager
    queryset = manager.published() if hasattr(manager, "published") else manager.all()
    # Every non-null foreign key: what str() and get_absolute_url() read
    # (a tier's program, a quote's person, a relation's vendors).
    return queryset.select_related()


def source_passages_prefetch():
    """The passages of a source, each with the (published) record it supports;
    a passage whose record is a draft gets ``target`` None."""
    return Prefetch(
        "passages",
        queryset=Passage.objects.select_related("content_type", "claimed_by_person", "claimed_by_vendor")
        .prefetch_related(GenericPrefetch("target", [_public_queryset(m) for m in evidenced_models()]))
        .order_by("start", "pk"),
    )


def field_label(model, name):
    if not name:
        return ""
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


def fact_of(passage, public=True):
    """What a passage supports, for display: {"record", "kind", "field",
    "url"}, or None when the record is not public. ``public=False`` (the
    admin): drafts too, linked to their admin page."""
    target = passage.target
    if target is None:
        return None
    if not public:
        from django.urls import reverse

        opts = target._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[target.pk])
    else:
        url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        if url and passage.field and "#" not in url:
            url += f"#fact-{passage.field}"
    return {
        "record": str(target),
        "kind": capfirst(target._meta.verbose_name),
        "field": field_label(type(target), passage.field),
        "url": url,
    }


def source_text_context(source, passages, public_only=True):
    """Everything the source page (and the admin) needs to show the text with
    its passages: ``paragraphs`` (HTML, passages marked), ``passage_rows``
    (each passage with its number, what it supports, whether it anchors),
    ``coverage``."""
    rows, spans = [], []
    anchored = [p for p in passages if not p.is_orphaned and p.start is not None and p.end is not None]
    for number, p in enumerate(anchored, start=1):
        ref = format_html(
            '<sup class="passage-ref"><a href="#supports-{}" aria-label="{}">{}</a></sup>',
            p.pk,
            _("Passage %(number)s: what it supports") % {"number": number},
            number,
        )
        spans.append(Span(p.start, p.end, f"passage-{p.pk}", after=ref))
        rows.append({"number": number, "passage": p, "fact": fact_of(p, public_only)})
    orphaned = [{"passage": p, "fact": fact_of(p, public_only)} for p in passages if p not in anchored]
    text = source.text or ""
    return {
        "paragraphs": mark_paragraphs(text, spans) if text else [],
        "passage_rows": rows,
        "orphaned_rows": orphaned,
        "coverage": coverage(text, [(p.start, p.end) for p in anchored], source.language) if text else None,
    }
