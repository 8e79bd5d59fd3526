"""Spreadsheet import/export of sources
(see kb/resources.py for the shared rules and docs/staff.md for the columns)."""

from kb.resources import KBResource

from .models import Source


class SourceResource(KBResource):
    class Meta:
        model = Source
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "outlet",
            "language",
            "published_on",
            "url",
            "summary",
            "seed_file",
            "text_public",
            "text",
            "is_published",
        )
        export_order = fields
        import_order = fields
