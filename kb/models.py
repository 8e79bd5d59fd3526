"""Shared building blocks for the knowledge models of every app.

- ``TimeStampedModel``: created/updated timestamps and a ``version`` counter
  for optimistic locking (the admin refuses a save made from a stale form).
- ``PublishableModel`` + ``PublishableQuerySet``: a published flag and the
  ``published()`` queryset method public pages use so drafts stay in admin.
- ``DatePrecision`` (from ``utilities.dates``): how much of a date the sources actually state.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from utilities.dates import DatePrecision  # noqa: F401  (models import it from here)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one at every save; a save made from an older version is refused in the admin."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class PublishableModel(TimeStampedModel):
    is_published = models.BooleanField(
        _("published"),
        default=True,
        db_index=True,
        help_text=_("Unpublished records (drafts) are visible in the admin only."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


def passages_field(related_query_name):
    """The ``passages`` every knowledge model carries: the evidence quoting
    a source (``sources.Passage``) attached to the record, or to one of its
    fields. Pages prefetch ``passages__source``. Deleting the record deletes
    its passages with it (the admin's confirmation page lists them; history
    keeps them)."""
    from django.contrib.contenttypes.fields import GenericRelation

    return GenericRelation("sources.Passage", related_query_name=related_query_name, verbose_name=_("passages"))


class EvidencedMixin:
    """Reading a record's passages (from the prefetch when there is one).

    ``evidence_fields`` names the attributes that state a fact of their own
    (a date, a place, a number of levels...): each, when it holds a value,
    should have a passage of its own, besides the record's passages. Prose
    (summary, description) is covered by the record's passages."""

    evidence_fields: tuple[str, ...] = ()

    def passages_for(self, field=""):
        """The passages about ``field`` ("" = the record as a whole)."""
        return [p for p in self.passages.all() if p.field == field]

    @property
    def evidenced_fields(self):
        return {p.field for p in self.passages.all()}

    def stated_fields(self):
        """The ``evidence_fields`` that hold a value (empty, None and
        "unknown" state nothing)."""
        return [
            name
            for name in self.evidence_fields
            if getattr(self, self._meta.get_field(name).attname) not in (None, "", "unknown")
        ]

    def unevidenced(self):
        """What lacks a passage: "" when the record has none at all, and each
        stated field with none ("citation needed")."""
        have = self.evidenced_fields
        missing = [] if have else [""]
        return missing + [name for name in self.stated_fields() if name not in have]

    @property
    def disputed_fields(self):
        """Fields a passage disputes: their value is shown as "disputed",
        each side with its passage and who claims it."""
        return {p.field for p in self.passages.all() if p.stance == "disputes"}


class KnowledgeStamp(models.Model):
    """One row: goes up whenever any knowledge record changes (see
    ``kb.caching``). ETags, Last-Modified and cached fragments derive from it."""

    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("knowledge stamp")
        verbose_name_plural = _("knowledge stamps")

    def __str__(self):
        return f"v{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
