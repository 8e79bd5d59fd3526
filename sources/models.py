from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kb.models import EvidencedMixin, Language, PublishableModel, PublishableQuerySet, TimeStampedModel, passages_field
from utilities import anchoring
from utilities.fingerprint import text_fingerprint


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
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "The document's text. Passages quote it word for word; when it is edited, they are re-anchored "
            "and those whose words are gone are flagged."
        ),
    )
    text_public = models.BooleanField(
        _("text is public"),
        default=False,
        help_text=_(
            "Show the whole text on the public source page. Off by default: trade-press text is copyrighted. "
            "Passages (short, attributed quotations) are always public."
        ),
    )
    content_hash = models.CharField(
        _("content hash"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("Fingerprint of the text (SHA-256, white space ignored): the same text is not ingested twice."),
    )
    # history: registered in translation.py, once the translated fields exist

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

    def save(self, *args, **kwargs):
        """Saving a new text re-anchors the source's passages (see
        :meth:`reanchor_passages`); ``self.orphaned_passages`` then lists
        those whose words are gone."""
        self.content_hash = text_fingerprint(self.text) if (self.text or "").strip() else ""
        if kwargs.get("update_fields") is not None and "text" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "content_hash"}
        old_text = None
        if self.pk is not None and not self._state.adding:
            old_text = Source.objects.filter(pk=self.pk).values_list("text", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.orphaned_passages = []
            if old_text is not None and old_text != self.text:
                self.orphaned_passages = self.reanchor_passages()

    def reanchor_passages(self):
        """Re-anchor every passage quoting this source in its current text
        (position, then exact words + context, as the Hypothesis client does).
        A passage that cannot be re-anchored keeps its words and last offsets
        and is flagged ``orphaned`` for staff: it is never dropped. Returns
        the orphaned passages."""
        orphaned = []
        for passage in self.passages.all():
            if not passage.reanchor(self.text):
                orphaned.append(passage)
        return orphaned


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


class QuoteWording(models.TextChoices):
    """Whose words a quote's text is."""

    OWN = "own", _("the speaker's own words")
    TRANSLATION = "translation", _("the article's translation")
    UNKNOWN = "", _("not stated")


class Quote(EvidencedMixin, TimeStampedModel):
    """What a person said, in the original language, as a source reports it."""

    evidence_fields = ("wording", "said_on")

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
    wording = models.CharField(
        _("wording"),
        max_length=20,
        choices=QuoteWording.choices,
        blank=True,
        help_text=_(
            "Whether the text is what the speaker said, in the language they said it, or the article's "
            "translation (e.g. words said in English printed in French). Empty when the source does not tell."
        ),
    )
    wording_note = models.CharField(
        _("wording note"),
        max_length=300,
        blank=True,
        help_text=_("Why the text is taken as the speaker's own words or as a translation."),
    )
    context = models.CharField(
        _("context"),
        max_length=300,
        blank=True,
        help_text=_("Where and to whom it was said, as the source reports (e.g. 'at a press conference')."),
    )
    passages = passages_field("quote")
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


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("supports")
    DISPUTES = "disputes", _("disputes")


class AnchorStatus(models.TextChoices):
    ANCHORED = "anchored", _("anchored")
    ORPHANED = "orphaned", _("cannot be re-anchored")


def evidenced_models():
    """Every model whose records carry passages (a ``passages``
    GenericRelation to ``Passage``): found at run time, so this app imports
    none of them."""
    found = []
    for model in apps.get_models():
        field = _generic_passages(model)
        if isinstance(field, GenericRelation) and field.related_model is Passage:
            found.append(model)
    return found


def _generic_passages(model):
    try:
        return model._meta.get_field("passages")
    except FieldDoesNotExist:
        return None


def _published_records(model):
    manager = model._default_manager
    return manager.published() if hasattr(manager, "published") else manager.all()


class PassageQuerySet(models.QuerySet):
    def published(self):
        """Passages of published sources (passages themselves are always
        public; the record they support is checked where it is shown)."""
        return self.filter(source__is_published=True)

    def public(self):
        """Passages of a published source supporting a published record
        (what /api/passages/ lists): one query, a subquery per model."""
        condition = Q(pk__in=[])
        for model in evidenced_models():
            content_type = ContentType.objects.get_for_model(model)
            condition |= Q(content_type=content_type, object_id__in=_published_records(model).values("pk"))
        return self.published().filter(condition)

    def with_related(self):
        return self.select_related("source", "claimed_by_person", "claimed_by_vendor", "content_type")

    def for_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def orphaned(self):
        return self.filter(anchor_status=AnchorStatus.ORPHANED)


class Passage(TimeStampedModel):
    """The evidence for a fact: words quoted verbatim from a source's text,
    anchored by the W3C Web Annotation selectors (quote with context, and
    position), and the record (and field) they support."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="passages")
    exact = models.TextField(_("exact words"), help_text=_("The words of the source, verbatim."))
    prefix = models.CharField(
        _("words before"), max_length=200, blank=True, help_text=_("A few words just before the passage in the text.")
    )
    suffix = models.CharField(
        _("words after"), max_length=200, blank=True, help_text=_("A few words just after the passage in the text.")
    )
    start = models.PositiveIntegerField(_("start"), null=True, blank=True, editable=False)
    end = models.PositiveIntegerField(_("end"), null=True, blank=True, editable=False)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("content_type", "object_id")
    target.verbose_name = _("record")
    field = models.CharField(
        _("field"),
        max_length=100,
        blank=True,
        help_text=_("The attribute of the record the passage is about (e.g. route_to_market); empty for the record."),
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices, default=Stance.SUPPORTS)
    claim = models.CharField(
        _("claim"),
        max_length=200,
        blank=True,
        help_text=_("What this passage says the value is, when sources or people disagree (e.g. 'sold direct')."),
    )
    claimed_by_person = models.ForeignKey(
        "vendors.Person",
        verbose_name=_("claimed by (person)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_passages",
        help_text=_("Who makes the claim, according to the source."),
    )
    claimed_by_vendor = models.ForeignKey(
        "vendors.Vendor",
        verbose_name=_("claimed by (vendor)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_passages",
    )
    note = models.TextField(_("note"), blank=True)
    anchor_status = models.CharField(
        _("anchoring"),
        max_length=10,
        choices=AnchorStatus.choices,
        default=AnchorStatus.ANCHORED,
        db_index=True,
        editable=False,
        help_text=_("'Cannot be re-anchored': the source's text was edited and these words are no longer in it."),
    )
    history = HistoricalRecords()

    objects = PassageQuerySet.as_manager()

    class Meta:
        ordering = ["source__title", "start", "pk"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        indexes = [
            models.Index(fields=["content_type", "object_id", "field"], name="passage_target"),
            models.Index(fields=["source", "start"], name="passage_source_start"),
        ]

    def __str__(self):
        text = self.exact if len(self.exact) <= 60 else self.exact[:57] + "…"
        return f"« {text} »"

    def get_absolute_url(self):
        """The passage highlighted on its source's page."""
        return self.source.get_absolute_url() + f"#passage-{self.pk}"

    @property
    def claimed_by(self):
        return self.claimed_by_person or self.claimed_by_vendor

    @property
    def is_orphaned(self):
        return self.anchor_status == AnchorStatus.ORPHANED

    def selector(self) -> anchoring.Anchor | None:
        if self.start is None or self.end is None:
            return None
        return anchoring.Anchor(self.exact, self.prefix, self.suffix, self.start, self.end)

    def anchor(self, text=None, start=None):
        """Find the words in the source's text and fill the selectors from
        the text itself (so what is stored is verbatim). Raises
        ``ValidationError`` naming the words when they cannot be anchored."""
        text = self.source.text if text is None else text
        if not self.exact or not self.exact.strip():
            raise ValidationError({"exact": _("A passage needs the exact words of the source.")})
        if not text:
            raise ValidationError(
                {
                    "source": _("The source “%(source)s” has no text yet: add its text before quoting it.")
                    % {"source": self.source}
                }
            )
        hint = self.start if start is None else start
        try:
            found = anchoring.anchor(text, self.exact, self.prefix, self.suffix, hint)
        except anchoring.AmbiguousQuote as exc:
            raise ValidationError(
                {
                    "exact": _(
                        "The words “%(words)s” occur %(count)s times in the text of “%(source)s”: add the words "
                        "before or after them to say which."
                    )
                    % {"words": exc.exact, "count": exc.count, "source": self.source}
                }
            ) from exc
        except anchoring.AnchoringError as exc:
            raise ValidationError(
                {
                    "exact": _("The words “%(words)s” are not in the text of “%(source)s”.")
                    % {"words": self.exact.strip(), "source": self.source}
                }
            ) from exc
        self._apply(found)

    def _apply(self, found):
        self.exact, self.prefix, self.suffix = found.exact, found.prefix, found.suffix
        self.start, self.end = found.start, found.end
        self.anchor_status = AnchorStatus.ANCHORED

    def reanchor(self, text) -> bool:
        """Re-anchor in an edited text and save; flag (never drop) the passage
        when its words are gone. Returns whether it is anchored."""
        old = self.selector()
        found = (
            anchoring.reanchor(text, old) if old else anchoring.try_anchor(text, self.exact, self.prefix, self.suffix)
        )
        if found is None:
            if self.anchor_status != AnchorStatus.ORPHANED:
                self.anchor_status = AnchorStatus.ORPHANED
                self._change_reason = "source text edited: cannot be re-anchored"
                self.save(skip_anchoring=True)
            return False
        if (found.exact, found.prefix, found.suffix, found.start, found.end) != (
            self.exact,
            self.prefix,
            self.suffix,
            self.start,
            self.end,
        ) or self.is_orphaned:
            self._apply(found)
            self._change_reason = "source text edited: re-anchored"
            self.save(skip_anchoring=True)
        return True

    def clean(self):
        super().clean()
        errors = {}
        if self.content_type_id and self.object_id is not None:
            model = self.content_type.model_class()
            if model is None or not model._default_manager.filter(pk=self.object_id).exists():
                errors["object_id"] = _("There is no such record.")
            elif self.field:
                try:
                    model._meta.get_field(self.field)
                except FieldDoesNotExist:
                    errors["field"] = _("A %(model)s has no field “%(field)s”.") % {
                        "model": model._meta.verbose_name,
                        "field": self.field,
                    }
        if self.claimed_by_person_id and self.claimed_by_vendor_id:
            errors["claimed_by_vendor"] = _("A claim is made by a person or by a vendor, not both.")
        if self.source_id:
            try:
                self.anchor()
            except ValidationError as exc:
                errors.update(exc.message_dict)
        elif not (self.exact or "").strip():
            errors["exact"] = _("A passage needs the exact words of the source.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, skip_anchoring=False, **kwargs):
        """A passage is anchored before it is stored: code that does not call
        ``full_clean()`` (the loader, ingestion) gets the same rule."""
        if not skip_anchoring:
            try:
                self.anchor()
            except ValidationError:
                if self._state.adding:
                    raise
                # an existing passage whose words are gone is flagged, not lost
                self.anchor_status = AnchorStatus.ORPHANED
        super().save(*args, **kwargs)


def passages_prefetch(lookup="passages"):
    """The one ``Prefetch`` of the passages behind a record's facts, for the
    public pages and the API alike (``lookup`` may be nested:
    ``"tiers__passages"``): those of published sources, with their source and
    claimant, by field, source and place in the source (one query)."""
    return models.Prefetch(
        lookup,
        queryset=Passage.objects.published()
        .with_related()
        .select_related("claimed_by_person__employer")
        .order_by("field", "source__title", "start", "pk"),
    )
