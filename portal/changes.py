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
from dataclasses import dataclass, field

from django import forms
from django.core.paginator import Paginator
from django.db.models import Aggregate, F, JSONField, OuterRef, Q, Subquery, Value
from django.db.models.fields import CharField
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_reverse_field_name

from kb.filtersets import SafeModelMultipleChoiceField
from kb.translation import from_values, localized_fields
from partners.models import Membership, Partner
from programs.models import Benefit, FocusArea, Program, ProgramEvent, Tier
from sources.models import Quote, Source
from vendors.models import Person, Vendor, VendorRelation

TEXT_SHOWN = 300  # characters of a long text shown before and after a change


def _program_ids_of_vendors(vendors):
    return Program.vendors.through.objects.filter(vendor__in=vendors).values("program_id")


def _historical_links(model, name):
    """simple-history's table of one many-to-many field's past links."""
    return HistoricalRecords.m2m_models[model._meta.get_field(name)]


def _deleted_program_ids_of_vendors(vendors):
    """Programs the vendor ran at some point, from the history of the links
    (a deleted program's links are gone from the link table)."""
    return _historical_links(Program, "vendors").objects.filter(vendor__in=vendors).values("program_id")


def _public(model):
    manager = model.objects
    return manager.published() if hasattr(manager, "published") else manager.all()


