"""What each app contributes to the whole, registered from its
``AppConfig.ready()`` (NetBox's registry pattern), so that no module outside
an app keeps a list of that app's models:

- **knowledge models**: the records staff edit and the public reads. The
  knowledge stamp (``kb.caching``) moves when one of them changes, and the
  Editors group (``knowledge.roles``) may add, change and view them;
- **staff models**: working records staff use that are not knowledge
  themselves (an ingested document's review state): the Editors group gets
  the same rights on them, but saving one moves no knowledge stamp, and they
  have no loader section nor public page;
- (search kinds are registered with ``kb.search.register``, beside the
  search machinery: what ``/search/`` looks in and how it is indexed);
- **record pages**: the models with a public page of their own
  (``get_absolute_url`` without a ``#``), listed in ``/sitemap.xml``
  (``kb.sitemaps``) with the queryset of their published records;
- **loader sections** (``LoaderSection``): how a section of
  ``knowledge/data/knowledge.yaml`` maps onto a model (``knowledge.loader``);
- **change-log kinds** (``kb.changes.ChangeKind``): how ``/changes/``
  (portal/changes.py) reads each knowledge model's history, declared in the
  app's ``changes.py``;
- **citing records**: the records that cite a source, by their reverse
  accessor on ``Source`` (``source.programs``), with the published queryset
  its page lists them from: the sources app sits below the others and never
  imports them.

An app's ``apps.py``::

    def ready(self):
        from kb import registry
        from . import changes, search
        from .models import Source, Quote

        registry.register_knowledge_models(Source, Quote)
        search.register_kinds()
        registry.register_loader_section(registry.LoaderSection("sources", Source))
        registry.register_change_kinds(*changes.change_kinds())

Registrations are read after app loading, never at import time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EDITOR_ACTIONS = ("add", "change", "view")


@dataclass
class LoaderSection:
    """How one section of a knowledge data file maps onto a model.

    ``fks`` and ``m2m`` name the fields given by slug (the related model is
    read from the field); ``children`` maps a nested list to the section that
    loads it (a program's ``tiers``); ``nested_only`` sections also load at
    the top level. Sections load in an order where every section comes after
    the ones its ``fks`` and ``m2m`` point to (a tie keeps the registration
    order)."""

    name: str
    model: type
    key: tuple[str, ...] = ("slug",)
    fks: tuple[str, ...] = ()
    m2m: tuple[str, ...] = ()
    children: dict[str, str] = field(default_factory=dict)

    def related_model(self, name):
        return self.model._meta.get_field(name).related_model


class Registry:
    def __init__(self):
        self.knowledge_models: list[type] = []
        self.staff_models: list[type] = []
        self.editor_permissions: list[tuple[str, str]] = []  # (app label, codename)
        self._sections: dict[str, LoaderSection] = {}
        self.citing: dict[str, object] = {}  # accessor on Source -> callable returning a queryset
        self.pages: dict[type, object] = {}  # model -> callable returning its published records
        self._change_kinds: dict[str, object] = {}  # key -> kb.changes.ChangeKind

    # -- knowledge models -------------------------------------------------------

    def register_knowledge_models(self, *models, editor_actions=EDITOR_ACTIONS):
        for model in models:
            if model in self.knowledge_models:
                continue
            self.knowledge_models.append(model)
            opts = model._meta
            self.editor_permissions += [(opts.app_label, f"{action}_{opts.model_name}") for action in editor_actions]

    def register_staff_models(self, *models, editor_actions=EDITOR_ACTIONS):
        """Models the Editors work with that are not knowledge (see above)."""
        for model in models:
            if model in self.staff_models or model in self.knowledge_models:
                continue
            self.staff_models.append(model)
            opts = model._meta
            self.editor_permissions += [(opts.app_label, f"{action}_{opts.model_name}") for action in editor_actions]

    def is_knowledge_model(self, model) -> bool:
        # django-simple-history's Historical<Model> is not registered: it
        # changes together with its record, whose own signal already counts.
        return model in self.knowledge_models

    # -- record pages ---------------------------------------------------------------

    def register_page(self, model, queryset=None):
        """``model``'s records each have a public page; ``queryset()`` gives
        the published ones with what their addresses need (default:
        ``model.objects.published()``)."""
        self.pages[model] = queryset or (lambda: model._default_manager.published())

    # -- records citing a source ---------------------------------------------------

    def register_citing(self, **querysets):
        """``register_citing(programs=lambda: Program.objects.published())``."""
        self.citing.update(querysets)

    # -- change-log kinds ---------------------------------------------------------

    def register_change_kinds(self, *kinds):
        """``kb.changes.ChangeKind`` instances, one per knowledge model whose
        history the change log shows."""
        for kind in kinds:
            self._change_kinds[kind.key] = kind

    @property
    def change_kinds(self) -> list:
        """The change-log kinds in the page's order (``ChangeKind.order``)."""
        return sorted(self._change_kinds.values(), key=lambda k: (k.order, k.key))

    def change_kind(self, key):
        return self._change_kinds[key]

    # -- loader sections -----------------------------------------------------

    def register_loader_section(self, *sections):
        for section in sections:
            self._sections[section.name] = section

    @property
    def loader_sections(self) -> dict[str, LoaderSection]:
        """The sections in loading order (see ``LoaderSection``)."""
        pending = dict(self._sections)
        by_model = {}
        for section in pending.values():
            by_model.setdefault(section.model, section.name)
        ordered: dict[str, LoaderSection] = {}
        while pending:
            for name, section in pending.items():
                needs = {by_model.get(section.related_model(f)) for f in (*section.fks, *section.m2m)}
                needs -= {None, name}
                if needs <= set(ordered):
                    ordered[name] = pending.pop(name)
                    break
            else:
                raise ValueError(f"loader sections refer to each other in a circle: {', '.join(pending)}")
        return ordered


registry = Registry()

register_knowledge_models = registry.register_knowledge_models
register_staff_models = registry.register_staff_models
register_loader_section = registry.register_loader_section
register_citing = registry.register_citing
register_page = registry.register_page
register_change_kinds = registry.register_change_kinds
