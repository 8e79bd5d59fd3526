"""Shared building blocks for spreadsheet import and export
(django-import-export). Every app's ``resources.py`` builds on ``KBResource``.

The rules every resource follows:

- one column per field, named like the field (``announced_on``, ``sources``);
  an export re-imports as "unchanged";
- related records are named by slug (an exact name is accepted too) and are
  never created by an import: an unknown one makes the row invalid;
- many-to-many columns list slugs separated by commas (``cloud, msp``);
- dates are written ``YYYY-MM-DD`` (or are real dates in XLSX);
- each row is validated like an admin form (``full_clean``, so the model's
  rules, e.g. one level per program, hold); a row that breaks a rule is
  reported with its line and column and nothing is written;
- a record appears once per file; unknown columns are refused;
- column names are the field names whatever the interface language (they
  are identifiers, like the API's: a file exported in French imports in an
  English session); every message about a file or a row is translated.
"""

import datetime as dt
import hashlib

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.resources import Diff
from import_export.results import RowResult

from utilities.controls import control_characters, describe
from utilities.csv import formula_escape, formula_unescape

MISSING = object()


class ImportRefused(ValueError):
    """A problem with the file as a whole (columns, duplicates, a stale
    preview): reported above the preview, and nothing is written."""


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return force_str(value).strip()


def refuse_control_characters(text, multiline=False):
    """A cell holding NUL, an ANSI escape or another control character makes
    its row invalid (multi-line text keeps tab and line breaks)."""
    chars = control_characters(text, multiline)
    if chars:
        raise ValueError(
            _("This cell holds control characters (%(chars)s), which cannot be stored: remove them.")
            % {"chars": describe(chars)}
        )
    return text


class TextWidget(widgets.Widget):
    """Text columns: surrounding spaces dropped, an empty cell is ''; the
    apostrophe the export puts before formula-like text is removed, so an
    exported file imports back unchanged; control characters are refused."""

    def __init__(self, multiline=False, **kwargs):
        super().__init__(**kwargs)
        self.multiline = multiline

    def clean(self, value, row=None, **kwargs):
        return refuse_control_characters(formula_unescape(_text(value)), self.multiline)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if text == "":
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text}) from None
        if not number.is_integer():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
        return int(number)


class BooleanWidget(widgets.BooleanWidget):
    TRUE_TEXT = {"1", "true", "yes", "y", "oui", "x"}
    FALSE_TEXT = {"0", "false", "no", "n", "non"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text == "":
            return None  # the field's default applies
        if text in self.TRUE_TEXT:
            return True
        if text in self.FALSE_TEXT:
            return False
        raise ValueError(_("“%(value)s” is not yes/no (write 1 or 0).") % {"value": _text(value)})


class DateWidget(widgets.DateWidget):
    """ISO dates only (2010-05-01): day/month order is ambiguous between the
    French and American spreadsheets the sources come in."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if text == "":
            return None
        try:
            return dt.date.fromisoformat(text[:10] if len(text) > 10 and text[10] in " T" else text)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2010-05-01.") % {"value": text}
            ) from None


class ChoiceWidget(widgets.Widget):
    """A value from the field's choices; the label is accepted too."""

    def __init__(self, choices, empty="", **kwargs):
        self.empty = empty  # None for a nullable column (a month number left blank)
        self.values = {str(v): v for v, _label in choices}
        self.labels = {force_str(label).lower(): v for v, label in choices}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if text in self.values:
            return self.values[text]
        if text.lower() in self.labels:
            return self.labels[text.lower()]
        if text == "":
            return self.empty  # the field's default applies (or full_clean says it is required)
        allowed = ", ".join(v for v in self.values if v)
        raise ValueError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)


def _lookup(queryset, value, name_field):
    """One record by slug, else by name (both case-insensitive)."""
    obj = queryset.filter(slug__iexact=value).first()
    if obj is None and name_field:
        matches = list(queryset.filter(**{f"{name_field}__iexact": value})[:2])
        if len(matches) > 1:
            raise ValueError(
                _("Several %(model)s are named “%(value)s”: use the slug.")
                % {"model": queryset.model._meta.verbose_name_plural, "value": value}
            )
        obj = matches[0] if matches else None
    return obj


def _name_field(model):
    names = {f.name for f in model._meta.get_fields()}
    for candidate in ("name", "title"):
        if candidate in names:
            return candidate
    return None


class SlugForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related record named by slug (or exact name); exported as its slug.
    ``scope`` (row -> queryset filter kwargs) narrows the lookup, e.g. a tier
    within the row's program."""

    def __init__(self, model, scope=None, **kwargs):
        super().__init__(model, field="slug", **kwargs)
        self.scope = scope

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = self.model._default_manager.all()
        if self.scope is not None:
            queryset = queryset.filter(**self.scope(row or {}))
        return queryset

    def clean(self, value, row=None, **kwargs):
        text = refuse_control_characters(_text(value))
        if not text:
            return None
        obj = _lookup(self.get_queryset(text, row), text, _name_field(self.model))
        if obj is None:
            raise ValueError(
                _("No %(model)s with the slug or name “%(value)s”.")
                % {"model": self.model._meta.verbose_name, "value": text}
            )
        return obj

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.slug


class SlugManyToManyWidget(widgets.ManyToManyWidget):
    """Several related records, slugs (or exact names) separated by commas.
    Every one must exist: an unknown one makes the row invalid."""

    def __init__(self, model, **kwargs):
        super().__init__(model, separator=",", field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = refuse_control_characters(_text(value))
        items = [item.strip() for item in text.split(self.separator) if item.strip()]
        if not items:
            return self.model.objects.none()
        queryset = self.model._default_manager.all()
        found, missing = [], []
        for item in items:
            obj = _lookup(queryset, item, _name_field(self.model))
            (found.append(obj.pk) if obj else missing.append(item))
        if missing:
            raise ValueError(
                _("Unknown %(model)s: %(values)s.")
                % {"model": self.model._meta.verbose_name_plural, "values": ", ".join(f"“{m}”" for m in missing)}
            )
        return self.model._default_manager.filter(pk__in=found)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(sorted(o.slug for o in value.all()))


class ChangedField:
    def __init__(self, column, old, new):
        self.column, self.old, self.new = column, old, new


class FieldDiff(Diff):
    """The preview's diff: for each row, the columns whose value changes."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.columns = [f.column_name for f in resource.get_import_fields()]

    def as_html(self):
        changes = []
        for column, old, new in zip(self.columns, self.left, self.right, strict=False):
            old, new = force_str(old if old is not None else ""), force_str(new if new is not None else "")
            if self.new:
                old = ""
            if old != new:
                changes.append(ChangedField(column, old, new))
        return changes


class KBResource(resources.ModelResource):
    """Base resource: validated rows, slugs for related records, one
    transaction, history kept (rows are saved through ``Model.save``)."""

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        use_bulk = False
        skip_diff = False
        store_instance = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen_keys = {}
        self._matched = []

    # -- export -----------------------------------------------------------

    #: Rows fetched per query when exporting.
    export_batch_size = 2000

    def export_relations(self):
        """(foreign keys, many-to-many) among the exported columns: fetched
        with each batch (select_related / prefetch_related), not per row."""
        fks, m2ms = [], []
        for field in self.get_export_fields():
            name = field.attribute
            if not name or "__" in name:
                continue
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if model_field.many_to_many:
                m2ms.append(name)
            elif model_field.many_to_one or model_field.one_to_one:
                fks.append(name)
        return fks, m2ms

    def iter_queryset(self, queryset):
        """The rows in primary-key order, in batches of ``export_batch_size``
        (keyset: ``pk > last``), each batch a fixed number of queries (the
        rows with their foreign keys, one per many-to-many column): 100,000
        memberships are 50 batches, not 100,000 queries, and memory stays flat."""
        if not isinstance(queryset, models.QuerySet):
            yield from queryset
            return
        fks, m2ms = self.export_relations()
        queryset = queryset.order_by("pk")
        if fks:
            queryset = queryset.select_related(*fks)
        if m2ms:
            queryset = queryset.prefetch_related(*m2ms)
        last = None
        while True:
            batch = list((queryset if last is None else queryset.filter(pk__gt=last))[: self.export_batch_size])
            if not batch:
                return
            yield from batch
            last = batch[-1].pk

    #: Widgets whose ``render`` needs only the column's value (a slug for the
    #: related-record widgets): the columns the fast export reads with ``values()``.
    _VALUE_WIDGETS = (TextWidget, IntegerWidget, BooleanWidget, DateWidget, ChoiceWidget)

    def export_plan(self, export_fields=None):
        """How the fast export reads each column, or None when a column needs
        the record itself (a ``dehydrate_`` method, a path, another widget).

        Each step is ``(kind, name, field)``: ``"value"`` reads ``name`` with
        ``values_list`` (``<fk>__slug`` for a related record), ``"m2m"`` the
        slugs of a many-to-many field, batch by batch from its through table."""
        plan = []
        for field in self.get_export_fields(export_fields):
            name = field.attribute
            dehydrate = field.get_dehydrate_method(self.get_field_name(field))
            if callable(dehydrate) or getattr(self, dehydrate, None) is not None or not name or "__" in name:
                return None
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                return None
            widget = field.widget
            if model_field.many_to_many and type(widget) is SlugManyToManyWidget:
                plan.append(("m2m", name, field))
            elif (model_field.many_to_one or model_field.one_to_one) and type(widget) is SlugForeignKeyWidget:
                plan.append(("value", f"{name}__slug", field))
            elif not model_field.is_relation and type(widget) in self._VALUE_WIDGETS:
                plan.append(("value", model_field.attname, field))
            else:
                return None
        return plan

    def export(self, queryset=None, **kwargs):
        """The rows as ``Model.objects.values_list`` gives them, batch by batch
        (keyset on the primary key; per batch one query for the columns, the
        related slugs joined, and one per many-to-many column), rendered by
        each column's widget and neutralised like ``export_field``: the same
        cells as django-import-export's row-by-row export (a test compares
        them), without building a model instance per row. 100,000 memberships
        export in about 2 s instead of more than the 30 s a worker gets.
        Falls back to the row-by-row export when a column needs the record."""
        export_fields = kwargs.get("export_fields")
        plan = self.export_plan(export_fields)
        if queryset is None:
            queryset = self.get_queryset()
        if plan is None or not isinstance(queryset, models.QuerySet):
            return super().export(queryset=queryset, **kwargs)
        self.before_export(queryset, **kwargs)
        queryset = self.filter_export(queryset, **kwargs)
        dataset = tablib.Dataset(headers=self.get_export_headers(selected_fields=export_fields))
        render_kwargs = {k: v for k, v in kwargs.items() if k == "force_native_type"}
        value_names = ["pk"] + [name for kind, name, _field in plan if kind == "value"]
        rows = queryset.order_by("pk").values_list(*value_names)
        known = {name: {} for kind, name, _field in plan if kind == "m2m"}
        last = None
        while True:
            batch = list((rows if last is None else rows.filter(pk__gt=last))[: self.export_batch_size])
            if not batch:
                break
            last = batch[-1][0]
            pks = [row[0] for row in batch]
            related = {name: self._m2m_slugs(name, pks, known[name]) for kind, name, _field in plan if kind == "m2m"}
            for row in batch:
                values = iter(row[1:])
                cells = []
                for kind, name, field in plan:
                    if kind == "m2m":
                        cell = ", ".join(related[name].get(row[0], ()))
                    elif isinstance(field.widget, SlugForeignKeyWidget):
                        cell = next(values) or ""
                    else:
                        cell = field.widget.render(next(values), None, **render_kwargs)
                    cells.append(formula_escape(cell))
                dataset.append(cells)
        self.after_export(queryset, dataset, **kwargs)
        return dataset

    def _m2m_slugs(self, name, pks, known):
        """{record pk: its related slugs, sorted} for one many-to-many column:
        the pairs from the through table alone (joined to the related table,
        SQLite's planner starts from the few sources and reads every pair:
        0.36 s per batch at 100k), then the slugs not yet in ``known``
        (related pk -> slug, kept across batches)."""
        model_field = self._meta.model._meta.get_field(name)
        through = model_field.remote_field.through
        source = model_field.m2m_field_name()
        target = model_field.m2m_reverse_field_name()
        pairs = list(
            through._default_manager.filter(**{f"{source}_id__in": pks}).values_list(f"{source}_id", f"{target}_id")
        )
        missing = {target_pk for _pk, target_pk in pairs if target_pk not in known}
        if missing:
            related = model_field.related_model._default_manager.filter(pk__in=missing)
            known.update(related.values_list("pk", "slug"))
        slugs = {}
        for pk, target_pk in pairs:
            slugs.setdefault(pk, []).append(known[target_pk])
        return {pk: sorted(values) for pk, values in slugs.items()}

    # -- fields -----------------------------------------------------------

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        if isinstance(django_field, models.ManyToManyField):
            widget = SlugManyToManyWidget(django_field.related_model)
        elif isinstance(django_field, models.ForeignKey):
            widget = SlugForeignKeyWidget(django_field.related_model)
        elif django_field.choices:
            widget = ChoiceWidget(django_field.choices, empty=None if django_field.null else "")
        elif isinstance(django_field, models.BooleanField):
            widget = BooleanWidget()
        elif isinstance(django_field, models.DateField) and not isinstance(django_field, models.DateTimeField):
            widget = DateWidget()
        elif isinstance(django_field, models.IntegerField):
            widget = IntegerWidget()
        elif isinstance(django_field, models.CharField | models.TextField):
            widget = TextWidget(multiline=isinstance(django_field, models.TextField))
        else:
            return super().field_from_django_field(field_name, django_field, readonly)
        return fields.Field(
            attribute=field_name,
            column_name=field_name,
            widget=widget,
            readonly=readonly,
            default=django_field.default,
        )

    def get_diff_class(self):
        return FieldDiff

    def export_field(self, field, instance, **kwargs):
        """Every exported cell (CSV and XLSX) is safe to open in a
        spreadsheet: formula-like text gets a leading apostrophe, which the
        import removes again."""
        return formula_escape(super().export_field(field, instance, **kwargs))

    def column_for(self, attribute):
        for field in self.get_import_fields():
            if field.attribute == attribute or field.column_name == attribute:
                return field.column_name
        return None

    # -- the file as a whole ----------------------------------------------

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = [_text(h) for h in (dataset.headers or [])]
        # Drop fully empty rows (spreadsheets often end with some).
        for index in reversed(range(len(dataset))):
            if all(_text(v) == "" for v in dataset[index]):
                del dataset[index]
        # Drop nameless, empty columns (trailing XLSX columns).
        keep = [i for i, h in enumerate(headers) if h != "" or any(_text(row[i]) != "" for row in dataset)]
        rows = [[row[i] for i in keep] for row in dataset]
        dataset.wipe()
        headers = [headers[i] for i in keep]
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        known = [f.column_name for f in self.get_import_fields()]
        unknown = [h or _("(no name)") for h in headers if h not in known]
        if unknown:
            message = _("Unknown columns: %(unknown)s. The columns are: %(known)s.") % {
                "unknown": ", ".join(unknown),
                "known": ", ".join(known),
            }
            glued = next((sep for sep in (";", "|", ",", "\t") for h in unknown if sep in h), None)
            if glued:
                message += " " + _(
                    "The column names seem to be separated by “%(separator)s”: separate them (and the cells) "
                    "with commas, semicolons or tabs."
                ) % {"separator": glued if glued != "\t" else _("tab")}
            raise ImportRefused(message)
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        if repeated:
            raise ImportRefused(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(repeated)})
        required = [self.fields[f].column_name for f in self.get_import_id_fields()]
        missing = [c for c in required if c not in headers]
        if missing:
            raise ImportRefused(
                _("Missing columns: %(missing)s (they say which record each row is).") % {"missing": ", ".join(missing)}
            )

    # -- each row -----------------------------------------------------------

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ValidationError):
            return None  # a bad key: import_instance reports it on its column

    def after_init_instance(self, instance, new, row, **kwargs):
        super().after_init_instance(instance, new, row, **kwargs)
        self._matched.append((kwargs.get("row_number"), None if new else instance.pk, getattr(instance, "version", 0)))

    def row_key(self, row):
        return tuple(_text(row.get(self.fields[f].column_name)).lower() for f in self.get_import_id_fields())

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        # Many-to-many columns are saved after the row; check them now so an
        # unknown slug is reported on its row and column.
        links = {}
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    links[field.attribute] = list(field.clean(row))
                except ValueError as e:
                    errors[field.attribute] = ValidationError(force_str(e), code="invalid")
        errors.update({k: v for k, v in self.link_errors(instance, links).items() if k not in errors})
        key = self.row_key(row)
        number = kwargs.get("row_number")
        if any(key):
            first = self._seen_keys.setdefault(key, number)
            if first != number:
                id_columns = [self.fields[f].column_name for f in self.get_import_id_fields()]
                errors[self.fields[self.get_import_id_fields()[0]].attribute] = ValidationError(
                    _("The same record (%(columns)s) is already on line %(line)s: each record goes on one line.")
                    % {"columns": ", ".join(id_columns), "line": first + 1},
                    code="duplicate",
                )
        if errors:
            raise ValidationError(errors)

    def _links_after(self, instance, links, name):
        """Whether ``instance`` will have a ``name`` link once the row is
        saved: the column's value, else (column absent) what it has now."""
        if name in links:
            return bool(links[name])
        return bool(instance.pk) and getattr(instance, name).exists()

    def link_errors(self, instance, links):
        """What the admin's forms refuse, refused on the row too: a required
        many-to-many left empty (a program with no vendor would say "not
        stated", which is false), and publishing a record that cites nothing
        (no source and no passage)."""
        errors = {}
        opts = instance._meta
        for field in opts.many_to_many:
            if not field.blank and not self._links_after(instance, links, field.name):
                errors[field.name] = ValidationError(
                    _("A %(model)s needs at least one of its %(field)s: this column cannot be empty.")
                    % {"model": opts.verbose_name, "field": field.verbose_name},
                    code="required_link",
                )
        cites = any(f.name == "sources" for f in opts.many_to_many)
        if getattr(instance, "is_published", False) and cites and not self._links_after(instance, links, "sources"):
            passages = getattr(instance, "passages", None)
            has_passages = bool(instance.pk) and passages is not None and passages.exists()
            # A record already published citing nothing (made before the rule)
            # may be re-imported as it is: the row does not publish it.
            was_published = bool(instance.pk) and (
                type(instance)._default_manager.filter(pk=instance.pk, is_published=True).exists()
            )
            already = was_published and not instance.sources.exists()
            if not has_passages and not already:
                errors["is_published"] = ValidationError(
                    _(
                        "This record cites no source at all (no source and no passage), so it cannot be "
                        "published: give its sources, or 0 in the is_published column to keep it as a draft."
                    ),
                    code="no_source",
                )
        return errors

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        file_name = kwargs.get("file_name")
        instance._change_reason = (
            _("Imported from %(file)s") % {"file": file_name} if file_name else _("Imported from a file")
        )

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.number = kwargs.get("row_number")
        row_result.line = (row_result.number or 0) + 1  # the header is line 1
        row_result.issues = self.describe_issues(row, row_result)
        return row_result

    def describe_issues(self, row, row_result):
        """(column, message, value) for each problem of an invalid row."""
        issues = []
        error = row_result.validation_error
        if error is not None:
            error_dict = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
            for attribute, errors in error_dict.items():
                column = None if attribute == NON_FIELD_ERRORS else self.column_for(attribute)
                value = _text(row.get(column)) if column else ""
                for err in errors:
                    if err.code in ("null", "blank", "required"):
                        message = _("This column needs a value.")
                    else:
                        message = " ".join(err.messages)
                    issues.append((column, message, value))
        for err in row_result.errors:
            issues.append((None, force_str(err.error), ""))
        return issues

    # -- the preview token: the confirm step writes what the preview showed --

    def preview_token(self):
        digest = hashlib.sha256(repr(sorted(self._matched, key=repr)).encode())
        return digest.hexdigest()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.preview_token = self.preview_token()
        expected = kwargs.get("preview_token")
        expected_invalid = kwargs.get("expected_invalid_lines")
        invalid = sorted(getattr(row, "line", 0) for row in result.rows if row_status(row) == "invalid")
        if expected_invalid and expected_invalid != invalid:
            raise ImportRefused(
                _(
                    "The rows left out would not be the ones the preview showed as invalid. "
                    "Nothing was imported: upload the file again to see an up-to-date preview."
                )
            )
        if expected and expected != result.preview_token:
            raise ImportRefused(
                _(
                    "Some of these records were changed by someone else since the preview. "
                    "Nothing was imported: upload the file again to see an up-to-date preview."
                )
            )


def row_status(row_result):
    """The preview's word for a row: new, changed, unchanged or invalid."""
    return {
        RowResult.IMPORT_TYPE_NEW: "new",
        RowResult.IMPORT_TYPE_UPDATE: "changed",
        RowResult.IMPORT_TYPE_SKIP: "unchanged",
        RowResult.IMPORT_TYPE_INVALID: "invalid",
        RowResult.IMPORT_TYPE_ERROR: "invalid",
    }.get(row_result.import_type, row_result.import_type)
