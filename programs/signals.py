"""Keeps the events' told order (``ProgramEvent.told_on`` / ``told_in`` /
``told_at``, derived from their passages) in step with the data: a passage
saved, moved or deleted refreshes the event(s) it supported; a source saved
(its date, slug or publication changed) refreshes the events it has passages
for; a bulk load (``kb.caching.knowledge_reloaded``) refreshes every event."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save

from kb.caching import knowledge_reloaded
from sources.models import Passage, Source

from .models import ProgramEvent


def _event_type_id():
    return ContentType.objects.get_for_model(ProgramEvent).pk


def _refresh(event_ids):
    event_ids = {pk for pk in event_ids if pk is not None}
    if event_ids:
        ProgramEvent.objects.filter(pk__in=event_ids).refresh_told_order()


def _supported_event(content_type_id, object_id):
    return object_id if content_type_id == _event_type_id() else None


def _passage_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    old = Passage.objects.filter(pk=instance.pk).values_list("content_type_id", "object_id").first()
    instance._kb_old_event_id = _supported_event(*old) if old else None


def _passage_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _refresh(
            {
                _supported_event(instance.content_type_id, instance.object_id),
                getattr(instance, "_kb_old_event_id", None),
            }
        )


def _passage_deleted(sender, instance, **kwargs):
    _refresh({_supported_event(instance.content_type_id, instance.object_id)})


def _source_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    events = instance.passages.filter(content_type_id=_event_type_id()).values_list("object_id", flat=True)
    _refresh(set(events))


def _reloaded(sender, **kwargs):
    ProgramEvent.objects.all().refresh_told_order()


def connect():
    pre_save.connect(_passage_saving, sender=Passage, dispatch_uid="programs-told-passage-pre")
    post_save.connect(_passage_saved, sender=Passage, dispatch_uid="programs-told-passage-save")
    post_delete.connect(_passage_deleted, sender=Passage, dispatch_uid="programs-told-passage-delete")
    post_save.connect(_source_saved, sender=Source, dispatch_uid="programs-told-source-save")
    knowledge_reloaded.connect(_reloaded, dispatch_uid="programs-told-reloaded")
