"""Choosing the interface language: the middleware that reads the choice and
the switcher's view (see templates/includes/language_switcher.html).

Kept apart from kb/views.py (the public pages) so the two evolve separately."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def safe_next_url(request, url):
    """``url`` if it stays on this site, else the home page."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


@require_safe
@never_cache
def set_language(request):
    """Switch the interface language: ``GET /i18n/setlang/?language=fr&next=/programs/?status=active``.

    Why a GET link rather than Django's ``set_language`` (POST + CSRF token):
    the switcher must work on every page without JavaScript, under a strict
    CSP, and on public pages where anonymous POSTs are refused and no CSRF
    cookie is set. Choosing a language only stores a preference cookie (no
    data changes, nothing an attacker gains), so a plain link is enough. It
    is safe to follow: ``next`` must point to this site
    (``url_has_allowed_host_and_scheme``), otherwise we go to the home page,
    and an unknown language is ignored. ``never_cache`` keeps proxies from
    caching the redirect with its cookie.
    """
    next_url = safe_next_url(request, request.GET.get("next") or request.headers.get("referer"))
    response = HttpResponseRedirect(next_url)
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware (language from the switcher's cookie, else
    the browser's Accept-Language, else LANGUAGE_CODE), plus ``Vary: Cookie``.

    Django varies on Accept-Language only; but the language cookie chooses
    the language too, so without ``Vary: Cookie`` a shared cache could serve
    a page in one language to a reader who chose the other."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response
