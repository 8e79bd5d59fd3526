from django.urls import path

from . import views

app_name = "kb"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("i18n/setlang/", views.set_language, name="set_language"),
]
