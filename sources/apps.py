from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = _("Sources and quotes")

    def ready(self):
        from .search import register_kinds

        register_kinds()
