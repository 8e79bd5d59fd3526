"""HTTP caching and cached fragments, both keyed by *knowledge stamps*.

A knowledge stamp is a database row (``kb.KnowledgeStamp``) whose ``version``
goes up, and whose ``changed_at`` moves forward by at least a second, when
knowledge changes. There is one row per knowledge model (its *tag*, the
model's label, e.g. ``partners.partner``) and one global row (tag ``*``)
that moves with every change:

- ``post_save`` of a knowledge model (the ones the apps register,
  ``kb.registry``) bumps its model's tag (and the global row); a change of
  ``is_published`` and every ``post_delete`` bump every tag (what is shown,
  or counted, elsewhere may change); ``m2m_changed`` bumps both sides'
  models (connected in ``KbConfig.ready()``);
- bulk loads that bypass signals (``load_knowledge``, ``generate_demo_data``,
  ``QuerySet.update``/``bulk_create`` in your own code) must call
  :func:`bump` themselves (with no tags: every page).

A public view says which kinds of record it shows with ``cache_depends_on``
(model labels, or app labels for every model of the app); a page without it
depends on the global row, so it is never stale. The stamps live in the
database, not in a per-process cache, so every gunicorn worker sees a staff
save at once.

Users of the stamps:

- :class:`ConditionalGetMiddleware` gives anonymous GET/HEAD answers of public
  pages a weak ``ETag`` (the page's stamps + host + path + query + language)
  and a ``Last-Modified`` (the latest of the page's stamps), answers ``304 Not
  Modified`` to a matching ``If-None-Match`` / ``If-Modified-Since`` *before
  the view runs*, and keeps the whole answer server-side (bounded: see
  ``store``). Admin pages, logged-in users, responses that set cookies and
  non-200 answers are never given validators.
- :func:`cached` keys cached fragments and aggregates (facet counts, list
  totals) by the request's stamps, so a staff save that changes what the page
  shows invalidates them without any explicit purge.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.generic.detail import SingleObjectMixin

from .registry import registry

GLOBAL_TAG = "*"
_NOT_CANONICAL_ATTR = "_kb_not_canonical"
_REQUEST_ATTR = "_kb_knowledge_stamp"
# The stamp of the request being served (set by the middleware): fragments
# cached during a request use the stamp its ETag was computed from, read once.
_request_stamp: contextvars.ContextVar = contextvars.ContextVar("kb_request_stamp", default=None)


class Stamp:
    """The knowledge stamp as read at one moment."""

    __slots__ = ("version", "changed_at", "_token")

    def __init__(self, version: int, changed_at: dt.datetime, token: str | None = None):
        self.version = version
        self.changed_at = changed_at
        self._token = token

    def __repr__(self):
        return f"<Stamp v{self.version} {self.changed_at:%Y-%m-%d %H:%M:%S}>"

    @property
    def timestamp(self) -> int:
        return int(self.changed_at.timestamp())

    @property
    def token(self) -> str:
        """Version and time: unique even if a restored database rewinds the version."""
        return self._token or f"{self.version}.{self.timestamp}"

    @classmethod
    def combine(cls, rows) -> Stamp:
        """The stamp of a page that shows several kinds of record: changes
        when any of them changes; its time is the latest."""
        rows = sorted(rows)
        if not rows:
            return cls(0, _EPOCH)
        raw = ";".join(f"{tag}:{version}.{int(changed.timestamp())}" for tag, version, changed in rows)
        digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]
        return cls(max(r[1] for r in rows), max(r[2] for r in rows), f"t{digest}")


_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def current(tags=None) -> Stamp:
    """Read the global stamp, or (``tags``) the combined stamp of those kinds
    of record: one query."""
    from kb.models import KnowledgeStamp

    if not tags:
        row = KnowledgeStamp.objects.filter(tag=GLOBAL_TAG).values_list("version", "changed_at").first()
        if row is None:
            return Stamp(0, _EPOCH)
        return Stamp(*row)
    tags = sorted(set(tags))
    found = {
        t: (t, v, c)
        for t, v, c in KnowledgeStamp.objects.filter(tag__in=tags).values_list("tag", "version", "changed_at")
    }
    return Stamp.combine(found.get(t, (t, 0, _EPOCH)) for t in tags)


def model_tag(model) -> str:
    return model._meta.label_lower


def expand_tags(names) -> list[str]:
    """``("programs", "partners.membership")`` -> the model tags: an app label
    stands for every knowledge model the app registered (``kb.registry``)."""
    tags = set()
    for name in names:
        if "." in name:
            tags.add(name.lower())
        else:
            tags.update(model_tag(m) for m in registry.knowledge_models if m._meta.app_label == name)
    return sorted(tags)


def all_tags() -> list[str]:
    """The tag of every registered knowledge model."""
    return sorted(model_tag(m) for m in registry.knowledge_models)


def bump(after: Stamp | None = None, tags=None) -> Stamp:
    """Record that knowledge changed: the global row and the rows of
    ``tags`` (default: every knowledge model) go to version + 1, and their
    ``changed_at`` to now and at least one whole second past the global
    row's previous value (the latest of all, so ``Last-Modified``, which has
    a one-second resolution, moves for every page that shows a changed kind
    of record). Runs inside the caller's transaction, if any: the new stamp
    is visible to other requests exactly when the change itself is. The
    global row is locked first, so bumps are serialised.

    ``after``: a stamp the new one must also pass (a restore brings back older
    stamp rows; the new stamps must move past the ones before the restore)."""
    from kb.models import KnowledgeStamp

    wanted = sorted(set(all_tags() if tags is None else tags) - {GLOBAL_TAG})
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        glob = KnowledgeStamp.objects.select_for_update().filter(tag=GLOBAL_TAG).first()
        if glob is None:
            glob = KnowledgeStamp(tag=GLOBAL_TAG, version=0, changed_at=_EPOCH)
        floor, version_floor = glob.changed_at, glob.version
        if after is not None:
            floor, version_floor = max(floor, after.changed_at), max(version_floor, after.version)
        changed_at = max(now, floor.replace(microsecond=0) + dt.timedelta(seconds=1))
        glob.version = version_floor + 1
        glob.changed_at = changed_at
        glob.save()
        rows = {r.tag: r for r in KnowledgeStamp.objects.select_for_update().filter(tag__in=wanted)}
        for tag in wanted:
            row = rows.get(tag)
            if row is None:
                KnowledgeStamp.objects.create(tag=tag, version=glob.version, changed_at=changed_at)
            else:
                # Past the global version: a restored (older) row still moves forward.
                row.version = max(row.version, version_floor) + 1
                row.changed_at = changed_at
                row.save(update_fields=["version", "changed_at"])
    return Stamp(glob.version, glob.changed_at)


def for_request(request) -> Stamp:
    """The stamp of the page being served, read once per request (before the
    view runs): the combined stamp of the kinds of record the view shows."""
    stamp = getattr(request, _REQUEST_ATTR, None)
    if stamp is None:
        page = page_info(request)
        stamp = current(page.tags)
        setattr(request, _REQUEST_ATTR, stamp)
    return stamp


class PageInfo:
    """What the response cache knows of an address before its view runs:
    ``tags`` (the kinds of record it shows; None: any) and ``params`` (the
    query parameters it reads; None: unknown, so only the bare address is
    kept server-side)."""

    __slots__ = ("tags", "params")

    def __init__(self, tags=None, params=None):
        self.tags, self.params = tags, params


_page_infos: dict = {}


def page_info(request) -> PageInfo:
    info = getattr(request, "_kb_page_info", None)
    if info is not None:
        return info
    from django.urls import Resolver404, resolve

    try:
        match = resolve(request.path_info)
    except Resolver404:
        info = PageInfo()
    else:
        view = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
        info = _page_infos.get(view) if view is not None else None
        if info is None:
            info = PageInfo()
            if view is not None:
                depends = getattr(view, "cache_depends_on", None)
                info.tags = expand_tags(depends) if depends else None
                params = getattr(view, "cache_query_params", None)
                if callable(params):
                    params = params()
                elif params is None and issubclass(view, SingleObjectMixin):
                    params = ()  # a record's page reads no query parameter
                info.params = None if params is None else frozenset(params)
                _page_infos[view] = info
    request._kb_page_info = info
    return info


# -- signals --------------------------------------------------------------------


#: Sent after a bulk change that bypassed the model signals (load_knowledge,
#: generate_demo_data, restore): apps rebuild what they derive from the data.
knowledge_reloaded = Signal()


def bulk_changed(after: Stamp | None = None) -> Stamp:
    """After a bulk load: every page's stamp moves, derived data is rebuilt."""
    stamp = bump(after=after)
    knowledge_reloaded.send(sender=None)
    return stamp


