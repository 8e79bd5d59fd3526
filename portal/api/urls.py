"""Every API address, under /api/ (included from portal/urls.py).

One router for all apps; each app keeps its serializers and viewsets in
``<app>/api/``. URL names are ``api-<record>-list`` / ``api-<record>-detail``.
Records with a slug are addressed by it (``/api/vendors/cisco/``); tiers,
memberships and quotes, which have no global slug, by id."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from .router import router
from .views import DocsView, not_found

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
    # Last: any other address ending in "/" is a JSON 404 (without the slash,
    # CommonMiddleware first redirects to the address with it).
    re_path(r"^.*/$", not_found),
]
