"""Spreadsheet import/export of programs, tiers, benefits and events
(see kb/resources.py for the shared rules and docs/staff.md for the columns)."""

from django.utils.translation import gettext as _
from import_export import fields

from kb.resources import KBResource, SlugForeignKeyWidget

from .models import Benefit, Program, ProgramEvent, Tier


def program_scope(column="program"):
    """Scope for a tier column: the tier belongs to the row's program."""

    def scope(row):
        program = SlugForeignKeyWidget(Program).clean(row.get(column))
        if program is None:
            message = _("A tier is looked up within the program of the “%(column)s” column.")
            raise ValueError(message % {"column": column})
        return {"program": program}

    return scope


class ProgramResource(KBResource):
    class Meta:
        model = Program
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "name",
            "acronym",
            "vendors",
            "status",
            "focus_areas",
            "route_to_market",
            "scope",
            "summary",
            "description",
            "announced_on",
            "announced_precision",
            "launch_window",
            "launch_start",
            "launch_end",
            "launch_derived",
            "launch_derivation",
            "rollout_notes",
            "levels_announced",
            "is_published",
            "sources",
        )
        export_order = fields
        import_order = fields


class TierResource(KBResource):
    class Meta:
        model = Tier
        import_id_fields = ("program", "slug")
        fields = ("program", "slug", "name", "kind", "rank", "summary", "requirements", "benefits_text", "sources")
        export_order = fields
        import_order = fields


class BenefitResource(KBResource):
    tier = fields.Field(
        attribute="tier", column_name="tier", widget=SlugForeignKeyWidget(Tier, scope=program_scope("program"))
    )

    class Meta:
        model = Benefit
        import_id_fields = ("program", "title")
        fields = ("program", "title", "tier", "kind", "description", "sources")
        export_order = fields
        import_order = fields


class ProgramEventResource(KBResource):
    class Meta:
        model = ProgramEvent
        import_id_fields = ("slug",)
        fields = (
            "slug",
            "title",
            "kind",
            "program",
            "vendor",
            "start_date",
            "end_date",
            "precision",
            "date_text",
            "date_derived",
            "date_derivation",
            "place",
            "description",
            "is_published",
            "sources",
        )
        export_order = fields
        import_order = fields
