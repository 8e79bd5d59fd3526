from django.urls import path

from . import language, views

app_name = "kb"

urlpatterns = [
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
]
