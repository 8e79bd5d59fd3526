"""/people/: who the sources name or quote, filtered by employer, program,
vendor, source and the language of their quotes, with facet counts, sort,
pagination and export, like every list."""

import json

import pytest

from tests.factories import PersonFactory, VendorFactory


@pytest.fixture
def shipped(shipped_knowledge, db):
    """The shipped knowledge, loaded once for the session (tests/conftest.py)."""


def names(response):
    return [p.name for p in response.context["object_list"]]


def facet(response, param):
    return {c["value"]: c["count"] for f in response.context["facets"] if f["param"] == param for c in f["choices"]}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_people_list_shows_the_shipped_people(client, shipped, lang):
    r = client.get("/people/", HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 200
    assert names(r) == ["Bruno Dutriaux", "Don Proctor", "John Chambers", "Mark Lewis", "Vince Menzione"]
    html = r.content.decode()
    assert ("5 results" if lang == "en" else "5 résultats") in html
    assert ('href="/quotes/?person=john-chambers"') in html
    assert facet(r, "employer") == {"cisco": 3, "hp": 1, "microsoft": 1}


def test_people_filters(client, shipped):
    assert names(client.get("/people/?employer=hp")) == ["Mark Lewis"]
    r = client.get("/people/?program=cpp")
    assert names(r) == ["Bruno Dutriaux"]
    assert facet(r, "program")["cpp"] == 1
    assert "John Chambers" in names(client.get("/people/?vendor=cisco"))
    assert names(client.get("/people/?source=art-002")) == ["Bruno Dutriaux"]
    assert "John Chambers" in names(client.get("/people/?language=en"))
    assert names(client.get("/people/?q=proctor")) == ["Don Proctor"]
    assert names(client.get("/people/?q=cisco&sort=-name"))[0] == "John Chambers"  # employer's name matches
    assert names(client.get("/people/?sort=employer"))[0] in {"Bruno Dutriaux", "Don Proctor", "John Chambers"}


def test_drafts_are_not_listed(client, shipped):
    PersonFactory(name="Draft person", is_published=False)
    PersonFactory(name="Works for a draft", employer=VendorFactory(name="Draft co", is_published=False))
    r = client.get("/people/")
    assert "Draft person" not in names(r)
    html = r.content.decode()
    assert "Draft co" not in html
    assert "draft-co" not in facet(r, "employer")


@pytest.mark.parametrize("query", ["employer=nope", "page=abc", "sort=bogus", "language=xx", "program=%00"])
def test_bad_input(client, shipped, query):
    assert client.get("/people/?" + query).status_code in (200, 400)
    assert client.get("/people/?" + query).status_code != 500


def test_people_export(client, shipped):
    data = json.loads(client.get("/people/?employer=cisco&export=json").content)
    chambers = next(d for d in data if d["slug"] == "john-chambers")
    assert chambers["employer"] == "Cisco" and chambers["employer_slug"] == "cisco"
    assert chambers["quotes"] >= 2 and chambers["url"] == "http://testserver/people/john-chambers/"
    assert "LMI" in chambers["sources"] or chambers["sources"]  # titles of its sources


def test_people_list_in_the_api_link(client, shipped):
    html = client.get("/people/?employer=cisco&page=1&export=").content.decode()
    assert 'href="/api/people/?employer=cisco"' in html
    assert client.get("/api/people/?employer=cisco").status_code == 200
