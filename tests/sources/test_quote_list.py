"""/quotes/: who said what, in the original language, with its source."""

import json

import pytest

from tests.factories import QuoteFactory, SourceFactory


@pytest.fixture
def shipped(shipped_knowledge, db):
    """The shipped knowledge, loaded once for the session (tests/conftest.py)."""


def texts(response):
    return [q.text for q in response.context["object_list"]]


def facet(response, param):
    return {c["value"]: c["count"] for f in response.context["facets"] if f["param"] == param for c in f["choices"]}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_quote_list_shows_the_shipped_quotes(client, shipped, lang):
    r = client.get("/quotes/", HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 200
    assert r.context["result_count"] == 8
    html = r.content.decode()
    assert '<blockquote class="quote-cell" lang="en"><p>« We compete with HP »</p></blockquote>' in html
    assert 'lang="fr"' in html
    assert facet(r, "language") == {"fr": 6, "en": 2} or sum(facet(r, "language").values()) == 8


def test_quote_filters(client, shipped):
    assert texts(client.get("/quotes/?person=john-chambers&language=en")) == ["We compete with HP"]
    cpp = texts(client.get("/quotes/?program=cpp"))
    assert cpp and all("CPP" in t or "cloud" in t.lower() for t in cpp)
    assert client.get("/quotes/?employer=hp").context["result_count"] >= 1
    assert client.get("/quotes/?source=art-002").context["result_count"] == len(cpp)
    assert texts(client.get("/quotes/?q=compete&language=en")) == ["We compete with HP"]
    r = client.get("/quotes/?sort=person")
    people = [q.person.name for q in r.context["object_list"]]
    assert people == sorted(people)


def test_quote_of_a_draft_source_is_hidden(client, shipped):
    QuoteFactory(text="Hidden words", source=SourceFactory(title="Draft article", is_published=False))
    r = client.get("/quotes/")
    assert "Hidden words" not in r.content.decode()
    assert "Draft article" not in r.content.decode()


def test_quote_export(client, shipped):
    data = json.loads(client.get("/quotes/?q=compete&language=en&export=json", HTTP_ACCEPT_LANGUAGE="fr").content)
    assert data == [
        {
            "text": "We compete with HP",
            "language": "anglais",
            "language_code": "en",
            "person": "John Chambers",
            "person_slug": "john-chambers",
            "employer": "Cisco",
            "program": "",
            "program_slug": "",
            "vendor": "Cisco",
            "vendor_slug": "cisco",
            "said_on": "",
            "context": data[0]["context"],
            "sources": data[0]["sources"],
            "source_url": "http://testserver/sources/art-000/",
            "url": data[0]["url"],
        }
    ]
    assert data[0]["url"].startswith("http://testserver/people/john-chambers/#quote-")


def test_navigation_and_home_link_people_quotes_and_changes(client, shipped):
    for url in ("/", "/programs/"):
        html = client.get(url).content.decode()
        for href in ('href="/people/"', 'href="/quotes/"', 'href="/changes/"'):
            assert href in html, (url, href)


@pytest.mark.parametrize(
    "url,api",
    [
        ("/programs/?vendor=cisco&sort=-name&page=2", "/api/programs/?vendor=cisco&amp;sort=-name"),
        ("/vendors/", "/api/vendors/"),
        ("/partners/?country=France", "/api/partners/?country=France"),
        ("/sources/?language=fr", "/api/sources/?language=fr"),
        ("/timeline/?kind=launch", "/api/events/?kind=launch"),
        ("/quotes/?language=fr&year=xx", "/api/quotes/?language=fr"),
    ],
)
def test_every_list_links_to_itself_in_the_api(client, shipped, url, api):
    html = client.get(url).content.decode()
    assert f'href="{api}"' in html
    assert client.get(api.replace("&amp;", "&")).status_code == 200
