"""Recent changes to the published knowledge, from django-simple-history.

Every knowledge model keeps its history (one historical row per save). This
module reads those rows across models, newest first, and compares each with
the record's previous *published* version, field by field, over the public
fields only (no timestamps, version counters, publication flag, staff users
or change reasons).

What never appears:

- a save made while the record was a draft (its historical row is
  unpublished), and the draft versions in between when a record is compared
  with its previous public version;
- anything about a record that is not published now (a draft, a tier of a
  draft program, a quote whose source is a draft);
- the earlier history of a deleted record: a deletion shows once, as
  "deleted", with the record's last public name, and only when the record
  was public when it was deleted (never a draft's deletion);
- a save that changed no public field (only the version, or only links to
  drafts).

Many-to-many links (a program's vendors, focus areas and sources; every
record's sources) are tracked by simple-history's ``m2m_fields``: each
historical row keeps the set of links as they were. A change shows the
names added and removed since the previous published version, counting only
published related records (a draft source never shows).

The page (and each feed) is one query over a UNION of the historical tables:
each row carries its public fields and the names of its links (a JSON array
aggregated over the historical link table), and those of the previous
published version, as JSON (``JSONObject``, on SQLite and PostgreSQL alike), so the
number of queries does not depend on the rows or the kinds on the page.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.fields import CharField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from kb.changes import ChangeKind
from kb.filtersets import SafeModelMultipleChoiceField
from kb.registry import registry
from programs.models import Program
from vendors.models import Vendor


def kinds():
    """The change-log kinds the apps register (``kb.changes.ChangeKind``), in
    the page's order."""
    return registry.change_kinds


def kind_choices():
    return [(k.key, k.model._meta.verbose_name_plural) for k in kinds()]


def _kind_queryset(kind, vendors=None, programs=None, data=True):
    """The public historical rows of one model, with their data and the data
    of the previous published version, as (date, history id, type, id, kind,
    data, previous data); with ``data=False`` the history ids alone (what the
    count needs: PostgreSQL computes every column of a UNION's branches, so
    counting the full rows built each row's JSON twice for nothing)."""
    hist = kind.history
    rows = hist.objects.order_by().filter(
        Q(history_type__in=("+", "~"), id__in=kind.public().values("pk"))
        | Q(history_id__in=kind.deletions(hist.objects.order_by()).values("history_id"))
    )
    if kind.publishable:
        rows = rows.filter(is_published=True)
    if vendors is not None or programs is not None:
        condition = Q()
        if vendors is not None:
            if kind.for_vendor is None:
                return None
            condition &= kind.for_vendor(vendors)
        if programs is not None:
            if kind.for_program is None:
                return None
            condition &= kind.for_program(programs)
        rows = rows.filter(condition)
    if not data:
        return rows.annotate(change_kind=Value(kind.key, output_field=CharField())).values_list(
            "history_date", "history_id", "change_kind"
        )
    previous = hist.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    if kind.publishable:
        previous = previous.filter(is_published=True)
    previous = (
        previous.order_by("-history_date", "-history_id").annotate(change_data=kind.json()).values("change_data")[:1]
    )
    return rows.annotate(
        change_kind=Value(kind.key, output_field=CharField()),
        change_data=kind.json(),
        change_before=Subquery(previous),
    ).values_list("history_date", "history_id", "history_type", "id", "change_kind", "change_data", "change_before")


@dataclass
class Change:
    """One save of a published record: what it is, when, and each public
    field that changed (label, old, new; for links also ``added`` and
    ``removed``, lists of names); ``created`` for a new record, ``deleted``
    for a deletion (no fields, no address: the record's page is gone)."""

    kind: ChangeKind
    pk: int
    history_id: int
    date: dt.datetime
    created: bool
    title: str
    url: str
    fields: list
    deleted: bool = False

    @property
    def guid(self):
        return f"change:{self.kind.key}:{self.history_id}"


def _decode(value):
    if isinstance(value, str):  # some backends give JSON text inside a UNION
        return json.loads(value)
    return value


def _names(value):
    return set(_decode(value) or ())


def to_change(row):
    date, history_id, history_type, pk, key, data, before = row
    kind = registry.change_kind(key)
    data, before = _decode(data) or {}, _decode(before)
    if history_type == "-":
        return Change(kind, pk, history_id, date, False, kind.title(data), "", [], deleted=True)
    created = history_type == "+" or before is None
    fields = []
    for name in kind.fields:
        new = kind.display(name, data.get(name))
        old = "" if created else kind.display(name, before.get(name))
        if created and not new:
            continue
        if created or old != new:
            fields.append({"name": name, "label": kind.verbose(name), "old": old, "new": new})
    for name in kind.m2m_fields:
        new = _names(data.get(name))
        old = set() if created else _names(before.get(name))
        added, removed = sorted(new - old, key=str.casefold), sorted(old - new, key=str.casefold)
        if added or removed:
            fields.append(
                {
                    "name": name,
                    "label": kind.verbose(name),
                    "old": ", ".join(removed),
                    "new": ", ".join(added),
                    "added": added,
                    "removed": removed,
                }
            )
    if not fields:
        return None
    return Change(kind, pk, history_id, date, created, kind.title(data), kind.url(data, pk), fields)


