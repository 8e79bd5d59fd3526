from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kb.models import EvidencedMixin, PublishableModel, PublishableQuerySet, TimeStampedModel, passages_field
from programs.models import TierKind
from sources.models import passages_prefetch, published_sources, sources_field


class PartnerKind(models.TextChoices):
    RESELLER = "reseller", _("reseller")
    INTEGRATOR = "integrator", _("integrator")
    DISTRIBUTOR = "distributor", _("distributor")
    SERVICE_PROVIDER = "service-provider", _("service provider")
    MANAGED_SERVICE_PROVIDER = "msp", _("managed service provider")


class PartnerQuerySet(PublishableQuerySet):
    """What the partner pages and the API fetch."""

    def for_detail(self):
        """A partner's page: its memberships (tier, program), sources and passages."""
        memberships = (
            Membership.objects.published()
            .select_related("tier__program", "program")
            .prefetch_related(published_sources(), passages_prefetch())
            .order_by("program__name", "tier__rank", "since")
        )
        return self.published().prefetch_related(
            published_sources(), passages_prefetch(), models.Prefetch("memberships", queryset=memberships)
        )

    def for_api(self):
        memberships = (
            Membership.objects.published().select_related("program", "tier").order_by("program__name", "since", "pk")
        )
        return self.published().prefetch_related(
            models.Prefetch("memberships", queryset=memberships, to_attr="published_memberships"),
            published_sources(),
            passages_prefetch(),
        )


class Partner(EvidencedMixin, PublishableModel):
    """A company that takes part in vendors' programs."""

    evidence_fields = ("country", "website")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=100, blank=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnerKind.choices, db_index=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    sources = sources_field("partners")
    passages = passages_field("partner")
    # history: registered in translation.py, once the translated fields exist

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        # Every filter and sort of the partner list (not led by is_published: see Program).
        indexes = [
            models.Index(fields=["is_published", "name"]),
            models.Index(fields=["country", "name"], name="partner_country_name"),
            models.Index(fields=["kind", "name"], name="partner_kind_name"),
            # Covering indexes of the facet counts (GROUP BY the column of published rows).
            models.Index(fields=["country", "is_published"], name="partner_country_facet"),
            models.Index(fields=["kind", "is_published"], name="partner_kind_facet"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:detail", kwargs={"slug": self.slug})


class MembershipQuerySet(models.QuerySet):
    def published(self):
        return self.filter(partner__is_published=True, program__is_published=True)

    def for_api(self):
        return (
            self.published()
            .select_related("partner", "program", "tier")
            .prefetch_related(published_sources(), passages_prefetch())
        )

    def current(self, on=None):
        """Memberships with no end, or (given a date) running on that date."""
        if on is None:
            return self.filter(until__isnull=True)
        return self.filter(Q(since__isnull=True) | Q(since__lte=on), Q(until__isnull=True) | Q(until__gte=on))


class Membership(EvidencedMixin, TimeStampedModel):
    """A partner holding a tier. ``program`` and ``tier_kind`` copy the tier's
    program and kind (set on save) so the database itself can refuse a second
    current *level* of one program; overlapping periods are refused in
    ``clean()``."""

    evidence_fields = ("since", "until")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="memberships"
    )
    tier = models.ForeignKey(
        "programs.Tier", verbose_name=_("tier"), on_delete=models.PROTECT, related_name="memberships"
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="memberships",
        editable=False,
    )
    tier_kind = models.CharField(_("tier kind"), max_length=20, choices=TierKind.choices, editable=False)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while the membership runs."))
    sources = sources_field("memberships")
    passages = passages_field("membership")
    history = HistoricalRecords(m2m_fields=[sources])

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["partner__name", "program__name", "since"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["tier", "partner"]),
            models.Index(fields=["program", "partner"]),
            models.Index(fields=["program", "since"], name="membership_program_since"),
            models.Index(fields=["partner", "since"], name="membership_partner_since"),
            models.Index(fields=["since"], name="membership_since"),
            models.Index(fields=["until"], name="membership_until"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(since__isnull=True) | Q(until__isnull=True) | Q(until__gte=F("since")),
                name="membership_dates_in_order",
                violation_error_message=_("'Until' cannot be before 'since'."),
            ),
            models.UniqueConstraint(
                fields=["partner", "program"],
                condition=Q(tier_kind="level", until__isnull=True),
                name="membership_one_current_level_per_program",
                violation_error_message=_("This partner already holds a current level of this program."),
            ),
            models.UniqueConstraint(
                fields=["partner", "tier", "since"],
                name="membership_unique_start",
                violation_error_message=_("This partner already holds this tier from this date."),
            ),
        ]

    def __str__(self):
        return f"{self.partner} – {self.tier}"

    def _sync_from_tier(self):
        if self.tier_id:
            self.program_id = self.tier.program_id
            self.tier_kind = self.tier.kind

    def clean(self):
        super().clean()
        self._sync_from_tier()
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": _("'Until' cannot be before 'since'.")})
        if not (self.partner_id and self.tier_id) or self.tier_kind != TierKind.LEVEL:
            return  # designations combine freely
        others = Membership.objects.filter(
            partner_id=self.partner_id, program_id=self.program_id, tier_kind=TierKind.LEVEL
        ).exclude(pk=self.pk)
        # Two periods overlap unless one ends before the other starts.
        if self.since:
            others = others.filter(Q(until__isnull=True) | Q(until__gte=self.since))
        if self.until:
            others = others.filter(Q(since__isnull=True) | Q(since__lte=self.until))
        clash = others.select_related("tier").first()
        if clash:
            raise ValidationError(
                {
                    "tier": _(
                        "A partner holds one level of a program at a time: %(partner)s already holds "
                        "the level %(tier)s of this program over an overlapping period."
                    )
                    % {"partner": self.partner, "tier": clash.tier.name}
                }
            )

    def clashes_with(self, other):
        """(field, message) when this row and ``other``, entered together on
        one form (a new partner's memberships), break the one-level rule:
        neither is in the database yet, so ``clean()`` cannot see the other."""
        self._sync_from_tier()
        other._sync_from_tier()
        if TierKind.LEVEL != self.tier_kind or TierKind.LEVEL != other.tier_kind:
            return None
        if not self.program_id or self.program_id != other.program_id:
            return None
        if (self.until and other.since and self.until < other.since) or (
            other.until and self.since and other.until < self.since
        ):
            return None
        message = _(
            "A partner holds one level of a program at a time: the level %(tier)s of this program is "
            "already on another row of this form over an overlapping period."
        ) % {"tier": other.tier.name}
        return "tier", message

    def validate_constraints(self, exclude=None):
        # program/tier_kind are not form fields; fill them before the
        # conditional unique constraint is checked.
        self._sync_from_tier()
        exclude = set(exclude or ()) - {"program", "tier_kind"}
        return super().validate_constraints(exclude=exclude)

    def save(self, *args, **kwargs):
        self._sync_from_tier()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.partner.get_absolute_url() + f"#membership-{self.pk}"


