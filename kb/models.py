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