def kinds_shown(keys=None):
    return [k for k in kinds() if not keys or k.key in keys]


class ChangeLog:
    """The changes matching the filters, newest first; sliceable and
    countable, so Django's Paginator pages it.

    Three queries a page, each a UNION over the kinds: the count and the
    page's keys (date, history id, kind) read the history rows alone; only
    the page's rows then have their data and their previous version's data
    built (PostgreSQL computes every column of every branch of a UNION before
    sorting it, so one query for all would build the JSON of every row)."""

    def __init__(self, kinds=None, vendors=None, programs=None):
        self.kinds, self.vendors, self.programs = kinds_shown(kinds), vendors, programs
        parts = [_kind_queryset(k, vendors, programs, data=False) for k in self.kinds]
        parts = [p for p in parts if p is not None]
        if not parts:
            self.keys = None
        else:
            first, *rest = parts
            self.keys = (first.union(*rest, all=True) if rest else first).order_by("-history_date", "-history_id")

    def count(self):
        return self.keys.count() if self.keys is not None else 0

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if self.keys is None:
            return []
        keys = list(self.keys[index]) if isinstance(index, slice) else [self.keys[index]]
        ids = {}
        for _date, history_id, key in keys:
            ids.setdefault(key, []).append(history_id)
        parts = [
            _kind_queryset(k, self.vendors, self.programs).filter(history_id__in=ids[k.key])
            for k in self.kinds
            if k.key in ids
        ]
        if not parts:
            return []
        first, *rest = parts
        rows = {(r[4], r[1]): r for r in (first.union(*rest, all=True) if rest else first)}
        ordered = [rows.get((key, history_id)) for _date, history_id, key in keys]
        return [c for c in (to_change(r) for r in ordered if r is not None) if c is not None]


# -- the page -----------------------------------------------------------------------


class ChangeFilterForm(forms.Form):
    """``vendor`` and ``program`` (slugs of published records), ``kind``
    (repeat for "any of")."""

    vendor = SafeModelMultipleChoiceField(
        queryset=Vendor.objects.published(), to_field_name="slug", required=False, label=_("Vendor")
    )
    program = SafeModelMultipleChoiceField(
        queryset=Program.objects.published(), to_field_name="slug", required=False, label=_("Program")
    )
    kind = forms.MultipleChoiceField(choices=kind_choices, required=False, label=_("Kind of record"))


def changelog_for(data):
    """(form, ChangeLog) for query parameters; invalid values are ignored
    (and shown as form errors)."""
    form = ChangeFilterForm(data)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    vendors = cleaned.get("vendor")
    programs = cleaned.get("program")
    log = ChangeLog(
        kinds=cleaned.get("kind") or None,
        vendors=[v.pk for v in vendors] if vendors else None,
        programs=[p.pk for p in programs] if programs else None,
    )
    return form, log, cleaned


class ChangeListView(TemplateView):
    """``/changes/``: recent changes to the published knowledge, newest first."""

    template_name = "portal/changes.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form, log, cleaned = changelog_for(self.request.GET)
        paginator = Paginator(log, self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        ctx.update(
            form=form,
            filter_errors=form.errors,
            page_obj=page,
            changes=page.object_list,
            result_count=paginator.count,
            vendors=Vendor.objects.published().only("name", "slug").order_by("name")[:CHOICES_SHOWN],
            programs=Program.objects.published().only("name", "acronym", "slug").order_by("name")[:CHOICES_SHOWN],
            kinds=kind_choices(),
            selected={
                "vendor": {v.slug for v in cleaned.get("vendor") or ()},
                "program": {p.slug for p in cleaned.get("program") or ()},
                "kind": set(cleaned.get("kind") or ()),
            },
            is_filtered=any(cleaned.get(k) for k in ("vendor", "program", "kind")),
            feeds=feeds_for(cleaned),
        )
        return ctx


CHOICES_SHOWN = 300  # vendors / programs offered in the filter menus (any slug works in the address)


def feeds_for(cleaned):
    """The Atom feeds matching the filters: one per chosen vendor and program,
    else the feed of every change."""
    feeds = [
        (_("Changes of %(name)s") % {"name": v.name}, reverse("changes:vendor-feed", kwargs={"slug": v.slug}))
        for v in cleaned.get("vendor") or ()
    ]
    feeds += [
        (_("Changes of %(name)s") % {"name": p}, reverse("changes:program-feed", kwargs={"slug": p.slug}))
        for p in cleaned.get("program") or ()
    ]
    return feeds or [(_("All changes"), reverse("changes:feed"))]
