from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from kb.health import health
from programs.views import TimelineView

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),  # ADMIN_URL: see settings, issue 6
    path("health/", health, name="health"),  # load balancers: database, cache, migrations
    path("api/", include("kb.api.urls")),
    path("vendors/", include("vendors.urls")),
    path("people/", include("vendors.people_urls")),
    path("programs/", include("programs.urls")),
    path("partners/", include("partners.urls")),
    path("sources/", include("sources.urls")),
    path("quotes/", include("sources.quote_urls")),
    path("timeline/", TimelineView.as_view(), name="timeline"),
    path("changes/", include("portal.change_urls")),
    path("", include("kb.urls")),
]
