"""``/sitemap.xml`` (Django's sitemaps framework): the published records of
every model an app registers as having a page of its own
(``kb.registry.register_page``), with their last change, plus the public
lists. A draft never appears: each model's queryset is its published one."""

from django.contrib import sitemaps
from django.urls import reverse

from .registry import registry


class RecordSitemap(sitemaps.Sitemap):
    changefreq = "weekly"

    def __init__(self, queryset):
        self.queryset = queryset
        super().__init__()

    def items(self):
        return self.queryset().order_by("pk")

    def lastmod(self, obj):
        return getattr(obj, "updated_at", None)


class PagesSitemap(sitemaps.Sitemap):
    """The pages that are not one record's: home, lists, timeline."""

    changefreq = "daily"

    def __init__(self, names):
        self.names = names
        super().__init__()

    def items(self):
        return list(self.names)

    def location(self, name):
        return reverse(name)


def site_sitemaps(page_names):
    """The sections of ``/sitemap.xml``: ``pages`` (``page_names``, URL names)
    then one per registered record model (``vendors.vendor``...)."""
    sections = {"pages": PagesSitemap(page_names)}
    for model, queryset in registry.pages.items():
        sections[model._meta.label_lower] = RecordSitemap(queryset)
    return sections
