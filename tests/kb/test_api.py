"""The read-only JSON API under /api/: every endpoint, every filter,
pagination, ordering, hyperlinks, drafts and errors (the lists' query counts
are pinned in tests/perf/test_query_counts.py)."""

from urllib.parse import urlsplit

import pytest

from kb.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from tests.api_sample import make_api_sample
from tests.factories import (
    FocusAreaFactory,
    ProgramFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "vendors",
    "people",
    "programs",
    "tiers",
    "events",
    "focus-areas",
    "partners",
    "memberships",
    "sources",
    "quotes",
]


@pytest.fixture
def kb():
    """A small knowledge base with one draft of each kind that has drafts."""
    return make_api_sample()


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json", response.content[:200]
    return response


def results(client, endpoint, query=""):
    response = client.get(f"/api/{endpoint}/?{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def column(client, endpoint, query="", key=None):
    key = key or KEYS[endpoint]
    return [row[key] for row in results(client, endpoint, query)]


KEYS = {
    "vendors": "slug",
    "people": "slug",
    "programs": "slug",
    "tiers": "name",
    "events": "title",
    "focus-areas": "slug",
    "partners": "slug",
    "memberships": "id",
    "sources": "title",
    "quotes": "text",
}


# --- lists and details -------------------------------------------------------


def test_api_root_lists_every_endpoint(client, kb):
    body = get(client, "/api/").json()
    assert set(body) == {*ENDPOINTS, "passages"}  # passages: tests/sources/test_passages_api.py
    for endpoint, url in body.items():
        assert urlsplit(url).path == f"/api/{endpoint}/"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_and_detail(client, kb, endpoint):
    response = get(client, f"/api/{endpoint}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == len(body["results"]) > 0
    for row in body["results"]:
        detail = get(client, row["url"])
        assert detail.status_code == 200
        assert detail.json() == row
        assert row["html_url"].startswith("http://testserver/")
        page = client.get(row["html_url"])
        assert page.status_code == 200, row["html_url"]


def test_program_detail_nests_tiers_benefits_and_links(client, kb):
    body = get(client, "/api/programs/cloud-partner-program/").json()
    assert body["name"] == "Cloud Partner Program"
    assert body["html_url"] == "http://testserver/programs/cloud-partner-program/"
    assert body["vendors"] == ["http://testserver/api/vendors/cisco/"]  # the draft vendor is left out
    assert body["focus_areas"] == ["cloud"]
    assert [(t["name"], t["kind"], t["rank"]) for t in body["tiers"]] == [
        ("Builder", "designation", 1),
        ("Provider", "designation", 2),
    ]
    builder = body["tiers"][0]
    assert builder["html_url"] == "http://testserver/programs/cloud-partner-program/builder/"
    assert get(client, builder["url"]).json()["name"] == "Builder"
    [benefit] = body["benefits"]
    assert benefit["title"] == "Cloud discount"
    assert benefit["tier"] == builder["url"]
    assert benefit["sources"] == ["http://testserver/api/sources/lmi-article/"]  # not the draft source
    assert body["sources"] == ["http://testserver/api/sources/lmi-article/"]


def test_vendor_detail_links_programs_people_relations(client, kb):
    body = get(client, "/api/vendors/cisco/").json()
    assert body["programs"] == [
        "http://testserver/api/programs/cloud-partner-program/",
        "http://testserver/api/programs/mscp/",
    ]
    assert body["program_slugs"] == ["cloud-partner-program", "mscp"]  # slugs and names beside the links
    assert body["people"] == ["http://testserver/api/people/don-proctor/"]
    assert body["person_names"] == ["Don Proctor"]
    assert body["relations"] == [
        {
            "vendor": "http://testserver/api/vendors/cisco/",
            "vendor_slug": "cisco",
            "vendor_name": "Cisco",
            "kind": "competition",
            "other_vendor": "http://testserver/api/vendors/hp/",
            "other_vendor_slug": "hp",
            "other_vendor_name": "HP",
            "summary": "",
            "passages": [],
        }
    ]
    microsoft = get(client, "/api/vendors/microsoft/").json()
    # HP's alliance shows on Microsoft's side; the draft vendor's does not.
    assert [r["vendor"] for r in microsoft["reverse_relations"]] == ["http://testserver/api/vendors/hp/"]
    assert microsoft["website"] is None


def test_partner_detail_lists_published_memberships(client, kb):
    body = get(client, "/api/partners/acme/").json()
    assert len(body["memberships"]) == 1  # not the one in the draft program
    membership = body["memberships"][0]
    assert membership["program"] == "http://testserver/api/programs/cloud-partner-program/"
    assert get(client, membership["tier"]).json()["name"] == "Builder"
    assert get(client, membership["url"]).json()["partner"] == "http://testserver/api/partners/acme/"


def test_every_hyperlink_resolves(client, kb):
    seen = set()
    for endpoint in ENDPOINTS:
        for row in results(client, endpoint):
            stack = [row]
            while stack:
                value = stack.pop()
                if isinstance(value, dict):
                    stack.extend(value.values())
                elif isinstance(value, list):
                    stack.extend(value)
                elif isinstance(value, str) and value.startswith("http://testserver/api/"):
                    seen.add(value)
    assert len(seen) >= 20
    for url in sorted(seen):
        assert client.get(url).status_code == 200, url


# --- drafts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint,draft_url,draft_key",
    [
        ("vendors", "/api/vendors/draft-vendor/", "draft-vendor"),
        ("people", "/api/people/draft-person/", "draft-person"),
        ("programs", "/api/programs/secret-program/", "secret-program"),
        ("events", "/api/events/draft-event/", "Draft event"),
        ("partners", "/api/partners/draft-partner/", "draft-partner"),
        ("sources", "/api/sources/hidden-source/", "Hidden source"),
    ],
)
def test_drafts_are_hidden(client, kb, endpoint, draft_url, draft_key):
    assert draft_key not in column(client, endpoint)
    response = get(client, draft_url)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_records_of_drafts_are_hidden(client, kb):
    assert "Secret tier" not in column(client, "tiers")
    assert get(client, f"/api/tiers/{kb['secret_tier'].pk}/").status_code == 404
    assert "Secret launch" not in column(client, "events")
    assert "Secret plans" not in column(client, "quotes")
    assert "Hidden words" not in column(client, "quotes")  # its source is a draft
    assert {m["partner"] for m in results(client, "memberships")} == {
        "http://testserver/api/partners/acme/",
        "http://testserver/api/partners/beta/",
    }
    assert len(results(client, "memberships")) == 2
    # A person whose employer is a draft: shown, without the employer link.
    ghost = get(client, "/api/people/ghost-employee/").json()
    assert ghost["employer"] is None


# --- filters: each one changes the results as it should --------------------

FILTER_CASES = [
    ("vendors", "q=jose", ["cisco"]),
    ("vendors", "runs_programs=true", ["cisco", "hp", "microsoft"]),
    ("vendors", "runs_programs=false", ["outlet"]),
    ("vendors", "relation=competition", ["cisco", "hp"]),
    ("vendors", "relation=alliance", ["hp", "microsoft"]),
    ("vendors", "sort=-headquarters", ["cisco", "hp", "microsoft", "outlet"]),
    ("people", "q=proctor", ["don-proctor"]),
    ("people", "employer=hp", ["mark-lewis"]),
    ("people", "sort=-name", ["mark-lewis", "ghost-employee", "don-proctor"]),
    ("programs", "q=partner", ["cloud-partner-program"]),
    ("programs", "vendor=hp", ["frontline"]),
    ("programs", "vendor=hp&vendor=cisco", ["cloud-partner-program", "frontline", "mscp"]),
    ("programs", "status=announced", ["mscp"]),
    ("programs", "focus_area=cloud", ["cloud-partner-program"]),
    ("programs", "route=indirect", ["cloud-partner-program"]),
    ("programs", "route=unknown", ["frontline", "mscp"]),
    ("programs", "tier_kind=level", ["mscp"]),
    ("programs", "year=2009", ["mscp"]),
    ("programs", "sort=-name", ["mscp", "frontline", "cloud-partner-program"]),
    ("programs", "sort=announced", ["frontline", "mscp", "cloud-partner-program"]),
    ("tiers", "q=master", ["Master"]),
    ("tiers", "program=mscp", ["Master"]),
    ("tiers", "kind=designation", ["Builder", "Provider"]),
    ("tiers", "sort=-rank", ["Provider", "Builder", "Master"]),
    ("events", "q=conference", ["HP conference"]),
    ("events", "vendor=hp", ["HP conference"]),
    ("events", "vendor=cisco", ["CPP launch"]),
    ("events", "program=cloud-partner-program", ["CPP launch"]),
    ("events", "kind=conference", ["HP conference"]),
    ("events", "year=2010", ["CPP launch"]),
    ("events", "sort=-date", ["HP conference", "CPP launch"]),
    ("partners", "q=acme", ["acme"]),
    ("partners", "country=Germany", ["beta"]),
    ("partners", "kind=reseller", ["acme"]),
    ("partners", "program=mscp", ["beta"]),
    ("partners", "sort=-name", ["beta", "acme"]),
    ("sources", "q=crn", ["CRN story"]),
    ("sources", "language=en", ["CRN story"]),
    ("sources", "year=2010", ["LMI article"]),
    ("sources", "sort=-published", ["CRN story", "LMI article"]),
    ("quotes", "q=frontline", ["Frontline is big"]),
    ("quotes", "person=don-proctor", ["CPP is indirect"]),
    ("quotes", "program=frontline", ["Frontline is big"]),
    ("quotes", "vendor=cisco", ["CPP is indirect"]),
    ("quotes", "source=crn-story", ["Frontline is big"]),
    ("quotes", "sort=-said&sort=person", ["CPP is indirect", "Frontline is big"]),
]


@pytest.mark.parametrize("endpoint,query,expected", FILTER_CASES, ids=[f"{e}?{q}" for e, q, _ in FILTER_CASES])
def test_filter(client, kb, endpoint, query, expected):
    got = column(client, endpoint, query)
    if "sort=" in query:
        assert got == expected
    elif query.count("vendor=") == 2:  # repeated: either value (OR)
        assert sorted(got) == sorted(expected)
        assert len(got) > len(column(client, endpoint, query.split("&")[0]))
    else:
        assert sorted(got) == sorted(expected)
        assert len(got) < len(column(client, endpoint))  # the filter really narrows the list


@pytest.mark.parametrize(
    "query,expected",
    [
        ("partner=beta", ["Beta"]),
        ("program=cloud-partner-program", ["Acme"]),
        ("tier_kind=level", ["Beta"]),
        ("current=true", ["Acme"]),
        ("current=false", ["Beta"]),
        ("q=builder", ["Acme"]),
        ("sort=-since", ["Acme", "Beta"]),
    ],
)
def test_membership_filters(client, kb, query, expected):
    rows = results(client, "memberships", query)
    names = [get(client, row["partner"]).json()["name"] for row in rows]
    assert names == expected


# --- pagination and ordering --------------------------------------------------


def test_pagination(client, kb):
    first = get(client, "/api/programs/", page_size=2).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["previous"] is None
    second = get(client, first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"] is not None
    slugs = [r["slug"] for r in first["results"] + second["results"]]
    assert slugs == ["cloud-partner-program", "frontline", "mscp"]


def test_page_size_default_and_cap(client, db):
    program = ProgramFactory()  # focus areas are listed through published programs
    for i in range(MAX_PAGE_SIZE + 5):
        program.focus_areas.add(FocusAreaFactory(name=f"Area {i:03}"))
    assert len(get(client, "/api/focus-areas/").json()["results"]) == DEFAULT_PAGE_SIZE
    assert len(get(client, "/api/focus-areas/", page_size=10_000).json()["results"]) == MAX_PAGE_SIZE


def test_ordering_is_stable_across_pages_with_ties(client, db):
    # Ten vendors with the same headquarters: sorting by it ties, pk breaks ties.
    for i in range(10):
        VendorFactory(name=f"V{9 - i}", headquarters="Paris")
    seen = []
    url = "/api/vendors/?sort=headquarters&page_size=3"
    while url:
        body = get(client, url).json()
        seen += [r["slug"] for r in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 10
    assert seen == [f"v{9 - i}" for i in range(10)]  # creation (pk) order


# --- bad input ----------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_unknown_parameter_is_400_naming_it(client, kb, endpoint):
    response = get(client, f"/api/{endpoint}/", vendr="cisco")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["vendr"]
    assert "Unknown query parameter" in body["vendr"][0]
    assert "page_size" in body["vendr"][0]


def test_unknown_parameter_on_detail_is_400(client, kb):
    response = get(client, "/api/vendors/cisco/", q="x")
    assert response.status_code == 400
    assert list(response.json()) == ["q"]
    assert get(client, "/api/vendors/cisco/", format="json").status_code == 200


@pytest.mark.parametrize(
    "url,param",
    [
        ("/api/programs/?status=bogus", "status"),
        ("/api/programs/?vendor=nobody", "vendor"),
        ("/api/programs/?vendor=draft-vendor", "vendor"),
        ("/api/programs/?year=abc", "year"),
        ("/api/programs/?year=99999", "year"),
        ("/api/programs/?sort=password", "sort"),
        ("/api/vendors/?runs_programs=maybe", "runs_programs"),
        ("/api/programs/?q=" + "x" * 201, "q"),
        ("/api/programs/?page=abc", "page"),
        ("/api/programs/?page=0", "page"),
        ("/api/programs/?page=-1", "page"),
        ("/api/programs/?page_size=0", "page_size"),
        ("/api/programs/?page_size=ten", "page_size"),
        ("/api/memberships/?current=perhaps", "current"),
    ],
)
def test_invalid_value_is_400_naming_the_parameter(client, kb, url, param):
    response = get(client, url)
    assert response.status_code == 400
    assert param in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/programs/?page=2",
        "/api/programs/?page=" + "9" * 40,
        "/api/vendors/nobody/",
        "/api/tiers/999999/",
        "/api/tiers/99999999999999999/",
        "/api/tiers/abc/",
        "/api/quotes/0/",
        "/api/nothing-here/",
        "/api/vendors/cisco/extra/",
    ],
)
def test_not_found_is_json_404(client, kb, url):
    response = get(client, url)
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


@pytest.mark.parametrize("url,param", [("/api/programs/?q=a%00b", "q"), ("/api/partners/?country=%00", "country")])
def test_nul_byte_is_a_json_400_naming_the_parameter(client, kb, url, param):
    response = get(client, url)
    assert response.status_code == 400
    assert "NUL byte" in response.json()[param][0]


def test_nul_byte_in_a_record_address_is_a_json_404(client, kb):
    response = get(client, "/api/vendors/a%00b/")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


def test_address_without_trailing_slash_redirects(client, kb):
    response = client.get("/api/vendors/cisco")
    assert response.status_code == 301
    assert response["Location"] == "/api/vendors/cisco/"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api/vendors/", "/api/vendors/cisco/", "/api/tiers/1/", "/api/schema/"])
def test_writes_are_refused(client, kb, method, url):
    response = getattr(client, method)(url, data="{}", content_type="application/json")
    assert response.status_code in (401, 403, 405)
    assert response.status_code == 405
    from programs.models import Program
    from vendors.models import Vendor

    assert Vendor.objects.filter(slug="cisco").exists() and Program.objects.count() == 4


def test_writes_are_refused_for_staff_too(editor_client, kb):
    response = editor_client.delete("/api/vendors/cisco/")
    assert response.status_code == 405


def test_unknown_record_message_follows_the_language(client, kb):
    english = client.get("/api/programs/no-such-program/", HTTP_ACCEPT_LANGUAGE="en")
    french = client.get("/api/programs/no-such-program/", HTTP_ACCEPT_LANGUAGE="fr")
    assert english.status_code == french.status_code == 404
    assert english.json()["detail"] == "No published record at this address."
    assert french.json()["detail"] == "Aucune fiche publiée à cette adresse."
