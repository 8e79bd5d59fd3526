from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from kb.admin import ImportExportAdmin, KBAdmin, KBTabularInline, PublishableAdmin
from sources.admin_evidence import EvidenceRequiredMixin, PassageInline

from .models import Person, Vendor, VendorRelation
from .resources import VendorResource


class PersonInline(KBTabularInline, TranslationTabularInline):
    model = Person
    fields = ("name", "slug", "title", "is_published")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0
    show_change_link = True


class RelationInline(KBTabularInline, TranslationTabularInline):
    model = VendorRelation
    fk_name = "vendor"
    fields = ("kind", "other_vendor", "summary", "sources")
    autocomplete_fields = ("other_vendor", "sources")
    extra = 0
    show_change_link = True


@admin.register(Vendor)
class VendorAdmin(EvidenceRequiredMixin, ImportExportAdmin, PublishableAdmin, TranslationAdmin):
    resource_classes = [VendorResource]
    list_display = ("name", "headquarters", "fiscal_year_start_month", "is_published", "updated_at")
    list_filter = ("is_published", "fiscal_year_start_month")
    search_fields = ("name", "summary", "description", "headquarters")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("sources",)
    inlines = [PersonInline, RelationInline]


@admin.register(Person)
class PersonAdmin(EvidenceRequiredMixin, PublishableAdmin, TranslationAdmin):
    list_display = ("name", "title", "employer", "is_published")
    list_filter = ("is_published", "employer")
    list_select_related = ("employer",)
    search_fields = ("name", "title", "employer__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("employer", "sources")


@admin.register(VendorRelation)
class VendorRelationAdmin(KBAdmin, TranslationAdmin):
    list_display = ("vendor", "kind", "other_vendor", "summary")
    list_filter = ("kind",)
    list_select_related = ("vendor", "other_vendor")
    search_fields = ("vendor__name", "other_vendor__name", "summary")
    autocomplete_fields = ("vendor", "other_vendor", "sources")
    inlines = [PassageInline]
