from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from kb.admin import ImportExportAdmin, KBAdmin, KBStackedInline, PublishableAdmin, register_bulk_m2m_actions
from sources.admin_evidence import EvidenceRequiredMixin, PassageInline

from .models import Benefit, FocusArea, Program, ProgramEvent, Tier
from .resources import BenefitResource, ProgramEventResource, ProgramResource, TierResource

register_bulk_m2m_actions(
    "focus_areas",
    _("Add a focus area to selected records"),
    _("Remove a focus area from selected records"),
)


class TierInline(KBStackedInline, TranslationStackedInline):
    model = Tier
    fields = (("name", "slug"), ("kind", "rank"), "summary", "requirements", "benefits_text", "sources")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("sources",)
    extra = 0
    show_change_link = True


class BenefitInline(KBStackedInline, TranslationStackedInline):
    model = Benefit
    fields = (("kind", "title"), "tier", "description", "sources")
    autocomplete_fields = ("tier", "sources")
    extra = 0
    show_change_link = True


@admin.register(Program)
class ProgramAdmin(EvidenceRequiredMixin, ImportExportAdmin, PublishableAdmin, TranslationAdmin):
    resource_classes = [ProgramResource]
    list_display = (
        "name",
        "acronym",
        "vendor_list",
        "status",
        "route_to_market",
        "announced_on",
        "tier_count",
        "is_published",
    )
    list_filter = ("is_published", "status", "route_to_market", "vendors", "focus_areas")
    search_fields = ("name", "acronym", "summary", "description", "vendors__name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("vendors", "focus_areas", "sources")
    date_hierarchy = "announced_on"
    inlines = [TierInline, BenefitInline]
    fieldsets = (
        (None, {"fields": ("name", "acronym", "slug", "vendors", "status", "is_published")}),
        (_("Scope"), {"fields": ("focus_areas", "route_to_market", "scope", "levels_announced")}),
        (_("Text"), {"fields": ("summary", "description", "rollout_notes")}),
        (
            _("Dates"),
            {
                "fields": (
                    ("announced_on", "announced_precision"),
                    "launch_window",
                    ("launch_start", "launch_end"),
                    "launch_derived",
                    "launch_derivation",
                )
            },
        ),
        (_("Provenance"), {"fields": ("sources", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("vendors")
            # A subquery, not a join + GROUP BY over every program: counted for the shown rows only.
            .annotate(
                _tier_count=Coalesce(
                    Subquery(
                        Tier.objects.filter(program=OuterRef("pk"))
                        .order_by()
                        .values("program")
                        .annotate(n=Count("pk"))
                        .values("n")[:1]
                    ),
                    0,
                )
            )
        )

    @admin.display(description=_("vendors"))
    def vendor_list(self, obj):
        return ", ".join(v.name for v in obj.vendors.all())

    @admin.display(description=_("tiers"), ordering="_tier_count")
    def tier_count(self, obj):
        return obj._tier_count


@admin.register(Tier)
class TierAdmin(ImportExportAdmin, KBAdmin, TranslationAdmin):
    resource_classes = [TierResource]
    list_display = ("name", "program", "kind", "rank")
    list_filter = ("kind", "program")
    list_select_related = ("program",)
    search_fields = ("name", "summary", "requirements", "program__name", "program__acronym")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("program", "sources")
    inlines = [PassageInline]


@admin.register(Benefit)
class BenefitAdmin(ImportExportAdmin, KBAdmin, TranslationAdmin):
    resource_classes = [BenefitResource]
    list_display = ("title", "program", "tier", "kind")
    list_filter = ("kind", "program")
    list_select_related = ("program", "tier", "tier__program")
    search_fields = ("title", "description", "program__name", "program__acronym")
    autocomplete_fields = ("program", "tier", "sources")
    inlines = [PassageInline]


@admin.register(FocusArea)
class FocusAreaAdmin(KBAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [PassageInline]


@admin.register(ProgramEvent)
class ProgramEventAdmin(EvidenceRequiredMixin, ImportExportAdmin, PublishableAdmin, TranslationAdmin):
    resource_classes = [ProgramEventResource]
    list_display = (
        "title",
        "kind",
        "start_date",
        "end_date",
        "precision",
        "date_text",
        "program",
        "vendor",
        "is_published",
    )
    list_filter = ("is_published", "kind", "precision", "vendor", "program")
    list_select_related = ("program", "vendor")
    search_fields = ("title", "description", "place", "date_text")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("program", "vendor", "sources")
    date_hierarchy = "start_date"