def is_knowledge_model(model) -> bool:
    # Derived tables (partners.ProgramPartnerCount, maintained from other
    # rows whose own saves bump) and history tables are not registered.
    return registry.is_knowledge_model(model)


def _on_save(sender, instance, raw=False, created=False, **kwargs):
    if raw or not is_knowledge_model(sender):  # loaddata: the command's caller bumps once
        return
    loaded = getattr(instance, "_kb_loaded_published", None)
    published = getattr(instance, "is_published", None)
    if not created and loaded is not None and loaded != published:
        bump()  # published or withdrawn: it appears or disappears (and is counted) elsewhere
    else:
        bump(tags=[model_tag(sender)])
    if published is not None:
        instance._kb_loaded_published = published


def _on_delete(sender, **kwargs):
    if is_knowledge_model(sender):
        bump()  # what pointed at it, or counted it, changes too


def _on_m2m_change(sender, instance, action, model=None, **kwargs):
    if action.startswith("post_") and is_knowledge_model(type(instance)):
        tags = {model_tag(type(instance))}
        if model is not None and is_knowledge_model(model):
            tags.add(model_tag(model))
        bump(tags=tags)


def connect_signals():
    """Connected in ``KbConfig.ready()``, for every sender: the receivers
    check the model against the registry themselves, so models of apps
    loaded later are covered too."""
    post_save.connect(_on_save, dispatch_uid="kb-stamp-save")
    post_delete.connect(_on_delete, dispatch_uid="kb-stamp-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="kb-stamp-m2m")


# -- fragments and aggregates ----------------------------------------------------


def cache_key(*parts) -> str:
    """A cache key for ``parts`` under the current knowledge version (the
    request's stamp when serving a request, else read now)."""
    raw = "|".join(str(p) for p in parts)
    digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:20]
    stamp = _request_stamp.get() or current()
    return f"kb:{stamp.token}:{digest}"


