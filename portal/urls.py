"""Every public address (included from config/urls.py, beside the admin).

Each app keeps its own ``urls.py``; this module puts them under their paths.
The home page, the search page and the language switcher keep the ``kb``
URL namespace (``{% url 'kb:home' %}``)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from kb.health import health
from kb.sitemaps import site_sitemaps
from programs.views import TimelineView

from . import language, views

pages = (
    [
        path("i18n/setlang/", language.set_language, name="set_language"),
        path("", views.HomeView.as_view(), name="home"),
        path("search/", views.SearchView.as_view(), name="search"),
    ],
    "kb",
)

#: The lists and pages of no single record, in /sitemap.xml.
SITEMAP_PAGES = (
    "kb:home",
    "vendors:list",
    "programs:list",
    "partners:list",
    "people:list",
    "quotes:list",
    "sources:list",
    "timeline",
    "changes:list",
)


@require_safe
def sitemap_xml(request):
    return sitemap(request, sitemaps=site_sitemaps(SITEMAP_PAGES))


urlpatterns = [
    path("sitemap.xml", sitemap_xml, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("health/", health, name="health"),  # load balancers: database, cache, migrations
    path("api/", include("portal.api.urls")),
    path("vendors/", include("vendors.urls")),
    path("people/", include("vendors.people_urls")),
    path("programs/", include("programs.urls")),
    path("partners/", include("partners.urls")),
    path("sources/", include("sources.urls")),
    path("quotes/", include("sources.quote_urls")),
    path("timeline/", TimelineView.as_view(), name="timeline"),
    path("changes/", include("portal.change_urls")),
    path("", include(pages)),
]
