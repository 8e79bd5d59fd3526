from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KnowledgeConfig(AppConfig):
    """The knowledge as a whole: the loader and its data, backup/restore, the
    staff roles, demo data, and their management commands."""

    name = "knowledge"
    verbose_name = "Knowledge"

    def ready(self):
        from django.apps import apps

        from .roles import sync_editors_after_migrate

        # post_migrate is sent once per app that has models (this one has
        # none): listen to the framework's, once per migrate.
        post_migrate.connect(
            sync_editors_after_migrate, sender=apps.get_app_config("kb"), dispatch_uid="knowledge-editors"
        )
