"""Shared admin base classes: history/revert, publish actions, read-only
timestamps. Every app's admin builds on these."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

admin.site.site_header = _("Partner-program knowledge base")
admin.site.site_title = _("Knowledge base admin")
admin.site.index_title = _("Keep the knowledge current")

TIMESTAMPS = ("created_at", "updated_at")


class KBAdmin(SimpleHistoryAdmin):
    """Base for every knowledge model: history with revert, read-only
    timestamps, a sane page size."""

    list_per_page = 50
    show_full_result_count = True

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        model_fields = {f.name for f in self.model._meta.get_fields()}
        fields += [f for f in TIMESTAMPS if f in model_fields and f not in fields]
        return fields


@admin.action(description=_("Publish selected records"), permissions=["change"])
def make_published(modeladmin, request, queryset):
    updated = _set_published(queryset, True)
    modeladmin.message_user(
        request,
        ngettext("%d record published.", "%d records published.", updated) % updated,
        messages.SUCCESS,
    )


@admin.action(description=_("Unpublish selected records (make drafts)"), permissions=["change"])
def make_draft(modeladmin, request, queryset):
    updated = _set_published(queryset, False)
    modeladmin.message_user(
        request,
        ngettext("%d record unpublished.", "%d records unpublished.", updated) % updated,
        messages.SUCCESS,
    )


def _set_published(queryset, value):
    # Save one by one so each change lands in history.
    count = 0
    for obj in queryset.filter(is_published=not value):
        obj.is_published = value
        obj.save(update_fields=["is_published", "updated_at"])
        count += 1
    return count


class PublishableAdmin(KBAdmin):
    actions = [make_published, make_draft]
    list_filter = ("is_published",)
