"""Record pages, compare, timeline precision, search, drafts, 404/500."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from kb.search import highlight
from programs.models import TierKind
from tests.factories import (
    BenefitFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramEventFactory,
    ProgramFactory,
    QuoteFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cpp():
    art = SourceFactory(title="Cisco CPP article", slug="art-002", language="fr")
    cisco = VendorFactory(name="Cisco")
    cisco.sources.add(art)
    program = ProgramFactory(name="Cloud Partner Program", acronym="CPP", slug="cpp", vendors=[cisco])
    program.sources.add(art)
    top = TierFactory(
        program=program, name="Gold", slug="gold", kind=TierKind.LEVEL, rank=2, requirements="Two certified engineers"
    )
    TierFactory(program=program, name="Silver", slug="silver", kind=TierKind.LEVEL, rank=1)
    builder = TierFactory(program=program, name="Builder", slug="builder", kind=TierKind.DESIGNATION, rank=None)
    builder.sources.add(art)
    benefit = BenefitFactory(program=program, title="Cloud financing", kind="financing")
    benefit.sources.add(art)
    person = PersonFactory(name="Bruno Dutriaux", slug="bruno-dutriaux", employer=cisco)
    QuoteFactory(person=person, source=art, program=program, vendor=cisco, text="Nous sommes un acteur du cloud")
    event = ProgramEventFactory(
        title="Worldwide launch", slug="cpp-launch", kind="launch", program=program, date_text="May, June and July"
    )
    event.sources.add(art)
    return {"program": program, "source": art, "cisco": cisco, "top": top, "builder": builder, "person": person}


def test_program_page_shows_ladder_designations_quotes_sources(client, cpp):
    html = client.get("/programs/cpp/").content.decode()
    # Levels: an ordered ladder, top rung first; designations a separate combinable set.
    ladder = html[html.index('class="ladder"') : html.index('id="h-designations"')]
    assert ladder.index("Gold") < ladder.index("Silver")
    assert "Two certified engineers" in ladder
    designations = html[html.index('id="h-designations"') : html.index('id="h-benefits"')]
    assert "Builder" in designations and "combinable" in designations
    assert "Cloud financing" in html
    assert 'lang="fr"' in html and "Nous sommes un acteur du cloud" in html and "Bruno Dutriaux" in html
    assert "Worldwide launch" in html and "May, June and July" in html
    assert html.count("Cisco CPP article") >= 4  # program, designation, benefit, event, sources
    assert "None" not in html
    assert "not stated in the sources" in html  # e.g. route to market, scope


def test_tier_page(client, cpp):
    r = client.get("/programs/cpp/gold/")
    html = r.content.decode()
    assert "Level (rank 2) of" in html and "Two certified engineers" in html and "Builder" in html
    assert client.get("/programs/cpp/nope/").status_code == 404


def test_source_page_lists_every_fact_citing_it(client, cpp):
    html = client.get("/sources/art-002/").content.decode()
    for text in (
        "Cloud Partner Program",
        "Builder",
        "Cloud financing",
        "Worldwide launch",
        "Cisco",
        "Nous sommes un acteur du cloud",
    ):
        assert text in html


def test_vendor_person_event_partner_pages(client, cpp):
    html = client.get("/vendors/cisco/").content.decode()
    assert "Cloud Partner Program" in html and "Bruno Dutriaux" in html and "Worldwide launch" in html
    html = client.get("/people/bruno-dutriaux/").content.decode()
    assert "Nous sommes un acteur du cloud" in html and 'lang="fr"' in html and "Cisco CPP article" in html
    html = client.get("/programs/events/cpp-launch/").content.decode()
    assert "May, June and July" in html and "Cisco CPP article" in html
    partner = PartnerFactory(name="Acme", slug="acme", country="")
    MembershipFactory(partner=partner, tier=cpp["builder"])
    html = client.get("/partners/acme/").content.decode()
    assert "Builder" in html and "Cloud Partner Program" in html and "not stated in the sources" in html


def test_drafts_are_404_and_hidden_everywhere(client, cpp):
    draft = ProgramFactory(name="Hush program", slug="hush", vendors=[cpp["cisco"]], is_published=False)
    draft.sources.add(cpp["source"])
    TierFactory(program=draft, slug="t1")
    ProgramEventFactory(title="Hush launch", slug="hush-launch", program=draft)
    VendorFactory(name="Hush vendor", slug="hush-vendor", is_published=False)
    assert client.get("/programs/hush/").status_code == 404
    assert client.get("/programs/hush/t1/").status_code == 404
    assert client.get("/programs/events/hush-launch/").status_code == 404
    assert client.get("/vendors/hush-vendor/").status_code == 404
    for url in (
        "/",
        "/programs/",
        "/vendors/cisco/",
        "/sources/art-002/",
        "/timeline/",
        "/search/?q=hush",
        "/programs/?export=json",
        "/timeline/?export=csv",
    ):
        r = client.get(url)
        body = b"".join(r.streaming_content) if r.streaming else r.content
        assert b"Hush" not in body, url


def test_compare_two_programs(client, cpp):
    ProgramFactory(name="Frontline", slug="frontline")
    r = client.get("/programs/compare/?p=cpp&p=frontline")
    html = r.content.decode()
    assert r.status_code == 200
    assert [p.slug for p in r.context["programs"]] == ["cpp", "frontline"]
    for row in (
        "Vendors",
        "Status",
        "Route to market",
        "Levels (ladder)",
        "Designations (combinable)",
        "Benefits",
        "Key dates",
        "Sources",
    ):
        assert row in html
    assert "Gold" in html and "Builder" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ("p=cpp", "Pick two to four programs"),
        ("p=cpp&p=cpp", "Pick two to four programs"),
        ("p=cpp&p=ghost", "ghost"),
        ("p=a&p=b&p=c&p=d&p=e", "at most 4"),
        ("p=cpp&p=%3Cb%3E", "&lt;b&gt;"),
    ],
)
def test_compare_bad_selection_says_why(client, cpp, query, message):
    r = client.get("/programs/compare/?" + query)
    assert r.status_code == 400
    assert message in r.content.decode()


def test_compare_without_selection_shows_the_picker(client, cpp):
    r = client.get("/programs/compare/")
    assert r.status_code == 200 and 'name="p" value="cpp"' in r.content.decode()


def test_program_list_has_compare_checkboxes(client, cpp):
    html = client.get("/programs/").content.decode()
    assert 'action="/programs/compare/"' in html and 'name="p" value="cpp"' in html


def test_timeline_precision(client):
    v = VendorFactory(name="Microsoft")
    ProgramEventFactory(
        title="WPC",
        vendor=v,
        program=None,
        start_date=datetime.date(2010, 7, 11),
        end_date=datetime.date(2010, 7, 15),
        precision="day",
    )
    ProgramEventFactory(
        title="Launch window",
        vendor=v,
        program=None,
        start_date=datetime.date(2010, 5, 1),
        end_date=datetime.date(2010, 7, 31),
        precision="month",
    )
    ProgramEventFactory(
        title="Fiscal Q4", vendor=v, program=None, start_date=datetime.date(2011, 4, 1), precision="quarter"
    )
    ProgramEventFactory(title="Someday", vendor=v, program=None, date_text="from the start of the school year")
    html = client.get("/timeline/").content.decode()
    assert "11–15 July 2010" in html
    assert "May – July 2010" in html
    assert "Q2 2011" in html and "2011, month not stated" in html
    assert "Year not stated in the sources" in html and "from the start of the school year" in html
    assert html.index("May – July 2010") < html.index("11–15 July 2010") < html.index("Q2 2011") < html.index("Someday")


def test_search_is_accent_and_case_insensitive_and_grouped(client, cpp):
    cpp["builder"].requirements = "Valide les compétences du partenaire"
    cpp["builder"].save()
    r = client.get("/search/?q=COMPETENCES")
    html = r.content.decode()
    assert r.status_code == 200
    assert [kind.key for kind, _n, _rows in r.context["groups"]] == ["tiers"]
    assert "<mark>compétences</mark>" in html


def test_search_groups_names_before_descriptions(client, cpp):
    VendorFactory(name="Other", summary="Works with Cisco")
    r = client.get("/search/?q=cisco")
    vendors = next(rows for kind, _n, rows in r.context["groups"] if kind.key == "vendors")
    assert [v["title"] for v in vendors] == ["Cisco", "Other"]
    keys = [kind.key for kind, _n, _rows in r.context["groups"]]
    assert "vendors" in keys and "sources" in keys


def test_search_highlight_escapes_first():
    out = highlight('<script>alert("cloud")</script> Clôud', "cloud")
    assert "<script>" not in out
    assert out == "&lt;script&gt;alert(&quot;<mark>cloud</mark>&quot;)&lt;/script&gt; <mark>Clôud</mark>"


@pytest.mark.parametrize("q", ["", "<b>", "a" * 5000, "%22%27", "***"])
def test_search_odd_queries(client, cpp, q):
    r = client.get("/search/?q=" + q, follow=True)  # "" and too long: redirected to the canonical address
    assert r.status_code == 200
    assert "<b>" not in r.content.decode().split("<main", 1)[1]


def test_search_box_on_every_page(client, cpp):
    for url in ("/", "/programs/", "/programs/cpp/", "/timeline/", "/sources/art-002/"):
        assert 'action="/search/"' in client.get(url).content.decode()


def test_404_page_is_friendly(client):
    r = client.get("/programs/does-not-exist/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "Page not found" in html and 'action="/search/"' in html


def test_500_template_needs_no_context():
    html = render_to_string("500.html")
    assert "Something went wrong" in html


@override_settings(DEBUG=False)
def test_500_page_is_served_on_error(client, monkeypatch):
    from programs import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.ProgramListView, "get", boom)
    client.raise_request_exception = False
    r = client.get("/programs/")
    assert r.status_code == 500 and b"Something went wrong" in r.content


def test_no_inline_scripts_or_styles(client, cpp):
    for url in (
        "/",
        "/programs/",
        "/programs/cpp/",
        "/programs/compare/?p=cpp&p=cpp",
        "/search/?q=cloud",
        "/timeline/",
        "/nope/",
    ):
        html = client.get(url).content.decode()
        assert "<script" not in html and "style=" not in html and "<style" not in html, url


def test_draft_vendor_of_a_published_program_is_hidden(client, cpp):
    hidden = VendorFactory(name="Hush vendor", slug="hush-vendor", is_published=False)
    cpp["program"].vendors.add(hidden)
    for url in ("/", "/programs/", "/programs/cpp/", "/programs/compare/?p=cpp&p=cpp", "/programs/?export=csv"):
        r = client.get(url)
        body = b"".join(r.streaming_content) if r.streaming else r.content
        assert b"Hush" not in body, url


def test_a_draft_employer_is_not_shown(client):
    from tests.factories import PersonFactory, VendorFactory

    person = PersonFactory(name="Jane Doe", employer=VendorFactory(name="Secret Corp", is_published=False))
    body = client.get(person.get_absolute_url()).content.decode()
    assert "Jane Doe" in body and "Secret Corp" not in body
