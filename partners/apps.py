from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from kb.registry import LoaderSection, registry

        from . import changes, search, signals
        from .models import Membership, Partner

        registry.register_knowledge_models(Partner, Membership)
        registry.register_page(Partner)
        search.register_kinds()
        registry.register_change_kinds(*changes.change_kinds())
        registry.register_loader_section(
            LoaderSection("partners", Partner, m2m=("sources",)),
            LoaderSection(
                "memberships", Membership, key=("partner", "tier", "since"), fks=("partner", "tier"), m2m=("sources",)
            ),
        )
        registry.register_citing(
            partners=lambda: Partner.objects.published(),
            memberships=lambda: Membership.objects.published().select_related("partner", "tier", "program"),
        )
        signals.connect()  # the program facet's counts (ProgramPartnerCount)
