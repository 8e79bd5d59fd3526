from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """The knowledge as a whole: the loader and its data, backup/restore, the
    staff roles, demo data, ingestion (documents to reviewed records), and
    their management commands."""

    name = "knowledge"
    verbose_name = _("Knowledge")

    def ready(self):
        from django.apps import apps

        from kb import registry

        from .models import ExtractedCandidate, Ingestion
        from .roles import sync_editors_after_migrate

        # Editors ingest documents and review what was extracted; the review
        # state is not knowledge itself (no stamp, no loader section).
        registry.register_staff_models(Ingestion, ExtractedCandidate)

        # post_migrate is sent once per app that has models: listen to the
        # framework's only, once per migrate.
        post_migrate.connect(
            sync_editors_after_migrate, sender=apps.get_app_config("kb"), dispatch_uid="knowledge-editors"
        )
