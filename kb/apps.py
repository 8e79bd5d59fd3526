from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KbConfig(AppConfig):
    """The framework every knowledge app builds on (never imports one)."""

    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self):
        from . import caching, search_index

        # Every save, delete and many-to-many change of a knowledge record
        # bumps the knowledge stamp (kb/caching.py) and re-indexes what the
        # search shows of it (kb/search_index.py).
        caching.connect_signals()
        search_index.connect_signals()
        name_link_rows()
        post_migrate.connect(search_index.rebuild_if_empty, sender=self, dispatch_uid="kb-search-rebuild-if-empty")


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
