from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kb.models import (
    DatePrecision,
    EvidencedMixin,
    PublishableModel,
    PublishableQuerySet,
    TimeStampedModel,
    passages_field,
)
from sources.models import Passage, Quote, passages_prefetch, published_sources, sources_field
from vendors.models import Vendor


class FocusAreaQuerySet(models.QuerySet):
    def published(self):
        """Focus areas at least one published program has: a focus area only
        drafts use is a draft itself (its name would reveal them)."""
        return self.filter(models.Exists(Program.objects.published().filter(focus_areas=models.OuterRef("pk"))))


class FocusArea(EvidencedMixin, TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    passages = passages_field("focus_area")
    history = HistoricalRecords()

    objects = FocusAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:list") + f"?focus_area={self.slug}"


class ProgramStatus(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    LAUNCHING = "launching", _("launching")
    ACTIVE = "active", _("active")
    RETIRED = "retired", _("retired")


class RouteToMarket(models.TextChoices):
    INDIRECT = "indirect", _("indirect")
    DIRECT = "direct", _("direct")
    MIXED = "mixed", _("mixed")
    DISPUTED = "disputed", _("disputed")
    UNKNOWN = "", _("not stated")


class ProgramQuerySet(PublishableQuerySet):
    """What the program pages and the API fetch, each in a fixed number of
    queries (pinned in tests/perf/query_counts.json)."""

    def with_related(self):
        """Everything a list row needs, in a fixed number of queries. Only
        published vendors: a draft vendor never shows on a public page."""
        return self.prefetch_related(
            models.Prefetch("vendors", queryset=Vendor.objects.published()),
            "focus_areas",
        )

    def with_ladder(self):
        """Everything a program page needs: tiers, benefits, sources."""
        return self.with_related().prefetch_related(
            published_sources(),
            models.Prefetch("tiers", queryset=Tier.objects.prefetch_related(published_sources())),
            models.Prefetch(
                "benefits", queryset=Benefit.objects.select_related("tier").prefetch_related(published_sources())
            ),
        )

    def for_list(self):
        return self.published().with_related()

    def for_compare(self):
        """Programs side by side (the compare page): the ladder, the timeline
        and the passages behind every fact shown."""
        return (
            self.published()
            .with_ladder()
            .prefetch_related(
                models.Prefetch("events", queryset=ProgramEvent.objects.for_detail().order_by("start_date", "title")),
                # The program's own passages, its tiers', benefits' and focus
                # areas' (events bring theirs).
                passages_prefetch(),
                passages_prefetch("tiers__passages"),
                passages_prefetch("benefits__passages"),
                passages_prefetch("focus_areas__passages"),
            )
        )

    def for_detail(self):
        """A program's page: what the comparison shows of it, and the quotes
        about it (with their passages)."""
        return self.for_compare().prefetch_related(
            models.Prefetch(
                "quotes",
                queryset=Quote.objects.published()
                .select_related("person", "person__employer", "source")
                .prefetch_related(passages_prefetch()),
            )
        )

    def for_api(self):
        return self.published().prefetch_related(
            models.Prefetch("vendors", queryset=Vendor.objects.published(), to_attr="published_vendors"),
            "focus_areas",
            models.Prefetch("tiers", queryset=Tier.objects.select_related("program")),
            models.Prefetch("benefits", queryset=Benefit.objects.select_related("tier").with_evidence()),
            published_sources(),
            passages_prefetch(),
        )


class Program(EvidencedMixin, PublishableModel):
    evidence_fields = (
        "status",
        "route_to_market",
        "scope",
        "announced_on",
        "launch_window",
        "launch_start",
        "launch_end",
        "rollout_notes",
        "levels_announced",
    )

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    vendors = models.ManyToManyField(
        "vendors.Vendor", verbose_name=_("vendors"), related_name="programs", help_text=_("Who runs the program.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProgramStatus.choices, default=ProgramStatus.ANNOUNCED, db_index=True
    )
    focus_areas = models.ManyToManyField(FocusArea, verbose_name=_("focus areas"), blank=True, related_name="programs")
    route_to_market = models.CharField(
        _("route to market"), max_length=20, choices=RouteToMarket.choices, blank=True, db_index=True
    )
    scope = models.CharField(_("scope"), max_length=200, blank=True, help_text=_("Worldwide, or a country."))
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    announced_on = models.DateField(
        _("announcement date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("First day of the period when only a month, quarter or year is known."),
    )
    announced_precision = models.CharField(
        _("announcement date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    launch_window = models.CharField(
        _("launch window"), max_length=300, blank=True, help_text=_("As the sources state it, e.g. 'fiscal Q4'.")
    )
    launch_start = models.DateField(_("launch window start"), null=True, blank=True)
    launch_end = models.DateField(_("launch window end"), null=True, blank=True)
    launch_derived = models.BooleanField(
        _("launch dates derived"),
        default=False,
        help_text=_("The sources do not state the launch dates in full: part of them (e.g. the year) is derived."),
    )
    launch_derivation = models.TextField(
        _("how the launch dates are derived"),
        blank=True,
        help_text=_("The reasoning, from the passages it rests on (e.g. the year from the fiscal year named)."),
    )
    rollout_notes = models.TextField(_("rollout notes"), blank=True)
    levels_announced = models.PositiveSmallIntegerField(
        _("number of levels announced"),
        null=True,
        blank=True,
        help_text=_("How many levels the sources say the program has, even if not all are named."),
    )
    sources = sources_field("programs")
    passages = passages_field("program")
    # history: registered in translation.py, once the translated fields exist

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        # Every filter and sort of the program list. Not led by
        # is_published: nearly every row is published, and such indexes win
        # the planner over the search's GIN indexes on small tables.
        indexes = [
            models.Index(fields=["is_published", "name"]),
            models.Index(fields=["status", "name"], name="program_status_name"),
            models.Index(fields=["route_to_market", "name"], name="program_route_name"),
            models.Index(fields=["announced_on", "name"], name="program_announced_name"),
            # Covering indexes of the facet counts (GROUP BY the column of published rows).
            models.Index(fields=["status", "is_published"], name="program_status_facet"),
            models.Index(fields=["route_to_market", "is_published"], name="program_route_facet"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(launch_start__isnull=True)
                | Q(launch_end__isnull=True)
                | Q(launch_end__gte=F("launch_start")),
                name="program_launch_window_in_order",
                violation_error_message=_("The launch window cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym != self.name else self.name

    def clean(self):
        super().clean()
        if self.launch_start and self.launch_end and self.launch_end < self.launch_start:
            raise ValidationError({"launch_end": _("The launch window cannot end before it starts.")})
        if self.launch_derived and not self.launch_derivation.strip():
            raise ValidationError({"launch_derivation": _("Say how derived dates are derived.")})

    def get_absolute_url(self):
        return reverse("programs:detail", kwargs={"slug": self.slug})


class TierKind(models.TextChoices):
    LEVEL = "level", _("level")
    DESIGNATION = "designation", _("designation")


class TierQuerySet(models.QuerySet):
    def published(self):
        return self.filter(program__is_published=True)

    def for_api(self):
        return self.published().select_related("program").prefetch_related(published_sources(), passages_prefetch())

    def for_detail(self):
        """A tier's page: what the API gives of it, its program's published
        vendors and other tiers, its benefits with their evidence."""
        return self.for_api().prefetch_related(
            models.Prefetch("program__vendors", queryset=Vendor.objects.published()),
            models.Prefetch("benefits", queryset=Benefit.objects.with_evidence()),
            models.Prefetch("program__tiers", queryset=Tier.objects.order_by("kind", "rank", "name")),
        )


class Tier(EvidencedMixin, TimeStampedModel):
    """A rung of a program. A *level* is one step of a ladder (a partner holds
    one level of a program at a time); a *designation* combines freely with
    the program's other designations."""

    evidence_fields = ("kind", "rank", "requirements", "benefits_text")

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="tiers")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TierKind.choices, default=TierKind.LEVEL, db_index=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"),
        null=True,
        blank=True,
        help_text=_("Position in the program (1 = first). Unique within the program; empty if not stated."),
    )
    summary = models.TextField(_("summary"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    benefits_text = models.TextField(_("benefits"), blank=True)
    sources = sources_field("tiers")
    passages = passages_field("tier")
    # history: registered in translation.py, once the translated fields exist

    objects = TierQuerySet.as_manager()

    class Meta:
        ordering = ["program__name", "kind", "rank", "name"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        indexes = [models.Index(fields=["program", "kind", "rank", "name"], name="tier_program_ladder")]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"],
                name="tier_unique_slug_per_program",
                violation_error_message=_("This program already has a tier with this slug."),
            ),
            models.UniqueConstraint(
                fields=["program", "rank"],
                name="tier_unique_rank_per_program",
                violation_error_message=_("This program already has a tier with this rank."),
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1),
                name="tier_rank_positive",
                violation_error_message=_("The rank must be 1 or more."),
            ),
        ]

    def __str__(self):
        return f"{self.program.acronym or self.program.name} – {self.name}"

    def clean(self):
        super().clean()
        if self.rank is not None and self.rank < 1:
            raise ValidationError({"rank": _("The rank must be 1 or more.")})

    def get_absolute_url(self):
        return reverse("programs:tier", kwargs={"program_slug": self.program.slug, "slug": self.slug})


class BenefitKind(models.TextChoices):
    DISCOUNT = "discount", _("discount")
    FINANCING = "financing", _("financing")
    CO_MARKETING = "co-marketing", _("co-marketing")
    COMPENSATION = "compensation", _("compensation")
    TRAINING = "training", _("training")
    SUPPORT = "support", _("support")
    SERVICES = "services", _("services")
    TECHNOLOGY = "technology", _("technology")
    OTHER = "other", _("other")


class BenefitQuerySet(models.QuerySet):
    def published(self):
        return self.filter(program__is_published=True)

    def with_evidence(self):
        """The benefit's published sources and passages."""
        return self.prefetch_related(published_sources(), passages_prefetch())


class Benefit(EvidencedMixin, TimeStampedModel):
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="benefits")
    tier = models.ForeignKey(
        Tier,
        verbose_name=_("tier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benefits",
        help_text=_("Empty when the benefit is for every partner of the program."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BenefitKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    sources = sources_field("benefits")
    passages = passages_field("benefit")
    # history: registered in translation.py, once the translated fields exist

    objects = BenefitQuerySet.as_manager()

    class Meta:
        ordering = ["program__name", "kind", "title"]
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        indexes = [models.Index(fields=["program", "kind", "title"], name="benefit_program_kind")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.tier_id and self.program_id and self.tier.program_id != self.program_id:
            raise ValidationError({"tier": _("The tier must belong to the benefit's program.")})

    def get_absolute_url(self):
        return self.program.get_absolute_url() + f"#benefit-{self.pk}"


class EventKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", _("announcement")
    LAUNCH = "launch", _("launch")
    ROLLOUT = "rollout", _("rollout")
    CONFERENCE = "conference", _("conference")
    FISCAL_YEAR = "fiscal-year", _("fiscal year")
    HIRING = "hiring", _("hiring")
    OTHER = "other", _("other")


def _told_key(name):
    """``name IS NULL, name``: an event no passage tells comes after the
    others, written so that SQLite reads the order from an index (with
    several ``NULLS LAST`` columns it sorts every row instead: 35 ms at 20k
    events, against 0.2 ms)."""
    return (ExpressionWrapper(Q(**{f"{name}__isnull": True}), output_field=models.BooleanField()), F(name))


#: The told keys of ``chronological``, and of the ``event_told_order`` index.
TOLD_ORDER = (*_told_key("told_on"), *_told_key("told_in"), *_told_key("told_at"))


class ProgramEventQuerySet(PublishableQuerySet):
    def published(self):
        return (
            self.filter(is_published=True)
            .filter(Q(program__isnull=True) | Q(program__is_published=True))
            .filter(Q(vendor__isnull=True) | Q(vendor__is_published=True))
        )

    def for_detail(self):
        """An event as its page, the timeline, a program's page and the API
        show it: its program and vendor, its published sources and passages."""
        return (
            self.published()
            .select_related("program", "vendor")
            .prefetch_related(published_sources(), passages_prefetch())
        )

    for_list = for_api = for_detail

    def chronological(self, descending=False):
        """The timeline's order: dated events by ``start_date`` (newest first
        with ``descending``), then the events the sources do not date, always
        last.

        Undated events are put in the order the sources *tell* them, which is
        all the sources say about them: the shipped knowledge dates them only
        relative to the article that reports them ("before the article",
        "under way when the article was written", "from the start of the
        school year", "year not stated"), wording no code can turn into a
        date. So each is placed by its first evidence passage: the source
        published earliest (where ``published_on`` is known, else after,
        by source slug), then where in that source the passage stands
        (``Passage.start``). Title and primary key break the remaining ties.
        This is the order of telling, not a claim that one event came before
        another; the page says so. Events on the same date are ordered the
        same way.

        The three keys are columns of the event (``told_on``, ``told_in``,
        ``told_at``, kept by ``refresh_told_order`` from programs/signals.py),
        so the order is read from the ``event_told_order`` index.
        """
        start = F("start_date").desc(nulls_last=True) if descending else F("start_date").asc(nulls_last=True)
        return self.order_by(start, *TOLD_ORDER, "title", "pk")

    def refresh_told_order(self):
        """Recompute ``told_on`` / ``told_in`` / ``told_at`` of these events
        from their passages: one UPDATE, whatever the number of events."""
        told = (
            Passage.objects.published()
            .filter(event=OuterRef("pk"))
            .order_by(
                F("source__published_on").asc(nulls_last=True), "source__slug", F("start").asc(nulls_last=True), "pk"
            )
        )
        return self.update(
            told_on=Subquery(told.values("source__published_on")[:1]),
            told_in=Subquery(told.values("source__slug")[:1]),
            told_at=Subquery(told.values("start")[:1]),
        )

    def vendor_counts(self, limit=None, selected=()):
        """[(vendor slug, name, events)] over these events, counting an event
        for its own vendor and for each vendor of its program (once per
        vendor): one aggregate query over a UNION. With ``limit``, the most
        frequent vendors plus the ``selected`` ones, by name."""
        from django.db import connection

        events_sql, params = self.order_by().values("pk").query.sql_with_params()
        event = self.model._meta.db_table
        through = Program.vendors.through._meta.db_table
        vendor = Vendor._meta.db_table
        # The events once, in a CTE both branches join (not an ``IN (...)``
        # subquery per branch, each with the list's ORDER BY): 113 -> 71 ms
        # on SQLite over the 20,000 events of the 100k-membership data.
        sql = f"""
            WITH ev(id) AS ({events_sql})
            SELECT v.slug, v.name, COUNT(*) AS n FROM (
                SELECT e.vendor_id AS vid, e.id AS eid FROM ev JOIN {event} e ON e.id = ev.id
                 WHERE e.vendor_id IS NOT NULL
                UNION
                SELECT pv.vendor_id AS vid, e.id AS eid FROM ev JOIN {event} e ON e.id = ev.id
                  JOIN {through} pv ON pv.program_id = e.program_id
            ) pairs JOIN {vendor} v ON v.id = pairs.vid
            WHERE v.is_published
            GROUP BY v.slug, v.name
            ORDER BY n DESC, v.name
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        keep = [r for i, r in enumerate(rows) if limit is None or i < limit or r[0] in selected]
        return sorted(keep, key=lambda r: str(r[1]).lower())


class ProgramEvent(EvidencedMixin, PublishableModel):
    """Something that happened or is planned, dated as precisely as the
    sources allow. ``date_text`` keeps the sources' own wording."""

    evidence_fields = ("start_date", "end_date", "place")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, db_index=True)
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    vendor = models.ForeignKey(
        "vendors.Vendor",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("First day of the period when only a month, quarter or year is known."),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    date_text = models.CharField(
        _("date as stated"), max_length=300, blank=True, help_text=_("The sources' own wording of the date.")
    )
    date_derived = models.BooleanField(
        _("date derived"),
        default=False,
        help_text=_("The sources do not state the date in full: part of it (e.g. the year) is derived."),
    )
    date_derivation = models.TextField(
        _("how the date is derived"),
        blank=True,
        help_text=_("The reasoning, from the passages it rests on (e.g. the year from the fiscal year named)."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Where the sources tell this event (``ProgramEventQuerySet.chronological``):
    # its first published passage's source date and slug, and the passage's
    # place in that source. Derived, kept by programs/signals.py, never edited
    # or kept in the history: as columns, the timeline's order is read from an
    # index instead of three subqueries per event (74 -> 1 ms at 20k events).
    told_on = models.DateField(_("date of the first source telling it"), null=True, editable=False)
    told_in = models.CharField(_("first source telling it"), max_length=200, null=True, editable=False)
    told_at = models.PositiveIntegerField(_("place in the first source telling it"), null=True, editable=False)
    sources = sources_field("events")
    passages = passages_field("event")
    # history: registered in translation.py, once the translated fields exist
    # (without the told_* columns: derived, not edits)

    objects = ProgramEventQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["start_date", "title"]),
            models.Index(fields=["kind", "start_date"]),
            models.Index(fields=["program", "start_date"], name="event_program_start"),
            models.Index(fields=["vendor", "start_date"], name="event_vendor_start"),
            # Covering index of the facet counts: the kind and program facets
            # read it instead of the table (kind facet 111 -> 28 ms at 20k events).
            models.Index(fields=["kind", "is_published", "program", "vendor"], name="event_facet"),
            # The timeline's order (``chronological``).
            models.Index(F("start_date"), *TOLD_ORDER, F("title"), F("id"), name="event_told_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="event_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="event_end_needs_start",
                violation_error_message=_("An end date needs a start date."),
            ),
            models.CheckConstraint(
                condition=Q(program__isnull=False) | Q(vendor__isnull=False),
                name="event_has_program_or_vendor",
                violation_error_message=_("An event belongs to a program, a vendor or both."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.end_date and not self.start_date:
            raise ValidationError({"start_date": _("An end date needs a start date.")})
        if not self.program_id and not self.vendor_id:
            raise ValidationError(_("An event belongs to a program, a vendor or both."))
        if self.start_date is None and self.precision != DatePrecision.UNKNOWN:
            raise ValidationError({"precision": _("Without a start date the precision is 'unknown'.")})
        if self.date_derived and not self.date_derivation.strip():
            raise ValidationError({"date_derivation": _("Say how derived dates are derived.")})

    def get_absolute_url(self):
        return reverse("programs:event", kwargs={"slug": self.slug})
