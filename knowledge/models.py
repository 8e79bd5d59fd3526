"""Ingestion's review state: one ``Ingestion`` per ingested source, and the
``ExtractedCandidate`` rows the review screen shows, so a review survives
reloads and is shared by the staff reviewing it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class IngestionStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("extracting")
    DONE = "done", _("ready for review")
    FAILED = "failed", _("failed")


class CandidateKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")
    PLACE = "place", _("place")
    PROGRAM = "program", _("program")
    TIER = "tier", _("tier")
    FOCUS_AREA = "focus_area", _("focus area")
    QUOTE = "quote", _("quote")
    DATE = "date", _("date")
    FIGURE = "figure", _("figure")
    BENEFIT = "benefit", _("benefit")


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("to review")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Ingestion(models.Model):
    source = models.OneToOneField(
        "sources.Source", verbose_name=_("source"), on_delete=models.CASCADE, related_name="ingestion"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IngestionStatus.choices, default=IngestionStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    document_type = models.CharField(_("document type"), max_length=10, blank=True)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    job_id = models.CharField(_("background job"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ingested document")
        verbose_name_plural = _("ingested documents")

    def __str__(self):
        return str(self.source)


class ExtractedCandidate(models.Model):
    ingestion = models.ForeignKey(
        Ingestion, verbose_name=_("ingested document"), on_delete=models.CASCADE, related_name="candidates"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CandidateKind.choices, db_index=True)
    text = models.TextField(_("exact words"))
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    prefix = models.CharField(_("prefix"), max_length=64, blank=True)
    suffix = models.CharField(_("suffix"), max_length=64, blank=True)
    value = models.JSONField(_("value"), default=dict, blank=True)
    group = models.CharField(
        _("group"), max_length=300, blank=True, db_index=True, help_text=_("Mentions of one thing share a group.")
    )
    score = models.FloatField(_("score"), default=0)
    match_model = models.CharField(_("matched model"), max_length=60, blank=True)
    match_slug = models.CharField(_("matched record"), max_length=200, blank=True)
    match_version = models.PositiveIntegerField(_("matched record's version"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PENDING, db_index=True
    )
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["start", "end", "pk"]
        verbose_name = _("extracted candidate")
        verbose_name_plural = _("extracted candidates")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    @property
    def value_display(self):
        """The normalised value in short: "2010-07-11 – 2010-07-15 (day)", "300–500 personnes"."""
        v = self.value or {}
        if self.kind == "date":
            if v.get("duration"):
                return f"{v['duration']} ({v.get('precision')})"
            if v.get("fiscal_quarter"):
                months = ", ".join(str(m) for m in v.get("months", [])) or "?"
                return f"Q{v['fiscal_quarter']} fiscal {v.get('vendor') or ''} ({months})".replace("  ", " ")
            when = v.get("start") or v.get("fiscal_year") or v.get("relative") or "?"
            if v.get("end") and v.get("end") != v.get("start"):
                when = f"{when} – {v['end']}"
            return f"{when} ({v.get('precision')})"
        if self.kind == "figure":
            number = f"{v['min']}–{v['max']}" if "min" in v else str(v.get("value"))
            return " ".join(x for x in (v.get("qualifier"), number, v.get("unit")) if x)
        return ""

    @property
    def label(self):
        """What the candidate stands for, in a few words."""
        v = self.value or {}
        if self.kind == "quote":
            return v.get("speaker") or ""
        if self.kind == "benefit":
            return v.get("kind", "")
        if self.kind in ("date", "figure"):
            return ""
        return v.get("name") or v.get("description") or self.text
