"""/people/<slug>/ lives at the top level but belongs to the vendors app."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("<slug:slug>/", views.PersonDetailView.as_view(), name="detail"),
]
