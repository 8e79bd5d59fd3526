"""Shared admin base classes. Every app's admin builds on these.

- ``KBAdmin``: history with a field-by-field diff and revert (django-simple-
  history), a "deleted records" list with restore, read-only timestamps, and
  optimistic locking: every change form carries the version it was opened at
  and a save made from an older version is refused with what changed meanwhile.
- ``KBTabularInline`` / ``KBStackedInline``: the same locking for inline rows.
- ``PublishableAdmin``: publish / unpublish bulk actions.
- Bulk actions (with a confirmation page): add or remove a focus area or a
  source on many records at once.
- ``ImportExportAdmin``: spreadsheet import (CSV, XLSX) with a preview and a
  confirm step, and export of the selected rows, with django-import-export.
"""

import os

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, router, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.encoding import force_str
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from import_export.admin import ExportActionMixin, ImportMixin
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_m2m_reverse_field_name

from kb.import_formats import KBCSV, KBXLSX, ImportFileError
from kb.models import left_without
from kb.resources import row_status
from utilities.controls import multi_line, single_line

admin.site.site_header = gettext_lazy("Partner-program knowledge base")
admin.site.site_title = gettext_lazy("Knowledge base admin")
admin.site.index_title = gettext_lazy("Keep the knowledge current")

TIMESTAMPS = ("created_at", "updated_at")
VERSION_FIELD = "_version"


# -- history ----------------------------------------------------------------


