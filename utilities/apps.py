from django.apps import AppConfig
from django.db.backends.signals import connection_created


class UtilitiesConfig(AppConfig):
    """Helpers that know nothing of the domain: text normalisation, dates,
    spreadsheet safety, template tags, the translations command."""

    name = "utilities"
    verbose_name = "Utilities"

    def ready(self):
        from .text import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="kb_normalize")
