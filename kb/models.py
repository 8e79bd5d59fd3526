"""Shared building blocks for the knowledge models of every app.

- ``TimeStampedModel``: created/updated timestamps and a ``version`` counter
  for optimistic locking (the admin refuses a save made from a stale form).
- ``PublishableModel`` + ``PublishableQuerySet``: a published flag and the
  ``published()`` queryset method public pages use so drafts stay in admin.
- ``DatePrecision`` (from ``utilities.dates``): how much of a date the sources actually state.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
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

    def drafts(self):
        return self.filter(is_published=False)


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

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # As loaded: a save that publishes or withdraws the record invalidates
        # every page, an ordinary edit only the pages that show its kind (kb.caching).
        instance._kb_loaded_published = instance.__dict__.get("is_published")
        return instance

    def clean(self):
        """Withdrawing a record (admin form, import) is refused while it is
        the last published link a published record requires: a program
        whose only published vendor this is would say "Vendors: not stated
        in the sources", which is false."""
        super().clean()
        if self.pk is None or self.is_published or not getattr(self, "_kb_loaded_published", False):
            return
        stranded = left_without(type(self), [self], published=True)
        if stranded:
            raise ValidationError(
                {
                    "is_published": ValidationError(
                        _(
                            "Still published, because it is the last published %(model)s of: %(records)s. "
                            "Publish another %(model)s of these records first, or withdraw them."
                        ),
                        code="last_published_link",
                        params={
                            "model": self._meta.verbose_name,
                            "records": "; ".join(str(owner) for _field, owner, _pks in stranded),
                        },
                    )
                }
            )


def left_without(model, objs, published=False):
    """Records that removing ``objs`` (of ``model``) would leave without a
    required many-to-many link (``blank=False``), as (field, record, pks of
    ``objs`` it links to): a delete of a program's only vendor. With
    ``published``, the published records left without a *published* link:
    a withdrawal (unpublishing) of a program's last published vendor."""
    pks = [obj.pk for obj in objs]
    if not pks:
        return []
    found = []
    for rel in model._meta.related_objects:
        field = rel.field
        if not rel.many_to_many or field.blank or field.model is model:
            continue
        owners = field.model._default_manager.filter(**{f"{field.name}__in": pks})
        kept = ~Q(**{f"{field.name}__in": pks})
        if published:
            if any(f.name == "is_published" for f in field.model._meta.fields):
                owners = owners.filter(is_published=True)
            kept &= Q(**{f"{field.name}__is_published": True})
        owners = (
            field.model._default_manager.filter(pk__in=owners.values("pk"))
            .annotate(_kept=Count(field.name, filter=kept, distinct=True))
            .filter(_kept=0)
            # Which of ``objs`` each links to: one query for all, not one per record.
            .prefetch_related(
                models.Prefetch(field.name, queryset=model._default_manager.filter(pk__in=pks), to_attr="_kb_removed")
            )
        )
        found += [(field, owner, {obj.pk for obj in owner._kb_removed}) for owner in owners]
    return found


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
    """A knowledge stamp (see ``kb.caching``): the global row (tag ``*``)
    goes up whenever any knowledge record changes, a model's row (tag: the
    model's label) when a record of that model does. ETags, Last-Modified and
    cached fragments derive from them."""

    tag = models.CharField(_("tag"), max_length=100, unique=True, default="*")
    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("knowledge stamp")
        verbose_name_plural = _("knowledge stamps")

    def __str__(self):
        return f"v{self.version} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class ImportFile(models.Model):
    """A spreadsheet uploaded to the admin import, kept between its preview
    and its confirmation in the database, so that every app server sees it
    (a preview made through one server confirms through another). Removed on
    confirmation; files older than a day are removed at the next upload."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    data = models.BinaryField(_("data"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("uploaded import file")
        verbose_name_plural = _("uploaded import files")

    def __str__(self):
        return self.name


class SearchEntry(models.Model):
    """The site search's index: one row per public record, written by
    ``kb.search_index`` from each app's ``search.py`` declaration (never by
    hand). The text columns hold what the engine's full-text index is fed:
    folded words on PostgreSQL (a generated ``tsvector`` column stems them with
    the ``french`` and ``english`` configurations), French and English stems on
    SQLite (an FTS5 table over this one). ``display`` keeps what a result
    shows, per site language, so the results page reads this table only.
    Rebuild it with ``manage.py rebuild_search_index``."""

    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("object id"))
    names = models.TextField(_("names"), blank=True)
    titles = models.TextField(_("titles"), blank=True)
    body = models.TextField(_("text"), blank=True)
    related = models.TextField(_("related names"), blank=True)
    display = models.JSONField(
        _("display"), default=dict, help_text=_("What a result shows, per language (title, address, text).")
    )

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique_record")]

    def __str__(self):
        return f"{self.kind} #{self.object_id}"


class SearchTerm(models.Model):
    """Every indexed word (folded, not stemmed), for "Did you mean ...?":
    a misspelt query word is matched against these (pg_trgm on PostgreSQL,
    rapidfuzz on SQLite)."""

    word = models.CharField(_("word"), max_length=100, unique=True)
    documents = models.PositiveIntegerField(_("documents"), default=1)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self):
        return self.word