class KBHistoryContextHelper(HistoricalRecordContextHelper):
    """Shows choice labels ("level") rather than stored values, and an empty
    value as a dash."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if getattr(field, "choices", None) and not isinstance(value, list):
            value = dict(field.flatchoices).get(value, value)
        value = super().prepare_delta_change_value(change, value)
        if value in (None, "", []):
            return "—"
        if isinstance(value, list):
            return ", ".join(force_str(v) for v in value)
        return value


def _history_records(model, pk):
    manager = getattr(model, model._meta.simple_history_manager_attribute)
    return manager.filter(**{model._meta.pk.attname: pk}).order_by("history_date", "history_id")


def changes_since(model, pk, version):
    """What happened to record ``pk`` after ``version``: (changes, users, when)
    where changes is a list of {"field", "old", "new"} for display."""
    records = list(_history_records(model, pk).select_related("history_user"))
    if not records:
        return [], [], None
    base = None
    for record in records:
        if getattr(record, "version", None) == version:
            base = record  # the last record saved at that version
    latest = records[-1]
    later = records[records.index(base) + 1 :] if base else records
    users = []
    for record in later:
        name = force_str(record.history_user) if record.history_user else _("Someone")
        if name not in users:
            users.append(name)
    changes = []
    if base is not None and base is not latest:
        delta = latest.diff_against(base, foreign_keys_are_objs=True)
        changes = KBHistoryContextHelper(model, latest).context_for_delta_changes(delta)
    return changes, users, latest.history_date


def conflict_error(model, pk, version):
    """The message a stale save gets: who changed the record, when, and
    field by field what they changed."""
    changes, users, when = changes_since(model, pk, version)
    params = {
        "who": ", ".join(users) or _("Someone"),
        "model": model._meta.verbose_name,
        "when": formats.date_format(timezone.localtime(when), "DATETIME_FORMAT") if when else "?",
    }
    # The old and new values come from simple_history already escaped (safe
    # strings); everything else is escaped here, and each line is marked safe
    # so the form's error list does not escape it a second time.
    params = {key: conditional_escape(value) for key, value in params.items()}
    lines = [
        mark_safe(  # noqa: S308 - every parameter is escaped above
            _(
                "%(who)s saved this %(model)s (last at %(when)s) while you were editing it, "
                "so your changes were not saved."
            )
            % params
        )
    ]
    for change in changes:
        values = {key: conditional_escape(change[key]) for key in ("field", "old", "new")}
        lines.append(mark_safe(_("Changed meanwhile, %(field)s: %(old)s → %(new)s") % values))  # noqa: S308
    lines.append(
        _(
            "Your input is kept below. Check it against these changes, then save again to keep "
            "your version, or reload the page to start from the latest one."
        )
    )
    return ValidationError([ValidationError(line, code="conflict") for line in lines])


# -- optimistic locking -------------------------------------------------------


class VersionedModelForm(forms.ModelForm):
    """Carries the version of the record the form was opened at in a hidden
    field; ``clean()`` refuses the save if the record has moved on since.

    A form that does not send a version (a script, an old tab) is not checked.
    In a revert or restore form (built from a historical record) the version
    is the live record's, and many-to-many fields show the historical values.
    """

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    #: Inline rows equal to the record are not saved, so need no check. (A
    #: stale row the user did not touch differs from the record, would be
    #: saved, and so is checked.)
    check_unchanged = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return
        history = getattr(instance, "_history", None)
        if history is None:
            self.fields[VERSION_FIELD].initial = instance.version
            return
        live = type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        self.fields[VERSION_FIELD].initial = live
        for field in getattr(history, "_history_m2m_fields", []):
            if field.name in self.fields:
                reverse_name = get_m2m_reverse_field_name(field)
                rows = getattr(history, field.name).all()
                self.initial[field.name] = [getattr(row, f"{reverse_name}_id") for row in rows]

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get(VERSION_FIELD)
        instance = self.instance
        if submitted is None or instance.pk is None or instance._state.adding:
            return cleaned
        if not self.check_unchanged and not [name for name in self.changed_data if name != VERSION_FIELD]:
            return cleaned  # an inline row equal to the record is not saved
        model = type(instance)
        live = model._default_manager.filter(pk=instance.pk)
        if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
            live = live.select_for_update()
        live_version = live.values_list("version", flat=True).first()
        if live_version is None or live_version == submitted:
            return cleaned
        # Keep the user's input, now based on the latest version: saving
        # again after reading the message is a deliberate overwrite.
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = live_version
        raise conflict_error(model, instance.pk, submitted)


class InlineVersionedModelForm(VersionedModelForm):
    check_unchanged = False


def _with_version_field(fieldsets):
    if VERSION_FIELD in flatten_fieldsets(fieldsets):
        return fieldsets
    fieldsets = [(name, dict(options)) for name, options in fieldsets]
    name, options = fieldsets[0]
    options["fields"] = [*options.get("fields", ()), VERSION_FIELD]
    return fieldsets


# -- text input hygiene -----------------------------------------------------------


def add_control_character_validator(formfield, db_field):
    """Every text field of an admin form refuses control characters (NUL,
    ANSI escapes, C0/C1); multi-line text (a TextField) keeps tab and line
    breaks."""
    if formfield is None or not isinstance(formfield, forms.CharField):
        return formfield
    if isinstance(db_field, models.TextField):
        formfield.validators.append(multi_line)
    elif isinstance(db_field, models.CharField):
        formfield.validators.append(single_line)
    return formfield


class SafeAutocompleteMixin:
    """Django's autocomplete widget looks the submitted values up to show
    them again; a value that cannot be a key ("x" for a number) would be a
    server error there, so it is dropped (the field itself says it is invalid)."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        usable = []
        for item in value:
            try:
                target.to_python(item)
            except ValidationError:
                continue
            usable.append(item)
        return super().optgroups(name, usable, attr)


def make_autocomplete_safe(formfield):
    widget = getattr(formfield, "widget", None)
    inner = getattr(widget, "widget", widget)
    if isinstance(inner, AutocompleteMixin) and not isinstance(inner, SafeAutocompleteMixin):
        inner.__class__ = type(f"Safe{type(inner).__name__}", (SafeAutocompleteMixin, type(inner)), {})
    return formfield


