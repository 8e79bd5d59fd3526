"""Request hardening shared by every page.

- ``RejectNulMiddleware``: a NUL byte (``%00``) in the path or the query
  string gets a 400 (plain text; JSON under /api/). PostgreSQL refuses NUL in text, so such input would
  otherwise reach a query and fail with a server error.
- ``client_ip``: the address django-axes locks out (with the user name).
  Behind ``TRUSTED_PROXY_COUNT`` proxies that append to X-Forwarded-For, it is
  the address the outermost trusted proxy saw; otherwise REMOTE_ADDR.
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _has_nul(raw):
    return b"\x00" in unquote_to_bytes(raw)


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in path or _has_nul(query) or _has_nul(path):
            message = _("Bad request: NUL byte in the address.")
            if path.startswith("/api/"):
                return self.api_error(request, path, query, message)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def api_error(request, path, query, message):
        """The API's documented error shapes: a NUL in a parameter is a 400
        naming the parameter(s); a NUL in the path names no record (404)."""
        if "\x00" in path or _has_nul(path):
            return JsonResponse({"detail": _("Not found.")}, status=404)
        errors = {}
        for pair in query.split("&"):
            key, _sep, value = pair.partition("=")
            if _has_nul(key) or _has_nul(value):
                name = unquote_to_bytes(key).replace(b"\x00", b"").decode("utf-8", "replace") or "query"
                errors[name] = [message]
        return JsonResponse(errors or {"query": [message]}, status=400)


def client_ip(request):
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
