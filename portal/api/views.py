"""The API's pages that belong to no app: the JSON 404 for unknown
addresses under /api/, and the documentation page."""

import json

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from .router import router


@api_view(["GET", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def not_found(request, *args, **kwargs):
    """Any other address under /api/: a JSON 404, not the HTML error page."""
    raise NotFound(_("No API endpoint at this address."))


def endpoints():
    """Every record type of the API, from the one router: its name, the
    address of its list and the pattern of a record's address."""
    rows = []
    for _prefix, viewset, basename in router.registry:
        model = viewset.serializer_class.Meta.model
        lookup = "id" if viewset.lookup_field == "pk" else viewset.lookup_field
        list_url = reverse(f"{basename}-list")
        rows.append(
            {
                "name": capfirst(model._meta.verbose_name_plural),
                "list_url": list_url,
                "detail_path": f"{list_url}{{{lookup}}}/",
            }
        )
    return rows


class DocsView(SpectacularSwaggerSplitView):
    """``/api/docs/``: the API's endpoints as a server-rendered page (real
    links, readable without JavaScript), and Swagger UI, from local files,
    loaded when the reader asks for it (``static/js/api-docs.js``: no inline
    script, so the page runs under ``script-src 'self'``; the 1.5 MB bundle
    is fetched and run only then)."""

    template_name = "portal/api/docs.html"
    title = _("Knowledge base API")

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is None:
            response.data.update(
                endpoints=endpoints(),
                schema_url=self._get_schema_url(request),
                swagger_settings=json.dumps(spectacular_settings.SWAGGER_UI_SETTINGS),
                api_title=spectacular_settings.TITLE,
                meta_description=_(
                    "The knowledge base's read-only JSON API: every public record, with the same filters "
                    "as the pages, documented in OpenAPI."
                ),
            )
        return response
