from django.contrib import admin
from django.urls import include, path

from programs.views import TimelineView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("vendors/", include("vendors.urls")),
    path("people/", include("vendors.people_urls")),
    path("programs/", include("programs.urls")),
    path("partners/", include("partners.urls")),
    path("sources/", include("sources.urls")),
    path("timeline/", TimelineView.as_view(), name="timeline"),
    path("", include("kb.urls")),
]
