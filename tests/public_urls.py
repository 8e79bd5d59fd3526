"""Every public URL of the site, found from the URL resolver, so the security
suites (fuzz, headers, backup round-trip) cover pages added later by
themselves.

- Patterns without parameters are reversed as they are (``/``, ``/programs/``,
  ``/timeline/``, ``/search/``, ``/api/`` ...).
- Patterns with parameters get sample values from a published record whose
  ``get_absolute_url()`` resolves to that pattern (every model with a
  permalink is scanned), else from ``SAMPLE_KWARGS`` below, else from
  generic guesses (``format`` -> ``json``, a ``pk``/``slug`` of any published
  record of a model named like the URL). A pattern still without sample
  values is reported by ``uncovered_patterns()`` (a test fails on it: add a
  line to ``SAMPLE_KWARGS``).
- The admin (``settings.ADMIN_URL``) and static/media URLs are not public.

Queries (``?export=csv``) are the fuzz suite's business: it adds them.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

#: view name -> kwargs (callable taking nothing, run with the database ready)
#: for patterns no permalink reaches. Add a line when a new page needs one.
SAMPLE_KWARGS = {
    "changes:vendor-feed": lambda: {"slug": "cisco"},
    "changes:program-feed": lambda: {"slug": "cpp"},
}

#: Namespaces that are not public pages.
PRIVATE_NAMESPACES = {"admin"}

#: Public views that answer with a redirect, not a page (the language switcher).
REDIRECTS = {"kb:set_language"}

#: Query parameters every list page is expected to understand (fuzzed too).
COMMON_QUERY_KEYS = ["q", "page", "sort", "o", "export", "p", "vendor", "program", "kind", "status", "focus_area"]


@dataclass
class PublicPattern:
    view_name: str
    route: str
    params: list = field(default_factory=list)
    callback: object = None


def _params(pattern):
    regex = pattern.pattern.regex
    return list(regex.groupindex)


def iter_patterns(resolver=None, namespace=None, prefix="", inherited=()):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = ":".join(filter(None, [namespace, ns])) if ns else namespace
            yield from iter_patterns(
                entry, full_ns, prefix + str(entry.pattern), (*inherited, *list(entry.pattern.regex.groupindex))
            )
        elif isinstance(entry, URLPattern):
            if not entry.name:
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield PublicPattern(name, prefix + str(entry.pattern), [*inherited, *_params(entry)], entry.callback)


def is_private(pattern):
    top = pattern.view_name.split(":", 1)[0]
    if top in PRIVATE_NAMESPACES:
        return True
    route = pattern.route.lstrip("^")
    admin = settings.ADMIN_URL
    return route.startswith(admin) or route.startswith(settings.STATIC_URL.lstrip("/")) or "__debug__" in route


def public_patterns():
    seen = {}
    for pattern in iter_patterns():
        if not is_private(pattern):
            seen.setdefault(pattern.view_name, pattern)
    return list(seen.values())


def permalinks():
    """One published record per model with a permalink: {view_name: url}."""
    found = {}
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        qs = model._default_manager.all()
        if hasattr(qs, "published"):
            qs = qs.published()
        for obj in qs.order_by("pk")[:3]:
            try:
                url = obj.get_absolute_url()
                match = resolve(url)
            except (NoReverseMatch, Resolver404, AttributeError):
                continue
            found.setdefault(match.view_name, url)
    return found


def all_permalinks(published_only=True):
    """Every record's permalink (published ones), for the backup round-trip."""
    urls = []
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        qs = model._default_manager.all()
        if published_only and hasattr(qs, "published"):
            qs = qs.published()
        for obj in qs.order_by("pk"):
            try:
                urls.append(obj.get_absolute_url())
            except (NoReverseMatch, AttributeError):
                continue
    return sorted(set(urls))


def _view_model(callback):
    """The model a view (Django generic view or DRF viewset) shows, if it says."""
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)  # DRF viewsets building their queryset per request
    if serializer is not None and hasattr(serializer, "Meta"):
        return serializer.Meta.model
    return getattr(view, "model", None)