class ProgramPartnerCount(models.Model):
    """Derived data, maintained on save (``partners.signals``): how many
    published partners hold (or held) a tier of each program. It gives the
    partner list's program facet, unfiltered, without counting across every
    membership at each render. Rebuilt whole after bulk loads."""

    # Derived, not knowledge: deliberately not in kb.registry (the saves that
    # change it bump the stamps; Editors never edit it; the loader skips it).
    kb_derived = True

    program = models.OneToOneField(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="partner_count",
    )
    partners = models.PositiveIntegerField(_("partners"), default=0)

    class Meta:
        verbose_name = _("partners per program (derived)")
        verbose_name_plural = _("partners per program (derived)")
        indexes = [models.Index(fields=["-partners", "program"], name="programpartnercount_top")]

    def __str__(self):
        return f"{self.program_id}: {self.partners}"

    @classmethod
    def recount(cls, program_ids=None):
        """Recount the given programs (None: every program)."""
        memberships = Membership.objects.filter(partner__is_published=True)
        if program_ids is not None:
            program_ids = {p for p in program_ids if p is not None}
            if not program_ids:
                return
            memberships = memberships.filter(program_id__in=program_ids)
        counts = memberships.order_by().values("program_id").annotate(n=Count("partner_id", distinct=True))
        rows = [cls(program_id=r["program_id"], partners=r["n"]) for r in counts]
        with transaction.atomic():
            stale = cls.objects.all() if program_ids is None else cls.objects.filter(program_id__in=program_ids)
            stale._raw_delete(stale.db)  # derived rows: no signals, no history
            cls.objects.bulk_create(rows, batch_size=2000)
