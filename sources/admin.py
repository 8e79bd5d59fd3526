from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from kb.admin import ImportExportAdmin, KBAdmin, KBStackedInline, PublishableAdmin, register_bulk_m2m_actions

from .admin_evidence import PassageInline, SourceEvidenceViews, SourceTextForm
from .models import Passage, Quote, Source, evidenced_models
from .resources import SourceResource

register_bulk_m2m_actions(
    "sources", gettext_lazy("Add a source to selected records"), gettext_lazy("Remove a source from selected records")
)


class QuoteInline(KBStackedInline):
    model = Quote
    fields = (
        "person",
        "text",
        "context",
        ("language", "said_on"),
        ("wording", "wording_note"),
        ("program", "vendor"),
    )
    autocomplete_fields = ("person", "program", "vendor")
    extra = 0
    show_change_link = True


@admin.register(Source)
class SourceAdmin(SourceEvidenceViews, ImportExportAdmin, PublishableAdmin, TranslationAdmin):
    resource_classes = [SourceResource]
    list_display = ("title", "outlet", "language", "published_on", "seed_file", "is_published")
    list_filter = ("is_published", "language", "outlet")
    search_fields = ("title", "outlet", "summary", "seed_file", "url")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [QuoteInline]
    form = SourceTextForm
    readonly_fields = ("text_with_passages",)
    fieldsets = (
        (
            None,
            {"fields": ("title", "slug", "outlet", "language", "published_on", "url", "seed_file", "is_published")},
        ),
        (None, {"fields": ("summary",)}),
        (_("Text"), {"fields": ("text", "upload", "text_public", "text_with_passages")}),
    )

    class Media:
        css = {"all": ["kb/admin-evidence.css"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        orphaned = getattr(obj, "orphaned_passages", [])
        if orphaned:
            messages.warning(
                request,
                ngettext(
                    "%(count)d passage no longer anchors in the edited text and is flagged: %(words)s",
                    "%(count)d passages no longer anchor in the edited text and are flagged: %(words)s",
                    len(orphaned),
                )
                % {"count": len(orphaned), "words": "; ".join(str(p) for p in orphaned)},
            )


@admin.register(Quote)
class QuoteAdmin(KBAdmin):
    list_display = ("__str__", "person", "source", "program", "vendor", "said_on")
    list_filter = ("language", "wording", "source")
    list_select_related = ("person", "source", "program", "vendor")
    search_fields = ("text", "person__name", "source__title")
    autocomplete_fields = ("person", "source", "program", "vendor")
    inlines = [PassageInline]


@admin.register(Passage)
class PassageAdmin(KBAdmin):
    """Every passage, with what it supports; "cannot be re-anchored" lists
    those a text edit left without their words."""

    list_display = ("__str__", "source", "content_type", "object_id", "field", "stance", "anchor_status")
    list_filter = ("anchor_status", "stance", "source", "content_type")
    list_select_related = ("source", "content_type")
    search_fields = ("exact", "note", "claim", "source__title")
    autocomplete_fields = ("source", "claimed_by_person", "claimed_by_vendor")
    readonly_fields = ("start", "end", "anchor_status", "target_link")
    fieldsets = (
        (None, {"fields": ("source", "exact", ("prefix", "suffix"), ("start", "end", "anchor_status"))}),
        (_("What it supports"), {"fields": (("content_type", "object_id"), "target_link", "field")}),
        (_("Claim"), {"fields": ("stance", "claim", ("claimed_by_person", "claimed_by_vendor"), "note")}),
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":  # only the kinds of record that carry passages
            kinds = ContentType.objects.get_for_models(*evidenced_models()).values()
            kwargs["queryset"] = ContentType.objects.filter(pk__in=[kind.pk for kind in kinds]).order_by("model")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("record"))
    def target_link(self, obj):
        from django.utils.html import format_html

        target = obj.target if obj.pk else None
        if target is None:
            return "—"
        url = getattr(target, "get_absolute_url", None)
        return format_html('<a href="{}">{}</a>', url(), target) if url else str(target)
