"""Every API address, under /api/ (included from portal/urls.py).

One router for all apps; each app keeps its serializers and viewsets in
``<app>/api/``. URL names are ``api-<record>-list`` / ``api-<record>-detail``.
Records with a slug are addressed by it (``/api/vendors/cisco/``); tiers,
memberships and quotes, which have no global slug, by id."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from partners.api.views import MembershipViewSet, PartnerViewSet
from programs.api.views import EventViewSet, FocusAreaViewSet, ProgramViewSet, TierViewSet
from sources.api.views import PassageViewSet, QuoteViewSet, SourceViewSet
from vendors.api.views import PersonViewSet, VendorViewSet

from .views import DocsView, not_found


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("vendors", VendorViewSet, basename="api-vendor")
router.register("people", PersonViewSet, basename="api-person")
router.register("programs", ProgramViewSet, basename="api-program")
router.register("tiers", TierViewSet, basename="api-tier")
router.register("events", EventViewSet, basename="api-event")
router.register("focus-areas", FocusAreaViewSet, basename="api-focusarea")
router.register("partners", PartnerViewSet, basename="api-partner")
router.register("memberships", MembershipViewSet, basename="api-membership")
router.register("sources", SourceViewSet, basename="api-source")
router.register("quotes", QuoteViewSet, basename="api-quote")
router.register("passages", PassageViewSet, basename="api-passage")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
    # Last: any other address ending in "/" is a JSON 404 (without the slash,
    # CommonMiddleware first redirects to the address with it).
    re_path(r"^.*/$", not_found),
]
