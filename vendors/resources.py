"""Spreadsheet import/export of vendors
(see kb/resources.py for the shared rules and docs/staff.md for the columns)."""

from kb.resources import KBResource

from .models import Vendor


class VendorResource(KBResource):
    class Meta:
        model = Vendor
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "summary",
            "description",
            "website",
            "headquarters",
            "fiscal_year_start_month",
            "is_published",
            "sources",
        )
        export_order = fields
        import_order = fields