def cached(parts, compute, timeout=None):
    """``compute()`` cached under ``parts`` and the knowledge version: a staff
    save changes the version, so the next call computes afresh. Only for
    values that do not depend on who asks (public, published data)."""
    timeout = settings.KB_FRAGMENT_CACHE_SECONDS if timeout is None else timeout
    parts = parts if isinstance(parts, list | tuple) else (parts,)
    return cache.get_or_set(cache_key(*parts), compute, timeout)


def canonical_query(querydict, drop=()) -> tuple:
    """The query parameters as a sorted, hashable tuple (for cache keys), less
    the ones in ``drop`` (``page``, ``export``) and empty values."""
    return tuple(
        (key, tuple(sorted(v for v in querydict.getlist(key) if v)))
        for key in sorted(querydict)
        if key not in drop and any(querydict.getlist(key))
    )


class StampCachedFacetsMixin:
    """For list views with a ``facet_data()`` method (facet counts: one
    aggregate query per facet over every matching row, the costliest part of
    a filtered list): ``cached_facet_data()`` is its result cached under the
    knowledge version, the view, the filter parameters (not ``page``/``sort``)
    and the language. Call ``self.cached_facet_data()`` where the view used
    ``self.facet_data()``."""

    facet_cache_ignored_params = ("page", "sort", "export")

    def cached_facet_data(self):
        if getattr(self.request, _NOT_CANONICAL_ATTR, False):
            return self.facet_data()  # invalid filters: computed, not kept
        query = self.request.GET
        known = getattr(self, "cache_query_params", None)
        if callable(known):  # only the parameters the view reads: junk makes no new entry
            known = known()
            query = query.copy()
            for name in [k for k in query if k not in known]:
                del query[name]
        key = (
            "facets",
            f"{type(self).__module__}.{type(self).__qualname__}",
            canonical_query(query, drop=self.facet_cache_ignored_params),
            translation.get_language(),
        )
        return cached(key, self.facet_data)


