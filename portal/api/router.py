"""The API's one router: every app's viewsets (``<app>/api/views.py``) under
/api/. URL names are ``api-<record>-list`` / ``api-<record>-detail``."""

from rest_framework.routers import DefaultRouter

from partners.api.views import MembershipViewSet, PartnerViewSet
from programs.api.views import EventViewSet, FocusAreaViewSet, ProgramViewSet, TierViewSet
from sources.api.views import PassageViewSet, QuoteViewSet, SourceViewSet
from vendors.api.views import PersonViewSet, VendorViewSet


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
