from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Vendors and people")

    def ready(self):
        from kb.registry import LoaderSection, registry

        from . import changes, search
        from .models import Person, Vendor, VendorRelation

        registry.register_knowledge_models(Vendor, Person, VendorRelation)
        registry.register_page(Vendor)
        registry.register_page(Person)
        search.register_kinds()
        registry.register_change_kinds(*changes.change_kinds())
        registry.register_loader_section(
            LoaderSection("vendors", Vendor, m2m=("sources",)),
            LoaderSection("people", Person, fks=("employer",), m2m=("sources",)),
            LoaderSection(
                "relations",
                VendorRelation,
                key=("vendor", "other_vendor", "kind"),
                fks=("vendor", "other_vendor"),
                m2m=("sources",),
            ),
        )
        registry.register_citing(
            vendors=lambda: Vendor.objects.published(),
            people=lambda: Person.objects.published().select_related("employer"),
            vendor_relations=lambda: VendorRelation.objects.published().select_related("vendor", "other_vendor"),
        )