class StampCachedCountPaginator(Paginator):
    """A paginator whose ``count`` (a ``COUNT(*)`` over the filtered rows, the
    most expensive query of a deep list page) is cached under the knowledge
    version and the query's SQL: the same filters cost one count per staff
    save, not one per request. Use it for public, published-only lists::

        class ProgramListView(ListView):
            paginator_class = StampCachedCountPaginator
    """

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        try:
            sql, params = query.sql_with_params()
        except Exception:  # EmptyResultSet and friends: let Django count
            return super().count
        uncached = Paginator.count.func  # the cached_property's function
        return cached(("count", query.model._meta.label_lower, sql, repr(params)), lambda: uncached(self))


# -- conditional GET ---------------------------------------------------------------


def mark_not_canonical(request):
    """The view's answer is not the canonical page of its address (invalid
    filters, a page number out of range): it is not kept server-side."""
    setattr(request, _NOT_CANONICAL_ATTR, True)


def _excluded_prefixes():
    from django.urls import NoReverseMatch, reverse

    prefixes = list(getattr(settings, "KB_HTTP_CACHE_EXCLUDE", ()))
    try:
        prefixes.append(reverse("admin:index"))
    except NoReverseMatch:
        pass
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url:
            prefixes.append("/" + url.lstrip("/") if not url.startswith(("http:", "https:")) else url)
    return tuple(p for p in prefixes if p and p != "/")


# Media types a page may be negotiated into (the API's passages also answer
# as W3C Web Annotations): each is its own variant, with its own ETag and
# server-side copy; any other Accept header gets the default answer.
NEGOTIATED_TYPES = ("application/ld+json",)


def accept_variant(request) -> str:
    accept = request.META.get("HTTP_ACCEPT", "")
    return next((media for media in NEGOTIATED_TYPES if media in accept), "")


def compute_etag(request, stamp: Stamp, language: str) -> str:
    parts = [
        stamp.token,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        language or "",
        "anon",
        accept_variant(request),
    ]
    digest = hashlib.sha1("\n".join(parts).encode(), usedforsecurity=False).hexdigest()[:24]
    return f'W/"kb-{digest}"'


