"""What of this app the site search finds (see kb.search): programs, their
levels and designations, benefits, events and focus areas, each with the
names of the program and vendors it belongs to ("cpp builder")."""

from django.db.models import Prefetch
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _

from kb.search import SearchKind, choice_labels, register, register_dependency
from utilities.dates import display_period
from utilities.textsearch import date_words

from .models import Benefit, FocusArea, Program, ProgramEvent, Tier


def _program_dates(program):
    return [
        date_words(program.announced_on, program.announced_precision),
        date_words(program.launch_start, "day"),
        date_words(program.launch_end, "day"),
    ]


def _event_dates(event):
    return [date_words(event.start_date, event.precision), date_words(event.end_date, event.precision)]


def _vendors():
    from vendors.models import Vendor

    return Prefetch("vendors", queryset=Vendor.objects.published())


def register_kinds():
    register(
        SearchKind(
            key="programs",
            label=_("Programs"),
            model=Program,
            order=10,
            queryset=lambda: Program.objects.published().prefetch_related(_vendors(), "focus_areas"),
            show=lambda p: {
                "title": str(p),
                "meta": [", ".join(v.name for v in p.vendors.all())],
                "text": p.summary or p.description,
            },
            names=("name", "acronym"),
            titles=("focus_areas.name",),
            body=("summary", "description", "scope", "launch_window", "rollout_notes", _program_dates),
            related=("vendors.name",),
            depends={"vendors.Vendor": "vendors", "programs.FocusArea": "focus_areas"},
        )
    )
    register(
        SearchKind(
            key="tiers",
            label=_("Levels and designations"),
            model=Tier,
            order=20,
            queryset=lambda: (
                Tier.objects.published()
                .select_related("program")
                .prefetch_related(Prefetch("program__vendors", queryset=_vendors().queryset))
            ),
            show=lambda t: {
                "title": t.name,
                "meta": [t.get_kind_display(), str(t.program)],
                "text": t.requirements or t.summary,
            },
            names=("name",),
            titles=(choice_labels("kind"),),
            body=("summary", "requirements", "benefits_text"),
            related=("program.name", "program.acronym", "program.vendors.name"),
            depends={"programs.Program": "program", "vendors.Vendor": "program__vendors"},
        )
    )
    register(
        SearchKind(
            key="benefits",
            label=_("Benefits"),
            model=Benefit,
            order=30,
            queryset=lambda: Benefit.objects.published().select_related("program", "tier"),
            show=lambda b: {"title": b.title, "meta": [b.get_kind_display(), str(b.program)], "text": b.description},
            names=("title",),
            titles=(choice_labels("kind"),),
            body=("description",),
            related=("program.name", "program.acronym", "tier.name"),
            depends={"programs.Program": "program", "programs.Tier": "tier"},
        )
    )
    register(
        SearchKind(
            key="events",
            label=_("Events"),
            model=ProgramEvent,
            order=60,
            queryset=lambda: ProgramEvent.objects.published().select_related("program", "vendor"),
            show=lambda e: {
                "title": e.title,
                "meta": [display_period(e.start_date, e.precision, e.end_date) or e.date_text, e.place],
                "text": e.description,
            },
            names=("title",),
            titles=(choice_labels("kind"),),
            body=("description", "place", "date_text", _event_dates),
            related=("program.name", "program.acronym", "vendor.name"),
            depends={"programs.Program": "program", "vendors.Vendor": "vendor"},
        )
    )
    register(
        SearchKind(
            key="focus_areas",
            label=_("Focus areas"),
            model=FocusArea,
            order=45,
            # Only the areas a published program has: one only drafts use
            # would reveal them. Publishing, unpublishing or deleting a
            # program re-indexes its areas (``depends`` and the deletion hook).
            queryset=lambda: FocusArea.objects.published(),
            show=lambda f: {"title": f.name},
            names=("name",),
            depends={"programs.Program": "programs"},
        )
    )
    # A deleted program's links to its areas are gone when its post_delete
    # runs: remember them just before, so its areas are re-indexed.
    pre_delete.connect(_remember_focus_areas, sender=Program, dispatch_uid="programs-search-focus-areas")
    register_dependency("programs.Program", _remembered_focus_areas)


def _remember_focus_areas(sender, instance, **kwargs):
    instance._kb_focus_area_ids = list(instance.focus_areas.values_list("pk", flat=True))


def _remembered_focus_areas(program):
    return [(FocusArea, pk) for pk in getattr(program, "_kb_focus_area_ids", ())]
