"""The site's URLs plus one that fails, to see what a server error looks like."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("boom (a test of the 500 page)")


urlpatterns = [
    path("__boom__/", boom),
    path("", include("config.urls")),
]
