from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),  # ADMIN_URL: see settings
    path("", include("portal.urls")),
]
