"""Shared pieces of the read-only API: the base viewset, the JSON 404 for
unknown addresses under /api/, and the documentation page."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

SLUG_REGEX = r"[-a-zA-Z0-9_]+"
ID_REGEX = r"[0-9]{1,18}"


class KBReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail, GET only (any write method is a 405 for everyone).

    ``get_queryset()`` of each subclass starts from ``.published()`` so drafts
    never show, and loads related records up front (the list's query count is
    pinned in tests/kb/test_api.py). Lists are in the model's default order with
    the primary key as the last tie-breaker, so pages never overlap."""

    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX

    def ordered(self, queryset):
        return queryset.order_by(*queryset.model._meta.ordering, "pk")

    def get_object(self):
        # Django's get_object_or_404 says "No Program matches the given query."
        # in English whatever the language; answer with the documented message.
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(_("No published record at this address.")) from exc


@api_view(["GET", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, not the HTML error page."""
    raise NotFound(_("No API endpoint at this address."))


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from local files (drf-spectacular-sidecar); its start-up
    script is a separate file, so the page runs under ``script-src 'self'``."""

    template_name = "kb/api/swagger_ui.html"
    title = _("Knowledge base API")
