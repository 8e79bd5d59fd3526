from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kb.models import EvidencedMixin, PublishableModel, PublishableQuerySet, TimeStampedModel, passages_field
from sources.models import Quote, passages_prefetch, published_sources, sources_field


class Month(models.IntegerChoices):
    JANUARY = 1, _("January")
    FEBRUARY = 2, _("February")
    MARCH = 3, _("March")
    APRIL = 4, _("April")
    MAY = 5, _("May")
    JUNE = 6, _("June")
    JULY = 7, _("July")
    AUGUST = 8, _("August")
    SEPTEMBER = 9, _("September")
    OCTOBER = 10, _("October")
    NOVEMBER = 11, _("November")
    DECEMBER = 12, _("December")


class VendorQuerySet(PublishableQuerySet):
    """What the vendor pages and the API fetch. The programs a vendor runs
    are reached through the reverse relation (``Program.vendors``): vendors
    sit below programs and never import them."""

    def _programs(self):
        return self.model.programs.rel.related_model.objects.published()

    def for_list(self):
        """A list row: the vendor and the names of its published programs."""
        return self.published().prefetch_related(
            models.Prefetch("programs", queryset=self._programs().order_by("name"), to_attr="published_programs")
        )

    def for_detail(self):
        """A vendor's page: its programs, people, relations both ways, quotes,
        sources and the passages behind each fact."""
        relations = VendorRelation.objects.published().prefetch_related(published_sources(), passages_prefetch())
        return self.published().prefetch_related(
            published_sources(),
            passages_prefetch(),
            models.Prefetch("programs", queryset=self._programs().with_related()),
            models.Prefetch("people", queryset=Person.objects.published()),
            models.Prefetch("relations", queryset=relations.select_related("other_vendor")),
            models.Prefetch("reverse_relations", queryset=relations.select_related("vendor")),
            models.Prefetch(
                "quotes",
                queryset=Quote.objects.published()
                .select_related("person", "source", "program")
                .prefetch_related(passages_prefetch()),
            ),
        )

    def for_api(self):
        relations = (
            VendorRelation.objects.published()
            .select_related("vendor", "other_vendor")
            .prefetch_related(passages_prefetch())
        )
        return self.published().prefetch_related(
            models.Prefetch("programs", queryset=self._programs(), to_attr="published_programs"),
            models.Prefetch("people", queryset=Person.objects.published(), to_attr="published_people"),
            models.Prefetch("relations", queryset=relations, to_attr="published_relations"),
            models.Prefetch("reverse_relations", queryset=relations, to_attr="published_reverse_relations"),
            published_sources(),
            passages_prefetch(),
        )


class Vendor(EvidencedMixin, PublishableModel):
    """A company: an IT vendor running programs, or any company the sources
    name in a role (rival, customer, press outlet)."""

    evidence_fields = ("headquarters", "fiscal_year_start_month", "website")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    headquarters = models.CharField(_("headquarters"), max_length=200, blank=True)
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year start month"),
        choices=Month.choices,
        null=True,
        blank=True,
        help_text=_("Month the vendor's fiscal year starts (Microsoft: July). Empty if not stated."),
    )
    sources = sources_field("vendors")
    passages = passages_field("vendor")
    # history: registered in translation.py, once the translated fields exist

    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("vendors:detail", kwargs={"slug": self.slug})

    def timeline(self):
        """The published events of this vendor and of the programs it runs,
        in date order (undated last). ``ProgramEvent`` is reached through its
        reverse relation, ``vendor.events``."""
        events = type(self).events.rel.related_model
        runs = type(self).programs.through.objects.filter(vendor=self).values("program_id")
        return (
            events.objects.published()
            .filter(Q(vendor=self) | Q(program__in=runs))
            .select_related("program", "vendor")
            .prefetch_related(published_sources(), passages_prefetch())
            .order_by(F("start_date").asc(nulls_last=True), "title")
        )


class PersonQuerySet(PublishableQuerySet):
    def for_detail(self):
        """A person's page: employer, quotes, sources and passages."""
        return (
            self.published()
            .select_related("employer")
            .prefetch_related(
                published_sources(),
                passages_prefetch(),
                models.Prefetch(
                    "quotes",
                    queryset=Quote.objects.published()
                    .select_related("source", "program", "vendor")
                    .prefetch_related(passages_prefetch()),
                ),
            )
        )

    def for_api(self):
        return self.published().select_related("employer").prefetch_related(published_sources(), passages_prefetch())


class Person(EvidencedMixin, PublishableModel):
    evidence_fields = ("title", "employer")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True, help_text=_("Role as stated by the sources."))
    employer = models.ForeignKey(
        Vendor,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    sources = sources_field("people")
    passages = passages_field("person")
    # history: registered in translation.py, once the translated fields exist

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["employer", "name"]),
            models.Index(fields=["name"], name="person_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})


class RelationKind(models.TextChoices):
    """Read a relation as "<vendor> <kind> <other vendor>"."""

    ALLIANCE = "alliance", _("alliance with")
    COMPETITION = "competition", _("competes with")
    CUSTOMER = "customer", _("has as customer")


class VendorRelationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(vendor__is_published=True, other_vendor__is_published=True)


class VendorRelation(EvidencedMixin, TimeStampedModel):
    """How two companies relate: ``vendor`` is in ``kind`` with ``other_vendor``
    (e.g. HP alliance Microsoft; Cisco competition HP)."""

    vendor = models.ForeignKey(Vendor, verbose_name=_("vendor"), on_delete=models.PROTECT, related_name="relations")
    other_vendor = models.ForeignKey(
        Vendor, verbose_name=_("other vendor"), on_delete=models.PROTECT, related_name="reverse_relations"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RelationKind.choices, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    sources = sources_field("vendor_relations")
    passages = passages_field("vendor_relation")
    # history: registered in translation.py, once the translated fields exist

    objects = VendorRelationQuerySet.as_manager()

    class Meta:
        ordering = ["vendor__name", "kind", "other_vendor__name"]
        verbose_name = _("vendor relation")
        verbose_name_plural = _("vendor relations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(vendor=F("other_vendor")),
                name="vendorrelation_distinct_vendors",
                violation_error_message=_("A vendor cannot be related to itself."),
            ),
            models.UniqueConstraint(
                fields=["vendor", "other_vendor", "kind"],
                name="vendorrelation_unique",
                violation_error_message=_("This relation between these two vendors already exists."),
            ),
        ]

    def __str__(self):
        return f"{self.vendor} – {self.get_kind_display()} – {self.other_vendor}"

    def clean(self):
        super().clean()
        if self.vendor_id and self.vendor_id == self.other_vendor_id:
            raise ValidationError({"other_vendor": _("A vendor cannot be related to itself.")})

    def get_absolute_url(self):
        return self.vendor.get_absolute_url() + f"#relation-{self.pk}"
