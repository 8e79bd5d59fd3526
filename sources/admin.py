from django.contrib import admin
from django.utils.translation import gettext_lazy

from kb.admin import ImportExportAdmin, KBAdmin, KBStackedInline, PublishableAdmin, register_bulk_m2m_actions

from .models import Quote, Source
from .resources import SourceResource

register_bulk_m2m_actions(
    "sources", gettext_lazy("Add a source to selected records"), gettext_lazy("Remove a source from selected records")
)


class QuoteInline(KBStackedInline):
    model = Quote
    fields = ("person", "text", "context", ("language", "said_on"), ("program", "vendor"))
    autocomplete_fields = ("person", "program", "vendor")
    extra = 0
    show_change_link = True


@admin.register(Source)
class SourceAdmin(ImportExportAdmin, PublishableAdmin):
    resource_classes = [SourceResource]
    list_display = ("title", "outlet", "language", "published_on", "seed_file", "is_published")
    list_filter = ("is_published", "language", "outlet")
    search_fields = ("title", "outlet", "summary", "seed_file", "url")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [QuoteInline]


@admin.register(Quote)
class QuoteAdmin(KBAdmin):
    list_display = ("__str__", "person", "source", "program", "vendor", "said_on")
    list_filter = ("language", "source")
    list_select_related = ("person", "source", "program", "vendor")
    search_fields = ("text", "person__name", "source__title")
    autocomplete_fields = ("person", "source", "program", "vendor")
