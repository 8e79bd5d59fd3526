"""What the apps register from their AppConfig.ready() (kb.registry) is what
the caching, the Editors' rights, the search, the loader and the change log
(/changes/) use: here it is
compared with the models themselves, so a new knowledge model that is not
registered (and so would not refresh cached pages, nor be editable by
Editors, nor loadable) fails."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from kb import search
from kb.registry import LoaderSection, Registry, registry
from knowledge.loader import sections
from knowledge.roles import EDITORS_GROUP

DOMAIN_APPS = ("sources", "vendors", "programs", "partners")


def concrete_knowledge_models():
    """Every concrete model of the domain apps, less django-simple-history's
    Historical<Model> copies (they change with their record) and derived
    tables (``kb_derived``: partners.ProgramPartnerCount, maintained from
    other rows)."""
    return {
        model
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.abstract and not hasattr(model, "instance_type") and not getattr(model, "kb_derived", False)
    }


def test_registry_holds_every_concrete_knowledge_model_and_nothing_else():
    assert set(registry.knowledge_models) == concrete_knowledge_models()
    assert len(registry.knowledge_models) == len(set(registry.knowledge_models))


def test_every_knowledge_model_has_a_loader_section():
    """Passages are loaded inside the records they support (``evidence:``)."""
    from sources.models import Passage

    assert {section.model for section in sections().values()} == concrete_knowledge_models() - {Passage}


def test_every_knowledge_model_has_a_change_log_kind():
    """Passages are the evidence of a record, shown with it, not records of
    the change log."""
    from sources.models import Passage

    kinds = registry.change_kinds
    assert {kind.model for kind in kinds} == concrete_knowledge_models() - {Passage}
    assert len({kind.key for kind in kinds}) == len({kind.model for kind in kinds}) == len(kinds)
    for kind in kinds:
        for name in (*kind.fields, *kind.m2m_fields):
            kind.model._meta.get_field(name)  # a real field of the model
    assert [kind.key for kind in kinds] == [
        "vendor",
        "person",
        "vendorrelation",
        "program",
        "tier",
        "benefit",
        "focusarea",
        "programevent",
        "partner",
        "membership",
        "source",
        "quote",
    ]


def test_sections_load_after_the_ones_they_refer_to():
    order = list(sections())
    by_model = {section.model: name for name, section in sections().items()}
    for name, section in sections().items():
        for field in (*section.fks, *section.m2m):
            target = by_model[section.related_model(field)]
            assert target == name or order.index(target) < order.index(name), (name, field)


def test_sections_in_a_circle_are_refused():
    from programs.models import Program, Tier

    local = Registry()
    local.register_loader_section(
        LoaderSection("tiers", Tier, fks=("program",)), LoaderSection("programs", Program, m2m=("tiers",))
    )
    with pytest.raises(ValueError, match="circle"):
        local.loader_sections  # noqa: B018


def staff_models():
    """The concrete models of the knowledge app (ingestion's review state):
    the Editors work with them, but they are not knowledge records."""
    return {model for model in apps.get_app_config("knowledge").get_models() if not model._meta.abstract}


def test_registry_holds_the_staff_models_apart_from_the_knowledge_models():
    assert set(registry.staff_models) == staff_models()
    assert not set(registry.staff_models) & set(registry.knowledge_models)
    assert not any(registry.is_knowledge_model(model) for model in staff_models())


@pytest.mark.django_db
def test_editors_may_add_change_and_view_every_knowledge_model_but_delete_none():
    perms = set(Group.objects.get(name=EDITORS_GROUP).permissions.values_list("content_type__app_label", "codename"))
    expected = {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for model in concrete_knowledge_models() | staff_models()
        for action in ("add", "change", "view")
    }
    assert perms == expected


def test_every_search_kind_searches_a_knowledge_model_in_page_order():
    kinds = search.kinds()
    assert {kind.model for kind in kinds} <= concrete_knowledge_models()
    assert [kind.key for kind in kinds] == [
        "programs",
        "tiers",
        "benefits",
        "vendors",
        "focus_areas",
        "people",
        "events",
        "quotes",
        "partners",
        "passages",
        "sources",
        "relations",
    ]
