"""/quotes/ lives at the top level but belongs to the sources app."""

from django.urls import path

from . import views

app_name = "quotes"

urlpatterns = [
    path("", views.QuoteListView.as_view(), name="list"),
]
