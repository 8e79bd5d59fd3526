"""HTTP caching and cached fragments, both keyed by the *knowledge stamp*.

The knowledge stamp is one database row (``kb.KnowledgeStamp``) whose
``version`` goes up, and whose ``changed_at`` moves forward by at least a
second, every time any knowledge record changes:

- ``post_save`` / ``post_delete`` / ``m2m_changed`` of every knowledge model
  (the ones the apps register, ``kb.registry``) call :func:`bump`
  (connected in ``KbConfig.ready()``);
- bulk loads that bypass signals (``load_knowledge``, ``generate_demo_data``,
  ``QuerySet.update``/``bulk_create`` in your own code) must call
  :func:`bump` themselves.

The stamp lives in the database, not in a per-process cache, so every
gunicorn worker sees a staff save at once.

Two users of the stamp:

- :class:`ConditionalGetMiddleware` gives anonymous GET/HEAD answers of public
  pages a weak ``ETag`` (stamp + host + path + query + language) and a
  ``Last-Modified`` (the stamp's time), and answers ``304 Not Modified`` to a
  matching ``If-None-Match`` / ``If-Modified-Since`` *before the view runs*.
  Admin pages, logged-in users, responses that set cookies and non-200
  answers are never given validators.
- :func:`cached` keys cached fragments and aggregates (facet counts, home-page counts) by the stamp, so a
  staff save invalidates them without any explicit purge.
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
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .registry import registry

STAMP_PK = 1
_REQUEST_ATTR = "_kb_knowledge_stamp"
# The stamp of the request being served (set by the middleware): fragments
# cached during a request use the stamp its ETag was computed from, read once.
_request_stamp: contextvars.ContextVar = contextvars.ContextVar("kb_request_stamp", default=None)


class Stamp:
    """The knowledge stamp as read at one moment."""

    __slots__ = ("version", "changed_at")

    def __init__(self, version: int, changed_at: dt.datetime):
        self.version = version
        self.changed_at = changed_at

    def __repr__(self):
        return f"<Stamp v{self.version} {self.changed_at:%Y-%m-%d %H:%M:%S}>"

    @property
    def timestamp(self) -> int:
        return int(self.changed_at.timestamp())

    @property
    def token(self) -> str:
        """Version and time: unique even if a restored database rewinds the version."""
        return f"{self.version}.{self.timestamp}"


_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def current() -> Stamp:
    """Read the stamp (one primary-key query)."""
    from kb.models import KnowledgeStamp

    row = KnowledgeStamp.objects.filter(pk=STAMP_PK).values_list("version", "changed_at").first()
    if row is None:
        return Stamp(0, _EPOCH)
    return Stamp(*row)


def bump(after: Stamp | None = None) -> Stamp:
    """Record that the knowledge changed: version + 1, ``changed_at`` moved
    to now and at least one whole second past its previous value (so that
    ``Last-Modified``, which has a one-second resolution, differs for every
    version). Runs inside the caller's transaction, if any: the new stamp is
    visible to other requests exactly when the change itself is.

    ``after``: a stamp the new one must also pass (a restore brings back an
    older stamp row; the new stamp must move past the one before the restore)."""
    from kb.models import KnowledgeStamp

    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        row = KnowledgeStamp.objects.select_for_update().filter(pk=STAMP_PK).first()
        if row is None:
            row = KnowledgeStamp(pk=STAMP_PK, version=0, changed_at=_EPOCH)
        floor = row.changed_at
        if after is not None:
            row.version = max(row.version, after.version)
            floor = max(floor, after.changed_at)
        row.version += 1
        row.changed_at = max(now, floor.replace(microsecond=0) + dt.timedelta(seconds=1))
        row.save()
    return Stamp(row.version, row.changed_at)


def for_request(request) -> Stamp:
    """The stamp read once per request (before the view runs)."""
    stamp = getattr(request, _REQUEST_ATTR, None)
    if stamp is None:
        stamp = current()
        setattr(request, _REQUEST_ATTR, stamp)
    return stamp


# -- signals --------------------------------------------------------------------


def is_knowledge_model(model) -> bool:
    return registry.is_knowledge_model(model)


def _on_change(sender, **kwargs):
    if kwargs.get("raw"):  # loaddata: fixtures bump once via the command's caller
        return
    bump()


def _on_m2m_change(sender, instance, action, **kwargs):
    if action.startswith("post_") and is_knowledge_model(type(instance)):
        bump()


def _on_any_change(sender, **kwargs):
    if is_knowledge_model(sender):
        _on_change(sender, **kwargs)


def connect_signals():
    """Connected in ``KbConfig.ready()``, for every sender: the receivers
    check the model against the registry themselves, so models of apps
    loaded later are covered too."""
    post_save.connect(_on_any_change, dispatch_uid="kb-stamp-save")
    post_delete.connect(_on_any_change, dispatch_uid="kb-stamp-delete")
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
        key = (
            "facets",
            f"{type(self).__module__}.{type(self).__qualname__}",
            canonical_query(self.request.GET, drop=self.facet_cache_ignored_params),
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
        if anonymous:
            not_modified = get_conditional_response(request, etag=etag, last_modified=stamp.timestamp)
            if not_modified is not None:
                self.decorate(not_modified, etag, stamp)
                return not_modified
            stored = self.stored(etag)
            if stored is not None:  # another visitor's identical page, same stamp: no view, no template
                self.decorate(stored, etag, stamp)
                return stored
        response = self.get_response(request)
        if not self.eligible_response(request, response):
            return response
        self.decorate(response, etag, stamp)
        if anonymous:
            self.store(etag, response)
        return get_conditional_response(request, etag=etag, last_modified=stamp.timestamp, response=response)

    # Server-side copy of eligible responses, keyed by the ETag (stamp, host,
    # path, query, language): a staff save changes the stamp, so a stale copy
    # is never served. KB_FRAGMENT_CACHE_SECONDS=0 turns it off.
    KEPT_HEADERS = ("Content-Language", "Content-Disposition")

    @staticmethod
    def _key(etag):
        return "kb:response:" + etag

    def stored(self, etag):
        if not settings.KB_FRAGMENT_CACHE_SECONDS:
            return None
        data = cache.get(self._key(etag))
        if data is None:
            return None
        response = HttpResponse(data["content"], content_type=data["content_type"])
        for name, value in data["headers"]:
            response[name] = value
        return response

    def store(self, etag, response):
        if not settings.KB_FRAGMENT_CACHE_SECONDS or response.streaming:
            return
        data = {
            "content": response.content,
            "content_type": response["Content-Type"],
            "headers": [(h, response[h]) for h in self.KEPT_HEADERS if response.has_header(h)],
        }
        cache.set(self._key(etag), data, settings.KB_FRAGMENT_CACHE_SECONDS)

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