class CleanTextMixin:
    """For model admins and inlines: control characters are refused in every
    text field (see ``add_control_character_validator``), and a junk key in
    an autocomplete field is a form error, not a server error."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            make_autocomplete_safe(formfield)
        return add_control_character_validator(formfield, db_field)


# -- inline rows checked against each other ------------------------------------------


def _condition_holds(condition, instance):
    if condition is None:
        return True
    # The values typed, as typed expressions (what Model.validate_constraints uses).
    against = instance._get_field_expression_map(meta=instance._meta)
    return condition.check(against, using=router.db_for_read(type(instance)))


class KBInlineFormSet(BaseInlineFormSet):
    """Rows added or changed together on one form are checked against each
    other, not only against the database (where the rows of a new record are
    not yet): the model's conditional unique constraints (one current level
    of a program per partner) and its ``clashes_with(other)`` rule, if it has
    one. A clash is an error on the later row, and nothing is saved."""

    def clean(self):
        super().clean()
        rows = [
            form
            for form in self.forms
            if not self._should_delete_form(form)
            and form.is_valid()
            and (form.instance.pk is not None or form.has_changed())
        ]
        for later_index, later in enumerate(rows):
            for earlier in rows[:later_index]:
                clash = self.clash(earlier.instance, later.instance)
                if clash:
                    field, message = clash
                    later.add_error(field if field in later.fields else None, message)
                    break

    def clash(self, earlier, later):
        """(field, message) when the two rows cannot both be saved, else None."""
        hook = getattr(later, "clashes_with", None)
        if hook is not None:
            found = hook(earlier)
            if found:
                return found
        parent_field = self.fk.name
        for constraint in later._meta.constraints:
            if not isinstance(constraint, models.UniqueConstraint) or not constraint.fields:
                continue
            if constraint.condition is None:
                continue  # plain unique constraints: Django's formset checks them
            names = [name for name in constraint.fields if name != parent_field]
            keys = [later._meta.get_field(name).attname for name in names]
            values = [getattr(later, key) for key in keys]
            if None in values or values != [getattr(earlier, key) for key in keys]:
                continue
            if _condition_holds(constraint.condition, earlier) and _condition_holds(constraint.condition, later):
                field = names[-1] if len(names) == 1 else None
                return field, constraint.violation_error_message or constraint.get_violation_error_message()
        return None


class VersionedInlineMixin(CleanTextMixin):
    form = InlineVersionedModelForm
    formset = KBInlineFormSet

    def get_fieldsets(self, request, obj=None):
        return _with_version_field(super().get_fieldsets(request, obj))


class KBTabularInline(VersionedInlineMixin, admin.TabularInline):
    pass


class KBStackedInline(VersionedInlineMixin, admin.StackedInline):
    pass


# -- bulk actions -------------------------------------------------------------


class BulkTargetForm(forms.Form):
    """The record a bulk action adds or removes (a focus area, a source)."""

    def __init__(self, *args, queryset, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = forms.ModelChoiceField(queryset=queryset, label=label)


def _record_bulk_change(obj, reason):
    obj._change_reason = reason
    obj.save(update_fields=["updated_at"] if hasattr(obj, "updated_at") else None)


def confirm_bulk_action(modeladmin, request, queryset, *, action, question, apply, target=None):
    """Render the confirmation page of a bulk action, or, once confirmed
    (``post=yes``), run ``apply(queryset, target_object)`` and report."""
    form = None
    if target is not None:
        model, label = target
        form = BulkTargetForm(
            request.POST if request.POST.get("post") == "yes" else None,
            queryset=model._default_manager.all(),
            label=label,
        )
    if request.POST.get("post") == "yes" and (form is None or form.is_valid()):
        # Every record or none: a failure (or a killed worker) half-way
        # leaves the records as they were.
        with transaction.atomic(using=router.db_for_write(modeladmin.model)):
            message = apply(queryset, form.cleaned_data["target"] if form else None)
        modeladmin.message_user(request, message, messages.SUCCESS)
        return None  # back to the change list
    opts = modeladmin.model._meta
    count = queryset.count()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Are you sure?"),
        "question": question,
        "opts": opts,
        "queryset": queryset,
        "preview": queryset[:50],
        "count": count,
        "more": max(count - 50, 0),
        "action": action,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/kb/bulk_confirmation.html", context)


def _set_published(queryset, value, reason):
    # Save one by one so each change lands in history.
    count = 0
    for obj in queryset.filter(is_published=not value):
        obj.is_published = value
        obj._change_reason = reason
        obj.save(update_fields=["is_published", "updated_at"])
        count += 1
    return count


@admin.action(description=gettext_lazy("Publish selected records"), permissions=["change"])
def make_published(modeladmin, request, queryset):
    def apply(qs, _target):
        # An admin may refuse to publish some records (those citing no source).
        refused = [obj for obj in modeladmin.unpublishable(qs) if not obj.is_published]
        if refused:
            qs = qs.exclude(pk__in=[obj.pk for obj in refused])
            modeladmin.message_user(
                request,
                ngettext(
                    "Not published, because it cites no source at all (no source and no passage): %(records)s.",
                    "Not published, because they cite no source at all (no source and no passage): %(records)s.",
                    len(refused),
                )
                % {"records": "; ".join(force_str(obj) for obj in refused)},
                messages.ERROR,
            )
        updated = _set_published(qs, True, _("Bulk action: published"))
        return ngettext("%d record published.", "%d records published.", updated) % updated

    return confirm_bulk_action(
        modeladmin,
        request,
        queryset,
        action="make_published",
        question=_("Publish these records? They will show on the public pages."),
        apply=apply,
    )


@admin.action(description=gettext_lazy("Unpublish selected records (make drafts)"), permissions=["change"])
def make_draft(modeladmin, request, queryset):
    def apply(qs, _target):
        # Withdrawing a program's last published vendor would leave its page
        # saying "not stated in the sources": those records stay published.
        stranded = left_without(qs.model, list(qs.filter(is_published=True)), published=True)
        if stranded:
            kept = {pk for _field, _owner, pks in stranded for pk in pks}
            qs = qs.exclude(pk__in=kept)
            modeladmin.message_user(
                request,
                _("Not unpublished, because a published record would have none of them left: %(records)s.")
                % {
                    "records": "; ".join(
                        f"{capfirst(owner._meta.verbose_name)} {owner} ({field.verbose_name})"
                        for field, owner, _pks in stranded
                    )
                },
                messages.ERROR,
            )
        updated = _set_published(qs, False, _("Bulk action: unpublished"))
        return ngettext("%d record unpublished.", "%d records unpublished.", updated) % updated

    return confirm_bulk_action(
        modeladmin,
        request,
        queryset,
        action="make_draft",
        question=_("Unpublish these records? They will be drafts, visible in the admin only."),
        apply=apply,
    )


def _m2m_action(field_name, adding, description):
    """An action adding (or removing) one related record on every selected
    record's ``field_name`` many-to-many, one history entry per record."""

    def action(modeladmin, request, queryset):
        field = modeladmin.model._meta.get_field(field_name)
        related = field.related_model
        label = capfirst(related._meta.verbose_name)

        def apply(qs, target):
            changed = 0
            for obj in qs:
                manager = getattr(obj, field_name)
                present = manager.filter(pk=target.pk).exists()
                if present == adding:
                    continue
                obj.skip_history_when_saving = True  # one history entry, below
                try:
                    (manager.add if adding else manager.remove)(target)
                finally:
                    del obj.skip_history_when_saving
                reason = (_("Bulk action: added %(target)s") if adding else _("Bulk action: removed %(target)s")) % {
                    "target": target
                }
                _record_bulk_change(obj, reason)
                changed += 1
            params = {"target": target, "count": changed, "unchanged": qs.count() - changed}
            if adding:
                return _("“%(target)s” added to %(count)d record(s); %(unchanged)d already had it.") % params
            return _("“%(target)s” removed from %(count)d record(s); %(unchanged)d did not have it.") % params

        question = (
            _("Add a %(related)s to these records?") if adding else _("Remove a %(related)s from these records?")
        ) % {"related": related._meta.verbose_name}
        return confirm_bulk_action(
            modeladmin,
            request,
            queryset,
            action=action.__name__,
            question=question,
            apply=apply,
            target=(related, label),
        )

    verb = "add" if adding else "remove"
    action.__name__ = f"{verb}_{field_name}"
    action.field_name = field_name
    action.short_description = description
    return action