class JSONArrayAgg(Aggregate):
    """The grouped values as a JSON array (SQLite ``json_group_array``,
    PostgreSQL ``jsonb_agg``)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra)


@dataclass
class Kind:
    """How one model's history is read: ``fields`` are the public fields
    (a foreign key is shown by its related record's ``label`` attribute),
    ``extra`` hidden values the title and the address need, ``for_vendor`` /
    ``for_program`` the condition (on the historical row) for the filters."""

    key: str
    model: type
    fields: tuple
    title: object  # callable(data) -> str
    url: object  # callable(data, id) -> path
    extra: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)  # foreign key -> related attribute shown
    for_vendor: object = None  # callable(vendor ids subquery) -> Q
    for_program: object = None  # callable(program ids subquery) -> Q
    deleted_public: object = None  # callable(historical rows) -> the deletions of public records

    @property
    def m2m_fields(self):
        """The many-to-many fields simple-history tracks (``m2m_fields=``)."""
        return tuple(f.name for f in getattr(self.history, "_history_m2m_fields", ()))

    def links(self, name):
        """The names of the published records one historical row links to
        through ``name``, as a JSON array (None when there are none)."""
        field = self.model._meta.get_field(name)
        related = field.related_model
        target = get_m2m_reverse_field_name(field)
        label = "title" if any(f.name == "title" for f in related._meta.fields) else "name"
        rows = _historical_links(self.model, name).objects.filter(
            history=OuterRef("history_id"), **{f"{target}__in": _public(related).values("pk")}
        )
        names = rows.order_by().values("history").annotate(names=JSONArrayAgg(f"{target}__{label}")).values("names")
        return Subquery(names, output_field=JSONField())

    def deletions(self, rows):
        """The deletions (historical rows of type '-') of records public when
        they were deleted: published then, under parents published now, as
        the model's ``published()`` says of the record itself."""
        rows = rows.filter(history_type="-")
        if self.deleted_public is not None:
            return self.deleted_public(rows)
        published = getattr(type(self.model.objects.all()), "published", None)
        return published(rows) if published else rows

    def __post_init__(self):
        # A translated field is read from its columns, one per language
        # (kb.translation): "summary [fr]" changed, "summary [en]" did not.
        self.fields = localized_fields(self.model, self.fields)

    @property
    def label(self):
        return self.model._meta.verbose_name

    @property
    def history(self):
        return self.model.history.model

    def public(self):
        """The records the public pages show now."""
        return _public(self.model)

    @property
    def publishable(self):
        return any(f.name == "is_published" for f in self.model._meta.fields)

    def json(self, prefix=""):
        values = {}
        for name in self.fields:
            related = self.labels.get(name)
            values[name] = F(f"{prefix}{name}__{related}") if related else F(f"{prefix}{name}")
        for name, path in self.extra.items():
            values[name] = F(prefix + path)
        for name in self.m2m_fields:
            values[name] = self.links(name)
        return JSONObject(**values)

    def verbose(self, name):
        return self.model._meta.get_field(name).verbose_name

    def display(self, name, value):
        """A stored value as the public pages show it (choice labels, dates)."""
        if value is None or value == "":
            return ""
        model_field = self.model._meta.get_field(name)
        if model_field.choices and name not in self.labels:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if model_field.get_internal_type() == "DateField":
            try:
                return formats.date_format(dt.date.fromisoformat(str(value)[:10]), "DATE_FORMAT")
            except ValueError:
                return str(value)
        return Truncator(str(value)).chars(TEXT_SHOWN)


def _slug_url(name):
    return lambda d, pk: reverse(name, kwargs={"slug": d["slug"]})


KINDS = [
    Kind(
        "vendor",
        Vendor,
        ("name", "summary", "description", "website", "headquarters", "fiscal_year_start_month"),
        title=lambda d: d["name"],
        url=_slug_url("vendors:detail"),
        extra={"slug": "slug"},
        for_vendor=lambda vendors: Q(id__in=vendors),
    ),
    Kind(
        "person",
        Person,
        ("name", "title", "employer"),
        title=lambda d: d["name"],
        url=_slug_url("people:detail"),
        extra={"slug": "slug"},
        labels={"employer": "name"},
        for_vendor=lambda vendors: Q(employer__in=vendors),
    ),
    Kind(
        "vendorrelation",
        VendorRelation,
        ("vendor", "kind", "other_vendor", "summary"),
        title=lambda d: f"{d['vendor']} – {d['other_vendor']}",
        url=lambda d, pk: reverse("vendors:detail", kwargs={"slug": d["_vendor_slug"]}) + f"#relation-{pk}",
        extra={"_vendor_slug": "vendor__slug"},
        labels={"vendor": "name", "other_vendor": "name"},
        for_vendor=lambda vendors: Q(vendor__in=vendors) | Q(other_vendor__in=vendors),
    ),
    Kind(
        "program",
        Program,
        (
            "name",
            "acronym",
            "status",
            "route_to_market",
            "scope",
            "summary",
            "description",
            "announced_on",
            "announced_precision",
            "launch_window",
            "launch_start",
            "launch_end",
            "rollout_notes",
            "levels_announced",
        ),
        title=lambda d: d["name"],
        url=_slug_url("programs:detail"),
        extra={"slug": "slug"},
        for_vendor=lambda vendors: (
            Q(id__in=_program_ids_of_vendors(vendors))
            | Q(history_type="-", id__in=_deleted_program_ids_of_vendors(vendors))
        ),
        for_program=lambda programs: Q(id__in=programs),
    ),
    Kind(
        "tier",
        Tier,
        ("name", "kind", "rank", "summary", "requirements", "benefits_text"),
        title=lambda d: f"{d['_program']} – {d['name']}",
        url=lambda d, pk: reverse("programs:tier", kwargs={"program_slug": d["_program_slug"], "slug": d["_slug"]}),
        extra={"_program": "program__name", "_program_slug": "program__slug", "_slug": "slug"},
        for_vendor=lambda vendors: Q(program__in=_program_ids_of_vendors(vendors)),
        for_program=lambda programs: Q(program__in=programs),
    ),
    Kind(
        "benefit",
        Benefit,
        ("title", "kind", "tier", "description"),
        title=lambda d: f"{d['_program']} – {from_values(d, 'title')}",
        url=lambda d, pk: reverse("programs:detail", kwargs={"slug": d["_program_slug"]}) + f"#benefit-{pk}",
        extra={"_program": "program__name", "_program_slug": "program__slug"},
        labels={"tier": "name"},
        for_vendor=lambda vendors: Q(program__in=_program_ids_of_vendors(vendors)),
        for_program=lambda programs: Q(program__in=programs),
    ),
    Kind(
        "focusarea",
        FocusArea,
        ("name",),
        title=lambda d: d["name"],
        url=lambda d, pk: reverse("programs:list") + f"?focus_area={d['slug']}",
        extra={"slug": "slug"},
        # A focus area is public while a published program has it: a deleted
        # one was public if a published program's published version had it.
        deleted_public=lambda rows: rows.filter(
            id__in=_historical_links(Program, "focus_areas")
            .objects.filter(history__is_published=True, program__in=Program.objects.published().values("pk"))
            .values("focusarea_id")
        ),
    ),
    Kind(
        "programevent",
        ProgramEvent,
        (
            "title",
            "kind",
            "program",
            "vendor",
            "start_date",
            "end_date",
            "precision",
            "date_text",
            "place",
            "description",
        ),
        title=lambda d: from_values(d, "title"),
        url=_slug_url("programs:event"),
        extra={"slug": "slug"},
        labels={"program": "name", "vendor": "name"},
        for_vendor=lambda vendors: Q(vendor__in=vendors) | Q(program__in=_program_ids_of_vendors(vendors)),
        for_program=lambda programs: Q(program__in=programs),
    ),
    Kind(
        "partner",
        Partner,
        ("name", "country", "kind", "website", "description"),
        title=lambda d: d["name"],
        url=_slug_url("partners:detail"),
        extra={"slug": "slug"},
    ),
    Kind(
        "membership",
        Membership,
        ("partner", "tier", "since", "until"),
        title=lambda d: f"{d['partner']} – {d['_program']} {d['tier']}",
        url=lambda d, pk: reverse("partners:detail", kwargs={"slug": d["_partner_slug"]}),
        extra={"_program": "program__name", "_partner_slug": "partner__slug"},
        labels={"partner": "name", "tier": "name"},
        for_vendor=lambda vendors: Q(program__in=_program_ids_of_vendors(vendors)),
        for_program=lambda programs: Q(program__in=programs),
    ),
    Kind(
        "source",
        Source,
        ("title", "outlet", "language", "published_on", "url", "summary"),
        title=lambda d: from_values(d, "title"),
        url=_slug_url("sources:detail"),
        extra={"slug": "slug"},
    ),
    Kind(
        "quote",
        Quote,
        ("person", "text", "language", "source", "program", "vendor", "said_on", "context"),
        title=lambda d: str(Truncator(f"{d['person']}: « {d['text']} »").chars(80)),
        url=lambda d, pk: reverse("people:detail", kwargs={"slug": d["_person_slug"]}) + f"#quote-{pk}",
        extra={"_person_slug": "person__slug"},
        labels={"person": "name", "source": "title", "program": "name", "vendor": "name"},
        for_vendor=lambda vendors: Q(vendor__in=vendors) | Q(program__in=_program_ids_of_vendors(vendors)),
        for_program=lambda programs: Q(program__in=programs),
    ),
]
KINDS_BY_KEY = {k.key: k for k in KINDS}


def kind_choices():
    return [(k.key, k.model._meta.verbose_name_plural) for k in KINDS]


def _kind_queryset(kind, vendors=None, programs=None):
    """The public historical rows of one model, with their data and the data
    of the previous published version, as (date, history id, type, id, kind,
    data, previous data)."""
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

    kind: Kind
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
    kind = KINDS_BY_KEY[key]
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


class ChangeLog:
    """The changes matching the filters, newest first; sliceable and
    countable, so Django's Paginator pages it (one query per page, one count)."""

    def __init__(self, kinds=None, vendors=None, programs=None):
        parts = [_kind_queryset(k, vendors, programs) for k in KINDS if not kinds or k.key in kinds]
        parts = [p for p in parts if p is not None]
        if not parts:
            self.qs = None
        else:
            first, *rest = parts
            self.qs = first.union(*rest, all=True).order_by("-history_date", "-history_id") if rest else first
            if not rest:
                self.qs = self.qs.order_by("-history_date", "-history_id")

    def count(self):
        return self.qs.count() if self.qs is not None else 0

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if self.qs is None:
            return []
        rows = self.qs[index] if isinstance(index, slice) else [self.qs[index]]
        return [c for c in (to_change(r) for r in rows) if c is not None]


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
