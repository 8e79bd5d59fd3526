"""Public list pages: filters in the URL, sort, pagination, counts, facets,
empty state, export of exactly the filtered rows, drafts hidden, bad input."""

import csv
import datetime
import io
import json

import pytest

from programs.models import TierKind
from tests.factories import (
    FocusAreaFactory,
    PartnerFactory,
    ProgramEventFactory,
    ProgramFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    cisco, hp, ms = VendorFactory(name="Cisco"), VendorFactory(name="HP"), VendorFactory(name="Microsoft")
    cloud = FocusAreaFactory(name="Cloud computing")
    cpp = ProgramFactory(
        name="Cloud Partner Program", acronym="CPP", vendors=[cisco], status="active", route_to_market="indirect"
    )
    cpp.focus_areas.add(cloud)
    TierFactory(program=cpp, name="Builder", kind=TierKind.DESIGNATION, rank=None)
    mscp = ProgramFactory(name="Managed Services Channel Program", acronym="MSCP", vendors=[cisco])
    TierFactory(program=mscp, name="Master", kind=TierKind.LEVEL)
    frontline = ProgramFactory(name="Frontline", vendors=[hp, ms], status="active")
    draft = ProgramFactory(name="Secret draft program", vendors=[cisco], status="active", is_published=False)
    return {"cisco": cisco, "cpp": cpp, "mscp": mscp, "frontline": frontline, "draft": draft}


def names(response):
    return [p.name for p in response.context["object_list"]]


def facet(response, param):
    return {c["value"]: c["count"] for f in response.context["facets"] if f["param"] == param for c in f["choices"]}


def test_program_list_filters_and_counts(client, catalogue):
    r = client.get("/programs/")
    assert r.status_code == 200
    assert names(r) == ["Cloud Partner Program", "Frontline", "Managed Services Channel Program"]
    assert "3 results" in r.content.decode()
    assert "Secret draft program" not in r.content.decode()

    r = client.get("/programs/?vendor=cisco&status=active")
    assert names(r) == ["Cloud Partner Program"]
    assert "1 result" in r.content.decode()
    # Facet counts: each choice counts the rows matching every *other* filter.
    assert facet(r, "status") == {"announced": 1, "launching": 0, "active": 1, "retired": 0}
    assert facet(r, "vendor") == {"cisco": 1, "hp": 1, "microsoft": 1}


def test_facet_counts_exclude_drafts(client, catalogue):
    r = client.get("/programs/")
    assert facet(r, "vendor")["cisco"] == 2  # the draft is not counted
    assert facet(r, "tier_kind") == {"level": 1, "designation": 1}
    assert facet(r, "route")["unknown"] == 2


def test_program_list_focus_tier_kind_route_text(client, catalogue):
    assert names(client.get("/programs/?focus_area=cloud-computing")) == ["Cloud Partner Program"]
    assert names(client.get("/programs/?tier_kind=level")) == ["Managed Services Channel Program"]
    assert names(client.get("/programs/?route=unknown")) == ["Frontline", "Managed Services Channel Program"]
    assert names(client.get("/programs/?q=mscp")) == ["Managed Services Channel Program"]


def test_sort_and_sort_links(client, catalogue):
    r = client.get("/programs/?sort=-name")
    assert names(r) == ["Managed Services Channel Program", "Frontline", "Cloud Partner Program"]
    html = r.content.decode()
    assert 'aria-sort="descending"' in html
    assert "?sort=name" in html  # clicking again flips the order


def test_pagination_keeps_filters(client, catalogue):
    for i in range(55):
        ProgramFactory(name=f"Bulk {i:02d}", status="retired")
    r = client.get("/programs/?status=retired")
    assert len(r.context["object_list"]) == 50
    assert "55 results" in r.content.decode()
    assert "status=retired&amp;page=2" in r.content.decode()
    r2 = client.get("/programs/?status=retired&page=2")
    assert names(r2) == ["Bulk 50", "Bulk 51", "Bulk 52", "Bulk 53", "Bulk 54"]


def test_empty_state_says_what_to_change(client, catalogue):
    r = client.get("/programs/?status=retired")
    html = r.content.decode()
    assert "0 results" in html
    assert "Nothing matches these filters" in html and "clear all filters" in html


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=99999",
        "page=-1",
        "sort=bogus",
        "year=xx",
        "year=99999999",
        "status=active&status=active&status=retired",
        "vendor=nope",
        "q=" + "x" * 5000,
        "vendor=" + "a" * 500,
    ],
)
def test_bad_input_gives_a_normal_page(client, catalogue, query):
    r = client.get("/programs/?" + query)
    assert r.status_code == 200


@pytest.mark.parametrize("url", ["/programs/", "/vendors/", "/partners/", "/sources/", "/timeline/", "/search/"])
@pytest.mark.parametrize("query", ["q=%00abc", "focus_area=%00", "page=1%00", "vendor=%00&vendor=cisco"])
def test_nul_byte_is_refused_with_a_clear_400(client, catalogue, url, query):
    # utilities.middleware.RejectNulMiddleware: PostgreSQL cannot store NUL in text.
    r = client.get(url + "?" + query)
    assert r.status_code == 400
    assert "NUL byte" in r.content.decode()


def test_invalid_filter_shows_the_form_error(client, catalogue):
    html = client.get("/programs/?year=xx").content.decode()
    assert "not understood" in html and "Enter a whole number" in html


