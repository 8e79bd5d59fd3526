"""What the site search looks in among programs, tiers, benefits and events
(registered in ``ProgramsConfig.ready()``)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from kb.search import SearchKind
from vendors.models import Vendor

from .models import Benefit, Program, ProgramEvent, Tier

KINDS = [
    SearchKind(
        "programs",
        _("Programs"),
        lambda: Program.objects.published().prefetch_related(Prefetch("vendors", queryset=Vendor.objects.published())),
        ("name", "acronym"),
        ("summary", "description", "scope", "launch_window", "rollout_notes"),
        order=10,
    ),
    SearchKind(
        "tiers",
        _("Levels and designations"),
        lambda: Tier.objects.published().select_related("program"),
        ("name",),
        ("summary", "requirements", "benefits_text"),
        order=20,
    ),
    SearchKind(
        "benefits",
        _("Benefits"),
        lambda: Benefit.objects.published().select_related("program"),
        ("title",),
        ("description",),
        order=30,
    ),
    SearchKind(
        "events",
        _("Events"),
        lambda: ProgramEvent.objects.published(),
        ("title",),
        ("description", "place", "date_text"),
        order=60,
    ),
]
