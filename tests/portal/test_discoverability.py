"""What search engines, link previews and crawlers read: a meta description,
a canonical address and Open Graph tags on every HTML page, ``/sitemap.xml``
of the published records, ``/robots.txt``, and the API docs page in the
reader's language."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from programs.models import Program, Tier
from tests.public_urls import REDIRECTS, public_urls

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class Head(HTMLParser):
    """The <html lang>, <meta> and <link> tags of a page."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.meta = {}
        self.links = {}
        self.counts = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("name") or attrs.get("property")
            self.meta[key] = attrs.get("content", "")
            self.counts[key] = self.counts.get(key, 0) + 1
        elif tag == "link" and "rel" in attrs:
            self.links.setdefault(attrs["rel"], attrs.get("href"))


def head(response):
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def html_pages():
    return [
        (name, url)
        for name, url in public_urls()
        if name not in REDIRECTS
        and not url.startswith("/api/")
        and name not in {"health", "sitemap", "robots"}
        and "feed" not in name
    ]


def test_every_html_page_has_a_description_a_canonical_address_and_open_graph(client, public_world):
    pages = html_pages()
    assert len(pages) >= 15
    for _name, url in pages:
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        tags = head(response)
        assert tags.counts.get("description") == 1, url
        assert 20 <= len(tags.meta["description"]) <= 300, (url, tags.meta["description"])
        assert tags.links.get("canonical", "").startswith("http://testserver/"), url
        assert "?" not in tags.links["canonical"] or "page=" in tags.links["canonical"], url
        for key in ("og:title", "og:description", "og:url", "og:type", "og:locale"):
            assert tags.meta.get(key), (url, key)
        assert tags.meta["og:url"] == tags.links["canonical"], url


def test_a_record_page_is_described_by_its_own_summary(client, shipped_knowledge):
    program = Program.objects.get(slug="cpp")
    tags = head(client.get(program.get_absolute_url()))
    summary = " ".join(program.summary.split())
    assert summary
    assert tags.meta["description"] == (summary if len(summary) <= 160 else tags.meta["description"])
    assert tags.meta["description"].startswith(summary[:100]) and len(tags.meta["description"]) <= 160
    assert tags.meta["og:title"] == str(program)
    assert tags.meta["og:type"] == "article"
    site = head(client.get("/"))
    assert site.meta["description"] != tags.meta["description"]  # the home page has the site's own


def test_canonical_address_drops_filters_but_keeps_the_page_number(client, shipped_knowledge):
    filtered = head(client.get("/programs/?vendor=cisco&sort=-announced"))
    assert filtered.links["canonical"] == "http://testserver/programs/"
    first = head(client.get("/timeline/?page=1"))
    assert first.links["canonical"] == "http://testserver/timeline/"


def test_canonical_keeps_a_later_page(client, shipped_knowledge):
    from django.test import RequestFactory

    from kb.context_processors import canonical

    request = RequestFactory().get("/partners/", {"page": "3", "country": "France"})
    assert canonical(request)["canonical_url"] == "http://testserver/partners/?page=3"
    request = RequestFactory().get("/partners/", {"page": "x"})
    assert canonical(request)["canonical_url"] == "http://testserver/partners/"


def test_french_pages_say_so_to_link_previews(client, shipped_knowledge):
    client.cookies["django_language"] = "fr"
    tags = head(client.get("/programs/", headers={"accept-language": "fr"}))
    assert tags.lang == "fr"
    assert tags.meta["og:locale"] == "fr_FR"
    assert "base de connaissances" in tags.meta["description"].lower()


def test_sitemap_lists_every_published_record_page_and_no_draft(client, public_world):
    drafts = public_world
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    locs = {u.find("s:loc", SITEMAP_NS).text for u in root.findall("s:url", SITEMAP_NS)}
    base = "http://testserver"
    assert base + "/" in locs and base + "/programs/" in locs and base + "/timeline/" in locs
    for program in Program.objects.published():
        assert base + program.get_absolute_url() in locs
    for tier in Tier.objects.published().select_related("program"):
        assert base + tier.get_absolute_url() in locs
    for draft in drafts:
        url = getattr(draft, "get_absolute_url", None)
        if url and "#" not in url():
            assert base + url() not in locs, draft
    assert all("#" not in loc for loc in locs)
    lastmods = [u.find("s:lastmod", SITEMAP_NS) for u in root.findall("s:url", SITEMAP_NS)]
    assert sum(m is not None for m in lastmods) >= Program.objects.published().count()


def test_a_draft_published_later_appears_in_the_sitemap(client, shipped_knowledge):
    from tests.factories import ProgramFactory, SourceFactory

    draft = ProgramFactory(name="Hidden program", slug="hidden-program", is_published=False)
    assert b"hidden-program" not in client.get("/sitemap.xml").content
    draft.sources.add(SourceFactory())
    draft.is_published = True
    draft.save()
    assert b"/programs/hidden-program/" in client.get("/sitemap.xml").content


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405
    assert client.post("/sitemap.xml").status_code == 405


@pytest.mark.parametrize("language", ["en", "fr"])
def test_api_docs_page_has_its_language_a_description_and_a_main_landmark(client, language):
    client.cookies["django_language"] = language
    response = client.get("/api/docs/", headers={"accept-language": language})
    assert response.status_code == 200
    tags = head(response)
    assert tags.lang == language
    assert tags.meta.get("description")
    html = response.content.decode()
    assert '<main id="main">' in html and "<h1>" in html
    assert "<style" not in html and "<script>" not in html  # files only (CSP)