class ConditionalGetMiddleware:
    """ETag / Last-Modified / 304 for anonymous GETs of public pages.

    Place it **first** in ``MIDDLEWARE``: on the way out it then sees every
    cookie the other middlewares set (session, CSRF, messages) and leaves
    those responses alone; on the way in it answers 304 before any other
    work. The early 304 is only given to requests without a session cookie
    (so certainly anonymous); a request carrying one is still checked after
    the view ran (bandwidth is saved, not work).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._excluded = None

    @property
    def excluded(self):
        if self._excluded is None:  # URLconf is not importable at __init__ time
            self._excluded = _excluded_prefixes()
        return self._excluded

    def eligible_request(self, request) -> bool:
        if request.method not in ("GET", "HEAD"):
            return False
        if not getattr(settings, "KB_HTTP_CACHE", True):
            return False
        path = request.path_info
        return not any(path.startswith(p) for p in self.excluded)

    def __call__(self, request):
        if not self.eligible_request(request):  # writes, admin, static: untouched
            return self.get_response(request)
        token = _request_stamp.set(for_request(request))
        try:
            return self.conditional(request)
        finally:
            _request_stamp.reset(token)

    def conditional(self, request):
        try:
            request.get_host()  # ALLOWED_HOSTS is checked before any 304
        except Exception:
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        stamp = for_request(request)  # read *before* the view reads any data
        etag = compute_etag(request, stamp, language)
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        key = None
        if anonymous:
            not_modified = get_conditional_response(request, etag=etag, last_modified=stamp.timestamp)
            if not_modified is not None:
                self.decorate(not_modified, etag, stamp)
                return not_modified
            key = self.storage_key(request, stamp, language)
            stored = self.stored(key)
            if stored is not None:  # another visitor's identical page, same stamp: no view, no template
                self.decorate(stored, etag, stamp)
                return stored
        response = self.get_response(request)
        if not self.eligible_response(request, response):
            return response
        self.decorate(response, etag, stamp)
        if anonymous:
            self.store(request, key, response)
        return get_conditional_response(request, etag=etag, last_modified=stamp.timestamp, response=response)

    # Server-side copy of eligible responses, keyed by the page's stamps,
    # host, path, language and the query parameters the view reads (so junk
    # parameters make no new entry: the canonical page is served). Bounded:
    # answers over KB_CACHE_MAX_ENTRY_BYTES (exports, huge pages) and streamed
    # ones are not kept, nor answers to addresses that are not canonical
    # (unknown parameters, invalid filters, an out-of-range page: the view
    # calls mark_not_canonical). A save changes the stamps, so a stale copy
    # is never served. KB_FRAGMENT_CACHE_SECONDS=0 turns it off.
    KEPT_HEADERS = ("Content-Language", "Content-Disposition")

    @staticmethod
    def storage_key(request, stamp, language):
        """The page cache's key: what the ETag holds, with only the query
        parameters the view reads (in a canonical order)."""
        info = page_info(request)
        query = request.GET
        if info.params is None:
            canonical = query.urlencode()  # unknown parameters: the exact address (stored only when bare)
        else:
            canonical = tuple((k, tuple(query.getlist(k))) for k in sorted(query) if k in info.params)
        parts = [stamp.token, request.get_host(), request.path, repr(canonical), language or ""]
        parts.append(accept_variant(request))  # JSON and JSON-LD of one address are two answers
        raw = "\n".join(parts)
        digest = hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:24]
        return "kb:response:" + digest

    @staticmethod
    def storable(request) -> bool:
        if getattr(request, _NOT_CANONICAL_ATTR, False):
            return False
        info = page_info(request)
        if info.params is None:
            return not request.META.get("QUERY_STRING")
        return all(k in info.params for k in request.GET)

    def stored(self, key):
        if not settings.KB_FRAGMENT_CACHE_SECONDS:
            return None
        data = cache.get(key)
        if data is None:
            return None
        response = HttpResponse(data["content"], content_type=data["content_type"])
        for name, value in data["headers"]:
            response[name] = value
        return response

    def store(self, request, key, response):
        if not settings.KB_FRAGMENT_CACHE_SECONDS or response.streaming or not self.storable(request):
            return
        if len(response.content) > settings.KB_CACHE_MAX_ENTRY_BYTES:
            return
        data = {
            "content": response.content,
            "content_type": response["Content-Type"],
            "headers": [(h, response[h]) for h in self.KEPT_HEADERS if response.has_header(h)],
        }
        cache.set(key, data, settings.KB_FRAGMENT_CACHE_SECONDS)

    def eligible_response(self, request, response) -> bool:
        if response.status_code != 200 or response.has_header("ETag") or response.has_header("Last-Modified"):
            return False
        if response.cookies:  # session, CSRF token, messages: personal
            return False
        if "private" in response.get("Cache-Control", "") or "no-store" in response.get("Cache-Control", ""):
            return False
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return False
        match = getattr(request, "resolver_match", None)
        if match is not None and match.app_name == "admin":
            return False
        return True

    @staticmethod
    def decorate(response, etag, stamp):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(stamp.timestamp)
        # Store, but ask the server every time: a staff save shows at once.
        patch_cache_control(response, no_cache=True)
        patch_vary_headers(response, ("Cookie", "Accept-Language", "Accept"))