#: field name -> (add action, remove action); the apps register theirs from
#: their admin module (``register_bulk_m2m_actions``).
BULK_M2M_ACTIONS = {}


def register_bulk_m2m_actions(field_name, add_description, remove_description):
    """Bulk "add a ... / remove a ..." actions on every admin whose model has
    the many-to-many ``field_name`` (``sources``, ``focus_areas``)."""
    BULK_M2M_ACTIONS[field_name] = (
        _m2m_action(field_name, True, add_description),
        _m2m_action(field_name, False, remove_description),
    )


# -- the base admin -------------------------------------------------------------


class CappedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A filter on a related record that lists at most ``limit`` records
    (first by name), plus the selected one: a sidebar of 10,000 programs is
    neither readable nor fast. Other records are reached with the search box."""

    limit = 30

    def field_choices(self, field, request, model_admin):
        model = field.related_model
        ordering = self.field_admin_ordering(field, request, model_admin) or model._meta.ordering or ["pk"]
        queryset = model._default_manager.order_by(*ordering)
        to_field = field.target_field.attname
        choices = [(getattr(obj, to_field), str(obj)) for obj in queryset[: self.limit]]
        shown = {str(value) for value, _label in choices}
        selected = [v for v in (self.lookup_val or []) if v not in shown]
        if selected:
            try:
                choices += [
                    (getattr(obj, to_field), str(obj)) for obj in queryset.filter(**{f"{to_field}__in": selected})
                ]
            except (ValueError, ValidationError):
                pass  # a malformed value: the changelist reports it
        return choices


class KBAdmin(CleanTextMixin, SimpleHistoryAdmin):
    """Base for every knowledge model: history with a field-by-field diff,
    revert and restore; optimistic locking; read-only timestamps; the bulk
    actions the apps register on its many-to-many fields; a sane page size."""

    form = VersionedModelForm
    list_per_page = 50
    # "12 results (100,000 total)" costs a second COUNT over the whole table.
    show_full_result_count = False

    def get_list_filter(self, request):
        """Filters on related records list a bounded number of choices."""
        capped = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and "__" not in item:
                try:
                    field = self.model._meta.get_field(item)
                except FieldDoesNotExist:  # Django's checks report it
                    field = None
                if field is not None and field.is_relation and field.related_model is not None:
                    item = (item, CappedRelatedFieldListFilter)
            capped.append(item)
        return capped

    change_list_template = "admin/kb/change_list.html"
    object_history_form_template = "admin/kb/object_history_form.html"
    deleted_template = "admin/kb/deleted_list.html"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        model_fields = {f.name for f in self.model._meta.get_fields()}
        fields += [f for f in TIMESTAMPS if f in model_fields and f not in fields]
        return fields

    def get_fieldsets(self, request, obj=None):
        return _with_version_field(super().get_fieldsets(request, obj))

    # deletion

    def get_deleted_objects(self, objs, request):
        """Django's list, plus a refusal when the delete would leave a record
        without a link it requires (a program without any vendor): those
        records are named as protected, so the page explains and refuses."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for field, owner, _pks in left_without(self.model, list(objs)):
            protected.append(
                _("%(model)s: %(record)s would have no %(field)s left")
                % {
                    "model": capfirst(owner._meta.verbose_name),
                    "record": owner,
                    "field": field.verbose_name,
                }
            )
        return deleted, model_count, perms_needed, protected

    # bulk actions

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        for field in self.model._meta.many_to_many:
            for func in BULK_M2M_ACTIONS.get(field.name, ()):
                actions[func.__name__] = (func, func.__name__, func.short_description)
        return actions

    # history

    def get_historical_record_context_helper(self, request, historical_record):
        return KBHistoryContextHelper(self.model, historical_record)

    def _is_live(self, object_id):
        return self.model._default_manager.filter(pk=object_id).exists()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert to a version (the record exists) or restore a deleted record
        (it does not: that needs the right to add)."""
        object_id = unquote(object_id)
        live = self._is_live(object_id)
        if not live and not self.has_add_permission(request):
            raise PermissionDenied
        # simple_history shows a view-only user the form but would save a
        # POST to it: a revert is a change.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        extra_context = {**(extra_context or {}), "restoring": not live}
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def history_form_view_title(self, request, obj):
        if not self._is_live(obj.pk):
            return _("Restore %s") % force_str(obj)
        return super().history_form_view_title(request, obj)

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}_deleted"
        urls = [path("deleted/", self.admin_site.admin_view(self.deleted_view), name=name)]
        return urls + super().get_urls()

    def deleted_view(self, request):
        """Deleted records of this model, newest first, each with its history
        and a link to restore it as it was just before deletion."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        pk_name = opts.pk.attname
        manager = getattr(self.model, opts.simple_history_manager_attribute)
        live = self.model._default_manager.values("pk")
        deletions = (
            manager.filter(history_type="-")
            .exclude(**{f"{pk_name}__in": live})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        latest_per_record = {}
        for record in deletions:
            latest_per_record.setdefault(getattr(record, pk_name), record)
        page = Paginator(list(latest_per_record.values()), 50).get_page(request.GET.get("p"))
        can_restore = self.has_add_permission(request)
        rows = []
        for record in page.object_list:
            object_id = getattr(record, pk_name)
            before = (
                manager.filter(**{pk_name: object_id})
                .exclude(history_type="-")
                .order_by("-history_date", "-history_id")
                .first()
            ) or record
            try:
                label = force_str(before.instance)
            except Exception:  # a related record is gone too
                label = f"{capfirst(opts.verbose_name)} #{object_id}"
            rows.append(
                {
                    "label": label,
                    "deleted_at": record.history_date,
                    "deleted_by": record.history_user,
                    "history_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id]),
                    "restore_url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                        args=[object_id, before.history_id],
                    )
                    if can_restore
                    else None,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(models)s") % {"models": opts.verbose_name_plural},
            "opts": opts,
            "rows": rows,
            "page_obj": page,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.deleted_template, context)


class PublishableAdmin(KBAdmin):
    actions = [make_published, make_draft]
    list_filter = ("is_published",)

    def unpublishable(self, queryset):
        """The records of ``queryset`` the bulk "publish" action must leave
        as drafts (none here; see sources.admin_evidence)."""
        return []


# -- import and export ----------------------------------------------------------


def import_max_bytes():
    return int(getattr(settings, "IMPORT_MAX_FILE_SIZE", 5 * 1024 * 1024))


class KBImportForm(ImportForm):
    """The upload step: the file (CSV or XLSX, within the size limit) and its
    format, guessed from the file name when not chosen."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats
        self.fields["format"].required = False
        self.fields["format"].help_text = _("Leave empty to go by the file name (.csv, .xlsx).")
        self.fields["import_file"].help_text = _("CSV (UTF-8) or XLSX, at most %(size)s.") % {
            "size": filesizeformat(import_max_bytes())
        }

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = import_max_bytes()
        if upload.size > limit:
            raise ValidationError(
                _("This file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_big",
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None and cleaned.get("format") in (None, ""):
            extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
            for index, fmt in enumerate(self.import_formats):
                if fmt().get_extension() == extension:
                    cleaned["format"] = str(index)
                    break
            else:
                self.add_error("format", _("Choose the format: the file name does not say (.csv or .xlsx)."))
        return cleaned


class KBConfirmImportForm(ConfirmImportForm):
    preview_token = forms.CharField(widget=forms.HiddenInput, required=False)
    #: "Import the valid rows only": the lines the preview showed as invalid,
    #: which the confirm step leaves out (and checks are still the invalid ones).
    invalid_lines = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100_000)

    def clean_invalid_lines(self):
        text = self.cleaned_data.get("invalid_lines") or ""
        try:
            return sorted({int(n) for n in text.split(",") if n.strip()})
        except ValueError:
            raise ValidationError(_("This preview cannot be confirmed: upload the file again.")) from None


def _lines(numbers):
    return ",".join(str(n) for n in sorted(numbers))


class ImportExportAdmin(ImportMixin, ExportActionMixin):
    """Import (CSV, XLSX) with a preview of every row as new, changed,
    unchanged or invalid, then a confirm step that writes all rows in one
    transaction or none; export of the selected (or filtered) rows in the same
    columns. Mix in before ``KBAdmin``/``PublishableAdmin``."""

    formats = [KBCSV, KBXLSX]
    import_form_class = KBImportForm
    confirm_form_class = KBConfirmImportForm
    import_template_name = "admin/kb/import.html"
    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    from_encoding = "utf-8-sig"
    #: Every column, always: an export re-imports as "unchanged".
    export_form_class = ExportForm

    def get_valid_export_item_pks(self, request):
        return self.get_queryset(request).values_list("pk", flat=True)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_or_change_permission(request)

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        data = super().get_import_data_kwargs(**kwargs)
        if isinstance(form, ConfirmImportForm):
            # The confirm step: all rows or none, and only what the preview showed.
            data["preview_token"] = form.cleaned_data.get("preview_token") or ""
            invalid = form.cleaned_data.get("invalid_lines") or []
            # "Import the valid rows only": the invalid rows are left out, and
            # they must be exactly the ones the preview showed.
            data["rollback_on_validation_errors"] = not invalid
            data["expected_invalid_lines"] = invalid
        return data

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            messages.error(
                request,
                _("This preview is no longer available (imported already, or too old). Upload the file again."),
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            message = str(e)
        elif isinstance(e, UnicodeDecodeError):
            message = _(
                "This file is not UTF-8 text, so its accents cannot be read. In your spreadsheet, "
                "save it as “CSV UTF-8” (or as XLSX) and upload it again."
            )
        else:
            message = _("This file cannot be read in the chosen format (%(error)s). Is it really CSV or XLSX?") % {
                "error": type(e).__name__
            }
        form.add_error("import_file", message)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            context["max_size"] = import_max_bytes()
            result = context.get("result")
            if result is not None:
                context.update(self.preview_context(result))
                confirm_form = context.get("confirm_form")
                invalid = context["invalid_lines"]
                if confirm_form is None and invalid and context["to_write"] and not result.has_errors():
                    # Some rows are invalid: offer to import the valid ones only.
                    confirm_form = self.create_confirm_form(request, import_form=context["form"])
                    confirm_form.initial["invalid_lines"] = _lines(invalid)
                    context["confirm_form"] = confirm_form
                if confirm_form is not None:
                    if not context["to_write"]:
                        del context["confirm_form"]
                    else:
                        confirm_form.initial["preview_token"] = getattr(result, "preview_token", "")
        return response

    def preview_context(self, result):
        rows = []
        for row in result.rows:
            status = row_status(row)
            rows.append(
                {
                    "line": getattr(row, "line", None),
                    "status": status,
                    "label": row.object_repr or "",
                    "changes": (row.diff or []) if status in ("new", "changed") else [],
                    "issues": getattr(row, "issues", []),
                }
            )
        totals = result.totals
        return {
            "invalid_lines": [row["line"] for row in rows if row["status"] == "invalid"],
            "preview_rows": rows,
            "file_errors": [force_str(error.error) for error in result.base_errors],
            "counts": {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "changed": totals[RowResult.IMPORT_TYPE_UPDATE],
                "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
                "invalid": totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR],
            },
            "to_write": totals[RowResult.IMPORT_TYPE_NEW] + totals[RowResult.IMPORT_TYPE_UPDATE],
        }

    def process_result(self, result, request):
        valid_only = bool(request.POST.get("invalid_lines"))
        if result.has_errors() or (result.has_validation_errors() and not valid_only):
            # Rolled back: the data or the records changed since the preview.
            messages.error(request, _("Nothing was imported."))
            form = self.get_import_form_class(request)(
                self.get_import_formats(), self.get_import_resource_classes(request)
            )
            context = {
                **self.admin_site.each_context(request),
                "title": _("Import"),
                "form": form,
                "opts": self.model._meta,
                "media": self.media + form.media,
                "result": result,
                "max_size": import_max_bytes(),
                **self.preview_context(result),
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, [self.import_template_name], context, status=409)
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        params = {
            "new": totals[RowResult.IMPORT_TYPE_NEW],
            "changed": totals[RowResult.IMPORT_TYPE_UPDATE],
            "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
            "models": self.model._meta.verbose_name_plural,
            "invalid": totals[RowResult.IMPORT_TYPE_INVALID],
        }
        message = _("Import done: %(new)d new and %(changed)d changed %(models)s; %(unchanged)d unchanged.") % params
        if params["invalid"]:
            message += " " + _("%(invalid)d invalid rows were left out.") % params
        messages.success(request, message)
