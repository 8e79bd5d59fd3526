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
        name_link_rows()
        connect_signals()
        post_migrate.connect(rebuild_if_empty, sender=self, dispatch_uid="kb-search-rebuild-if-empty")


def _link_row_str(self):
    """A many-to-many link row named by its two ends ("CPP – Cisco"), not
    "Program_vendors object (7)" (delete confirmations list them)."""
    ends = [f for f in self._meta.fields if f.is_relation]
    return " – ".join(str(getattr(self, f.name)) for f in ends)


def name_link_rows():
    """Readable names for the link rows Django creates for many-to-many
    fields, which have no ``__str__`` of their own."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        if model._meta.auto_created and "__str__" not in vars(model):
            model.__str__ = _link_row_str
