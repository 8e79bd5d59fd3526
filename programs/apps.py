from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self):
        from kb.registry import LoaderSection, registry

        from . import changes, search, signals
        from .models import Benefit, FocusArea, Program, ProgramEvent, Tier

        registry.register_knowledge_models(Program, Tier, Benefit, FocusArea, ProgramEvent)
        registry.register_page(Program)
        registry.register_page(ProgramEvent)
        registry.register_page(Tier, lambda: Tier.objects.published().select_related("program"))
        search.register_kinds()
        registry.register_change_kinds(*changes.change_kinds())
        signals.connect()  # the timeline's told order (ProgramEvent.told_*)
        registry.register_loader_section(
            LoaderSection("focus_areas", FocusArea),
            LoaderSection(
                "programs",
                Program,
                m2m=("vendors", "focus_areas", "sources"),
                children={"tiers": "tiers", "benefits": "benefits"},
            ),
            # A tier is named by its slug within its program (the loader's
            # lookups follow this key: "program-slug/tier-slug" elsewhere).
            LoaderSection("tiers", Tier, key=("program", "slug"), fks=("program",), m2m=("sources",)),
            LoaderSection("benefits", Benefit, key=("program", "title"), fks=("program", "tier"), m2m=("sources",)),
            LoaderSection("events", ProgramEvent, fks=("program", "vendor"), m2m=("sources",)),
        )
        registry.register_citing(
            programs=lambda: Program.objects.published(),
            tiers=lambda: Tier.objects.published().select_related("program"),
            benefits=lambda: Benefit.objects.published().select_related("program", "tier"),
            events=lambda: (
                ProgramEvent.objects.published()
                .select_related("program", "vendor")
                .order_by("start_date", "title", "pk")
            ),
        )
