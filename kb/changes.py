"""How the change log (``/changes/``, portal/changes.py) reads one model's
history: each domain app declares a ``ChangeKind`` per knowledge model in its
``changes.py`` (its public fields, the title and address of a change, how the
vendor and program filters apply) and registers it from its
``AppConfig.ready()`` (``kb.registry.register_change_kinds``)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Aggregate, F, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_reverse_field_name

from kb.translation import localized_fields

TEXT_SHOWN = 300  # characters of a long text shown before and after a change


def historical_links(model, name):
    """simple-history's table of one many-to-many field's past links."""
    return HistoricalRecords.m2m_models[model._meta.get_field(name)]


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
class ChangeKind:
    """How one model's history is read: ``fields`` are the public fields
    (a foreign key is shown by its related record's ``label`` attribute),
    ``extra`` hidden values the title and the address need, ``for_vendor`` /
    ``for_program`` the condition (on the historical row) for the filters;
    ``order`` places the kind in the page's menu of kinds."""

    key: str
    model: type
    fields: tuple
    title: object  # callable(data) -> str
    url: object  # callable(data, id) -> path
    order: int = 0
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
        rows = historical_links(self.model, name).objects.filter(
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


def slug_url(name):
    return lambda d, pk: reverse(name, kwargs={"slug": d["slug"]})
