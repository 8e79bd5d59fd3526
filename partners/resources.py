"""Spreadsheet import/export of partners and memberships
(see kb/resources.py for the shared rules and docs/staff.md for the columns)."""

from import_export import fields

from kb.resources import KBResource, SlugForeignKeyWidget
from programs.models import Tier
from programs.resources import program_scope

from .models import Membership, Partner


class PartnerResource(KBResource):
    class Meta:
        model = Partner
        import_id_fields = ("slug",)
        fields = ("slug", "name", "country", "kind", "website", "description", "is_published", "sources")
        export_order = fields
        import_order = fields


class MembershipResource(KBResource):
    """A membership is named by partner, tier and start date. The ``program``
    column says which program the ``tier`` slug belongs to."""

    tier = fields.Field(
        attribute="tier", column_name="tier", widget=SlugForeignKeyWidget(Tier, scope=program_scope("program"))
    )

    class Meta:
        model = Membership
        import_id_fields = ("partner", "tier", "since")
        fields = ("partner", "program", "tier", "since", "until", "sources")
        export_order = fields
        import_order = fields
