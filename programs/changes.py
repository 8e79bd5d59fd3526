"""The programs app's records in the change log (``/changes/``, kb/changes.py)."""

from django.db.models import Q
from django.urls import reverse

from kb.changes import ChangeKind, historical_links, slug_url
from kb.translation import from_values

from .models import Benefit, FocusArea, Program, ProgramEvent, Tier


def program_ids_of_vendors(vendors):
    """The programs the vendors run now (the vendor filter of every record
    that belongs to a program)."""
    return Program.vendors.through.objects.filter(vendor__in=vendors).values("program_id")


def _deleted_program_ids_of_vendors(vendors):
    """Programs the vendor ran at some point, from the history of the links
    (a deleted program's links are gone from the link table)."""
    return historical_links(Program, "vendors").objects.filter(vendor__in=vendors).values("program_id")


def change_kinds():
    return [
        ChangeKind(
            "program",
            Program,
            (
                "name",
                "acronym",
                "status",
                "route_to_market",
                "scope",
                "summary",
                "description",
                "announced_on",
                "announced_precision",
                "launch_window",
                "launch_start",
                "launch_end",
                "rollout_notes",
                "levels_announced",
            ),
            title=lambda d: d["name"],
            url=slug_url("programs:detail"),
            order=40,
            extra={"slug": "slug"},
            for_vendor=lambda vendors: (
                Q(id__in=program_ids_of_vendors(vendors))
                | Q(history_type="-", id__in=_deleted_program_ids_of_vendors(vendors))
            ),
            for_program=lambda programs: Q(id__in=programs),
        ),
        ChangeKind(
            "tier",
            Tier,
            ("name", "kind", "rank", "summary", "requirements", "benefits_text"),
            title=lambda d: f"{d['_program']} – {d['name']}",
            url=lambda d, pk: reverse("programs:tier", kwargs={"program_slug": d["_program_slug"], "slug": d["_slug"]}),
            order=50,
            extra={"_program": "program__name", "_program_slug": "program__slug", "_slug": "slug"},
            for_vendor=lambda vendors: Q(program__in=program_ids_of_vendors(vendors)),
            for_program=lambda programs: Q(program__in=programs),
        ),
        ChangeKind(
            "benefit",
            Benefit,
            ("title", "kind", "tier", "description"),
            title=lambda d: f"{d['_program']} – {from_values(d, 'title')}",
            url=lambda d, pk: reverse("programs:detail", kwargs={"slug": d["_program_slug"]}) + f"#benefit-{pk}",
            order=60,
            extra={"_program": "program__name", "_program_slug": "program__slug"},
            labels={"tier": "name"},
            for_vendor=lambda vendors: Q(program__in=program_ids_of_vendors(vendors)),
            for_program=lambda programs: Q(program__in=programs),
        ),
        ChangeKind(
            "focusarea",
            FocusArea,
            ("name",),
            title=lambda d: d["name"],
            url=lambda d, pk: reverse("programs:list") + f"?focus_area={d['slug']}",
            order=70,
            extra={"slug": "slug"},
            # A focus area is public while a published program has it: a deleted
            # one was public if a published program's published version had it.
            deleted_public=lambda rows: rows.filter(
                id__in=historical_links(Program, "focus_areas")
                .objects.filter(history__is_published=True, program__in=Program.objects.published().values("pk"))
                .values("focusarea_id")
            ),
        ),
        ChangeKind(
            "programevent",
            ProgramEvent,
            (
                "title",
                "kind",
                "program",
                "vendor",
                "start_date",
                "end_date",
                "precision",
                "date_text",
                "place",
                "description",
            ),
            title=lambda d: from_values(d, "title"),
            url=slug_url("programs:event"),
            order=80,
            extra={"slug": "slug"},
            labels={"program": "name", "vendor": "name"},
            for_vendor=lambda vendors: Q(vendor__in=vendors) | Q(program__in=program_ids_of_vendors(vendors)),
            for_program=lambda programs: Q(program__in=programs),
        ),
    ]