def _guess_kwargs(pattern):
    """Fill ``format`` with json, and ``pk``/``slug``/``<field>``/``<fk>_slug``
    from a published record of the model the view shows."""
    model = _view_model(pattern.callback)
    obj = None
    if model is not None:
        qs = model._default_manager.all()
        if hasattr(qs, "published"):
            qs = qs.published()
        obj = qs.order_by("pk").first()
    kwargs = {}
    for name in pattern.params:
        if name == "format":
            kwargs[name] = "json"
        elif obj is None:
            return None
        elif name == "pk":
            kwargs[name] = obj.pk
        elif hasattr(obj, name) and not callable(getattr(obj, name)):
            kwargs[name] = getattr(obj, name)
        elif name.endswith("_slug") and hasattr(getattr(obj, name[: -len("_slug")], None), "slug"):
            kwargs[name] = getattr(obj, name[: -len("_slug")]).slug
        else:
            return None
    return kwargs


def public_urls():
    """(view_name, url) for every public pattern that has sample values."""
    links = permalinks()
    urls = []
    for pattern in public_patterns():
        if not pattern.params:
            try:
                urls.append((pattern.view_name, reverse(pattern.view_name)))
            except NoReverseMatch:
                pass
            continue
        if pattern.view_name in links:
            urls.append((pattern.view_name, links[pattern.view_name]))
            continue
        sample = SAMPLE_KWARGS.get(pattern.view_name)
        kwargs = sample() if callable(sample) else sample
        if kwargs is None:
            kwargs = _guess_kwargs(pattern)
        if kwargs is not None:
            try:
                urls.append((pattern.view_name, reverse(pattern.view_name, kwargs=kwargs)))
            except NoReverseMatch:
                pass
    return urls


def uncovered_patterns():
    covered = {name for name, _url in public_urls()}
    return [p for p in public_patterns() if p.view_name not in covered]


def list_urls():
    """Public URLs without parameters: home, lists, search, timeline..."""
    plain = {p.view_name for p in public_patterns() if not p.params and p.view_name not in REDIRECTS}
    return [url for name, url in public_urls() if name in plain]


# -- sample data ------------------------------------------------------------------

#: Every draft made by ``build_world`` carries this in its name and slug. The
#: fuzzers never generate it whole, so seeing it in a response means a draft
#: leaked (not that input was echoed).
DRAFT_MARK = "zqdraft-hidden"


def build_world(load=True):
    """The shipped knowledge (unless ``load`` is false: it is loaded
    already, as the session's ``public_world`` fixture has it), a published partner with a membership (so every
    kind of page has a record), and drafts of every publishable kind linked to
    published records (a draft program of Cisco, a draft event of a published
    program, a draft person with a quote, a draft partner holding a published
    tier, a draft source cited by a published program). Returns the drafts."""
    from knowledge.loader import load_knowledge
    from programs.models import Program, ProgramEvent, Tier
    from vendors.models import Person, Vendor

    from .factories import (
        MembershipFactory,
        PartnerFactory,
        PersonFactory,
        ProgramEventFactory,
        ProgramFactory,
        QuoteFactory,
        SourceFactory,
        TierFactory,
        VendorFactory,
    )

    if load:
        load_knowledge()
    cisco = Vendor.objects.published().order_by("pk").first()
    program = Program.objects.published().order_by("pk").first()
    tier = Tier.objects.filter(program__is_published=True).order_by("pk").first()
    partner = PartnerFactory(name="Fuzz Partner", slug="fuzz-partner")
    MembershipFactory(partner=partner, tier=tier)

    mark = DRAFT_MARK
    drafts = {}
    drafts["vendor"] = VendorFactory(name=f"{mark} vendor", slug=f"{mark}-vendor", is_published=False)
    drafts["program"] = ProgramFactory(
        name=f"{mark} program", slug=f"{mark}-program", is_published=False, vendors=[cisco]
    )
    TierFactory(program=drafts["program"], name=f"{mark} tier", slug=f"{mark}-tier")
    drafts["event"] = ProgramEventFactory(
        title=f"{mark} event", slug=f"{mark}-event", program=program, is_published=False
    )
    drafts["person"] = PersonFactory(name=f"{mark} person", slug=f"{mark}-person", employer=cisco, is_published=False)
    QuoteFactory(person=drafts["person"], text=f"{mark} quote", vendor=cisco)
    drafts["partner"] = PartnerFactory(name=f"{mark} partner", slug=f"{mark}-partner", is_published=False)
    MembershipFactory(partner=drafts["partner"], tier=tier)
    drafts["source"] = SourceFactory(title=f"{mark} source", slug=f"{mark}-source", is_published=False)
    program.sources.add(drafts["source"])
    tier.sources.add(drafts["source"])
    for model in (ProgramEvent, Vendor, Person):
        for obj in model.objects.published():
            if hasattr(obj, "sources"):
                obj.sources.add(drafts["source"])
    return drafts
