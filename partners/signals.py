"""Keeps ``ProgramPartnerCount`` (derived counts) in step with the data:
a membership saved or deleted recounts its program(s); a partner saved or
deleted (published, withdrawn) recounts the programs it is in; a bulk load
(``kb.caching.knowledge_reloaded``) recounts everything."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from kb.caching import knowledge_reloaded

from .models import Membership, Partner, ProgramPartnerCount


def _membership_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._kb_old_program_id = Membership.objects.filter(pk=instance.pk).values_list("program_id", flat=True).first()


def _membership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        ProgramPartnerCount.recount({instance.program_id, getattr(instance, "_kb_old_program_id", None)})


def _membership_deleted(sender, instance, **kwargs):
    ProgramPartnerCount.recount({instance.program_id})


def _partner_programs(instance):
    return set(Membership.objects.filter(partner_id=instance.pk).values_list("program_id", flat=True))


def _partner_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        ProgramPartnerCount.recount(_partner_programs(instance))


def _partner_deleting(sender, instance, **kwargs):
    instance._kb_programs = _partner_programs(instance)


def _partner_deleted(sender, instance, **kwargs):
    ProgramPartnerCount.recount(getattr(instance, "_kb_programs", set()))


def _reloaded(sender, **kwargs):
    ProgramPartnerCount.recount()


def connect():
    pre_save.connect(_membership_saving, sender=Membership, dispatch_uid="partners-count-m-pre")
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="partners-count-m-save")
    post_delete.connect(_membership_deleted, sender=Membership, dispatch_uid="partners-count-m-delete")
    post_save.connect(_partner_saved, sender=Partner, dispatch_uid="partners-count-p-save")
    pre_delete.connect(_partner_deleting, sender=Partner, dispatch_uid="partners-count-p-pre")
    post_delete.connect(_partner_deleted, sender=Partner, dispatch_uid="partners-count-p-delete")
    knowledge_reloaded.connect(_reloaded, dispatch_uid="partners-count-reloaded")
