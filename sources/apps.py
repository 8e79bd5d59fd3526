from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = _("Sources and quotes")

    def ready(self):
        from kb.registry import LoaderSection, registry

        from . import changes, search
        from .models import Passage, Quote, Source

        registry.register_knowledge_models(Source, Quote, Passage)
        registry.register_page(Source)
        search.register_kinds()
        registry.register_change_kinds(*changes.change_kinds())
        registry.register_loader_section(
            LoaderSection("sources", Source),
            LoaderSection(
                "quotes", Quote, key=("person", "source", "text"), fks=("person", "source", "program", "vendor")
            ),
        )
        # Listed on a source's page (SourceQuerySet.for_detail).
        registry.register_citing(
            quotes=lambda: Quote.objects.published().select_related("person", "program", "vendor"),
        )
