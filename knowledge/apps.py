from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KnowledgeConfig(AppConfig):
    """The knowledge as a whole: the loader and its data, backup/restore, the
    staff roles, demo data, and their management commands."""

    name = "knowledge"
    verbose_name = "Knowledge"

    def ready(self):
        from .roles import sync_editors_after_migrate

        post_migrate.connect(sync_editors_after_migrate, sender=self, dispatch_uid="knowledge-editors")
