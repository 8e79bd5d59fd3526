"""/changes/ and its Atom feeds."""

from django.urls import path

from . import changes, feeds

app_name = "changes"

urlpatterns = [
    path("", changes.ChangeListView.as_view(), name="list"),
    path("feed/", feeds.ChangesFeed(), name="feed"),
    path("feed/vendor/<slug:slug>/", feeds.VendorChangesFeed(), name="vendor-feed"),
    path("feed/program/<slug:slug>/", feeds.ProgramChangesFeed(), name="program-feed"),
]
