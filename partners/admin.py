from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from kb.admin import ImportExportAdmin, KBAdmin, KBTabularInline, PublishableAdmin
from sources.admin_evidence import EvidenceRequiredMixin, PassageInline

from .models import Membership, Partner
from .resources import MembershipResource, PartnerResource


class MembershipInline(KBTabularInline):
    model = Membership
    fields = ("tier", "since", "until", "sources")
    autocomplete_fields = ("tier", "sources")
    extra = 0
    show_change_link = True


@admin.register(Partner)
class PartnerAdmin(EvidenceRequiredMixin, ImportExportAdmin, PublishableAdmin, TranslationAdmin):
    resource_classes = [PartnerResource]
    list_display = ("name", "kind", "country", "is_published", "updated_at")
    list_filter = ("is_published", "kind", "country")
    search_fields = ("name", "country", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("sources",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ImportExportAdmin, KBAdmin):
    resource_classes = [MembershipResource]
    list_display = ("partner", "tier", "program", "tier_kind", "since", "until")
    list_filter = ("tier_kind", "program")
    list_select_related = ("partner", "tier", "tier__program", "program")
    # The last added first (what staff check after an edit or an import), read
    # from the primary key: the model's order (partner, program, since) sorts
    # every membership through two joins, 490 ms of SQL at 100k on SQLite,
    # against 0.1 ms. The columns still sort on a click.
    ordering = ("-pk",)
    search_fields = ("partner__name", "tier__name", "program__name", "program__acronym")
    autocomplete_fields = ("partner", "tier", "sources")
    readonly_fields = ("program", "tier_kind")
    inlines = [PassageInline]