def test_export_csv_is_exactly_the_filtered_rows(client, catalogue):
    r = client.get("/programs/?vendor=cisco&sort=-name&export=csv")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    body = b"".join(r.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Slug", "Name", "Acronym"]
    assert [row[1] for row in rows[1:]] == ["Managed Services Channel Program", "Cloud Partner Program"]


def test_export_json_matches_the_page(client, catalogue):
    page = client.get("/programs/?status=active")
    r = client.get("/programs/?status=active&export=json")
    data = json.loads(r.content)
    assert [row["name"] for row in data] == names(page)
    assert data[0]["vendors"] == "Cisco"
    assert "Secret draft program" not in r.content.decode()


def test_export_unknown_format_or_bad_filter_is_400(client, catalogue):
    assert client.get("/programs/?export=xml").status_code == 400
    r = client.get("/programs/?export=csv&year=xx")
    assert r.status_code == 400 and b"year" in r.content


def test_partners_list_country_filter_and_export(client):
    PartnerFactory(name="Alpha", country="France")
    PartnerFactory(name="Beta", country="Germany")
    PartnerFactory(name="Hidden", country="France", is_published=False)
    r = client.get("/partners/?country=France")
    assert names(r) == ["Alpha"]
    assert facet(r, "country") == {"France": 1, "Germany": 1}
    data = json.loads(client.get("/partners/?country=France&export=json").content)
    assert [d["name"] for d in data] == ["Alpha"]


def test_vendors_list(client, catalogue):
    VendorFactory(name="Draft vendor", is_published=False)
    r = client.get("/vendors/?runs_programs=true")
    assert names(r) == ["Cisco", "HP", "Microsoft"]
    assert "Draft vendor" not in client.get("/vendors/").content.decode()


def test_sources_list(client):
    SourceFactory(title="Article en français", language="fr")
    SourceFactory(title="English article", language="en")
    SourceFactory(title="Draft article", is_published=False)
    r = client.get("/sources/?language=fr")
    assert [s.title for s in r.context["object_list"]] == ["Article en français"]
    assert facet(r, "language") == {"fr": 1, "en": 1}
    assert json.loads(client.get("/sources/?export=json&q=english").content)[0]["title"] == "English article"


def test_timeline_list_filters(client, catalogue):
    ProgramEventFactory(title="CPP launch", kind="launch", program=catalogue["cpp"])
    ProgramEventFactory(title="Frontline signed", kind="announcement", program=catalogue["frontline"])
    ProgramEventFactory(title="Draft event", kind="launch", program=catalogue["cpp"], is_published=False)
    ProgramEventFactory(title="Event of a draft program", kind="launch", program=catalogue["draft"])
    r = client.get("/timeline/?kind=launch")
    assert [e.title for e in r.context["object_list"]] == ["CPP launch"]
    r = client.get("/timeline/?vendor=hp")
    assert [e.title for e in r.context["object_list"]] == ["Frontline signed"]
    assert facet(client.get("/timeline/"), "vendor") == {"cisco": 1, "hp": 1, "microsoft": 1}


@pytest.mark.parametrize("url", ["/vendors/", "/partners/", "/sources/", "/timeline/"])
@pytest.mark.parametrize("query", ["page=abc", "page=99999", "sort=bogus", "year=xx", "kind=nope&kind=nope"])
def test_bad_input_on_every_list(client, catalogue, url, query):
    r = client.get(f"{url}?{query}")
    assert r.status_code == 200


def test_csv_export_neutralises_formulas(client):
    PartnerFactory(name='=HYPERLINK("http://evil")', country="France")
    body = b"".join(client.get("/partners/?export=csv").streaming_content).decode()
    assert "'=HYPERLINK" in body


def test_unknown_slugs_are_404(client, catalogue):
    for url in (
        "/programs/nope/",
        "/vendors/nope/",
        "/partners/nope/",
        "/people/nope/",
        "/sources/nope/",
        "/programs/events/nope/",
        "/programs/cloud-partner-program/nope/",
    ):
        assert client.get(url).status_code == 404, url


def test_relation_facet_counts_each_vendor_once(client):
    from tests.factories import VendorRelationFactory

    cisco, hp, ms = VendorFactory(name="Cisco"), VendorFactory(name="HP"), VendorFactory(name="Microsoft")
    # HP is on both sides of a rivalry: still one vendor.
    VendorRelationFactory(vendor=cisco, other_vendor=hp, kind="competition")
    VendorRelationFactory(vendor=hp, other_vendor=ms, kind="competition")
    r = client.get("/vendors/")
    listed = client.get("/vendors/?relation=competition").context["result_count"]
    assert facet(r, "relation")["competition"] == listed == 3


def test_timeline_sorted_by_title_is_one_flat_list(client):
    ProgramEventFactory(title="B event", start_date=datetime.date(2010, 7, 1), precision="day")
    ProgramEventFactory(title="A event")
    ProgramEventFactory(title="C event")
    by_date = client.get("/timeline/").content.decode()
    assert "<h2>2010</h2>" in by_date
    by_title = client.get("/timeline/?sort=title").content.decode()
    assert "<h2>" not in by_title.split('class="list-results"', 1)[1]
    listed = by_title.split('id="timeline-list"', 1)[1]  # the picture above draws them by date
    assert listed.index("A event") < listed.index("B event") < listed.index("C event")
