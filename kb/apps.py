from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self):
        from .search_index import connect_signals, rebuild_if_empty
        from .text import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="kb_normalize")
        connect_signals()
        post_migrate.connect(rebuild_if_empty, sender=self, dispatch_uid="kb-search-rebuild-if-empty")
