from django.apps import AppConfig
from django.db.backends.signals import connection_created


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self):
        from .text import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="kb_normalize")
