"""The API's pages that belong to no app: the JSON 404 for unknown
addresses under /api/, and the documentation page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny


@api_view(["GET", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, not the HTML error page."""
    raise NotFound(_("No API endpoint at this address."))


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from local files (drf-spectacular-sidecar); its start-up
    script is a separate file, so the page runs under ``script-src 'self'``."""

    template_name = "portal/api/docs.html"
    title = _("Knowledge base API")
