"""/changes/ and its Atom feeds (read-only: anything but GET/HEAD is a 405)."""

from django.urls import path
from django.views.decorators.http import require_safe

from . import changes, feeds

app_name = "changes"

urlpatterns = [
    path("", changes.ChangeListView.as_view(), name="list"),
    path("feed/", require_safe(feeds.ChangesFeed()), name="feed"),
    path("feed/vendor/<slug:slug>/", require_safe(feeds.VendorChangesFeed()), name="vendor-feed"),
    path("feed/program/<slug:slug>/", require_safe(feeds.ProgramChangesFeed()), name="program-feed"),
]
