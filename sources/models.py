from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kb.models import Language, PublishableModel, PublishableQuerySet, TimeStampedModel


class SourceQuerySet(PublishableQuerySet):
    def for_detail(self):
        """A source's page: every published fact that cites it, as the apps
        register them (``kb.registry.register_citing``)."""
        from kb.registry import registry

        return self.published().prefetch_related(
            *(models.Prefetch(accessor, queryset=queryset()) for accessor, queryset in registry.citing.items())
        )

    def for_api(self):
        quotes = Quote.objects.published().only("pk", "source_id")
        return self.published().prefetch_related(models.Prefetch("quotes", queryset=quotes, to_attr="published_quotes"))


class Source(PublishableModel):
    """Where a fact comes from: an article, a press release, a web page."""

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True, help_text=_("Empty when not known."))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.FRENCH)
    published_on = models.DateField(_("published on"), null=True, blank=True, help_text=_("Empty when not known."))
    url = models.URLField(_("URL"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    seed_file = models.CharField(
        _("seed file"), max_length=200, blank=True, help_text=_("The file in shared/seeds/ this source was drawn from.")
    )
    history = HistoricalRecords()

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [
            models.Index(fields=["published_on", "title"]),
            models.Index(fields=["title"], name="source_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sources:detail", kwargs={"slug": self.slug})


def sources_field(related_name):
    """The ``sources`` many-to-many every fact-bearing model carries.

    ``related_name`` names the reverse side on Source (``source.programs``...),
    so a source's page can list every fact that cites it."""
    return models.ManyToManyField(
        Source,
        blank=True,
        related_name=related_name,
        verbose_name=_("sources"),
        help_text=_("The articles that state this fact."),
    )


def published_sources():
    """Prefetch of a record's ``sources`` without the drafts, for public pages
    and the API alike (a draft source stays in the admin, even where a
    published fact cites it)."""
    return models.Prefetch("sources", queryset=Source.objects.published())


class QuoteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            Q(source__is_published=True),
            Q(person__is_published=True),
            Q(program__isnull=True) | Q(program__is_published=True),
            Q(vendor__isnull=True) | Q(vendor__is_published=True),
        )


class Quote(TimeStampedModel):
    """What a person said, in the original language, as a source reports it."""

    person = models.ForeignKey(
        "vendors.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="quotes"
    )
    text = models.TextField(_("text"), help_text=_("In the original language, as written in the source."))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.FRENCH)
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="quotes")
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
    )
    vendor = models.ForeignKey(
        "vendors.Vendor",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
    )
    said_on = models.DateField(_("said on"), null=True, blank=True, help_text=_("Empty when not known."))
    context = models.CharField(
        _("context"),
        max_length=300,
        blank=True,
        help_text=_("Where and to whom it was said, as the source reports (e.g. 'at a press conference')."),
    )
    history = HistoricalRecords()

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["source__title", "person__name", "pk"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        indexes = [
            models.Index(fields=["program", "said_on"], name="quote_program_said"),
            models.Index(fields=["vendor", "said_on"], name="quote_vendor_said"),
            models.Index(fields=["said_on"], name="quote_said_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(program__isnull=False) | Q(vendor__isnull=False),
                name="quote_about_program_or_vendor",
                violation_error_message=_("A quote is about a program, a vendor or both."),
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"{self.person}: « {text} »"

    def clean(self):
        super().clean()
        if not self.program_id and not self.vendor_id:
            raise ValidationError(_("A quote is about a program, a vendor or both."))

    def get_absolute_url(self):
        return self.person.get_absolute_url() + f"#quote-{self.pk}"
