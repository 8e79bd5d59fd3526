"""/changes/ and its Atom feeds: what changed in the published knowledge,
newest first, field by field; never a draft, never a staff user."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from portal.changes import ChangeLog
from programs.models import Program, Tier
from tests.factories import PartnerFactory, ProgramFactory, SourceFactory, TierFactory, VendorFactory
from vendors.models import Vendor

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def shipped(db):
    call_command("load_knowledge", verbosity=0)


def first_change(client, query=""):
    r = client.get("/changes/" + query)
    assert r.status_code == 200
    return r.context["changes"][0]


def feed(client, url, **headers):
    r = client.get(url, **headers)
    assert r.status_code == 200, url
    assert r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_changes_page_lists_the_shipped_knowledge(client, shipped, lang):
    r = client.get("/changes/", HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 200
    html = r.content.decode()
    assert ("New record." if lang == "en" else "Nouvel enregistrement.") in html
    assert r.context["result_count"] > 40
    assert 'rel="alternate" type="application/atom+xml"' in html and 'href="/changes/feed/"' in html
    dates = [c.date for c in r.context["changes"]]
    assert dates == sorted(dates, reverse=True)  # newest first
    # Machine-readable dates as HTML allows them (no microseconds: the Nu checker refused six digits).
    stamps = re.findall(r'<time datetime="([^"]*)"', html)
    assert len(stamps) == len(dates)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", s) for s in stamps), stamps[:2]


def test_an_edit_shows_old_and_new_values_of_public_fields_only(client, shipped, django_user_model):
    staff = django_user_model.objects.create_user("secret-editor", is_staff=True)
    program = Program.objects.get(slug="cpp")
    program._history_user = staff
    program.summary = "A new summary"
    program.status = "active"
    program.save()
    change = first_change(client)
    assert change.title == "Cloud Partner Program" and not change.created
    fields = {f["name"]: (f["old"], f["new"]) for f in change.fields}
    assert fields["status"] == ("announced", "active")
    assert fields["summary_en"][1] == "A new summary"  # the English text (kb.translation)
    assert set(fields) == {"status", "summary_en"}  # no version, timestamps or flags
    html = client.get("/changes/").content.decode()
    assert "secret-editor" not in html
    assert "A new summary" in html and 'href="/programs/cpp/"' in html
    fr = client.get("/changes/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "annoncé" in fr and "actif" in fr  # labels in the reader's language


def test_a_change_to_a_draft_never_appears(client, shipped):
    draft = ProgramFactory(name="Secret draft program", slug="secret", is_published=False)
    draft.summary = "Secret summary"
    draft.save()
    TierFactory(program=draft, name="Secret tier", slug="secret-tier")
    cpp = Program.objects.get(slug="cpp")
    cpp.is_published = False
    cpp.summary = "Draft wording of CPP"
    cpp.save()
    pages = [
        client.get(url).content.decode()
        for url in (
            "/changes/",
            "/changes/?kind=program",
            "/changes/?kind=tier",
            "/changes/feed/",
            "/changes/feed/vendor/cisco/",
        )
    ]
    for text in pages:
        assert "Secret" not in text and "Draft wording" not in text
    assert client.get("/changes/feed/program/secret/").status_code == 404
    assert client.get("/changes/feed/program/cpp/").status_code == 404  # a draft now


def test_republishing_compares_with_the_last_public_version(client, shipped):
    cpp = Program.objects.get(slug="cpp")
    old_summary = cpp.summary
    cpp.is_published = False
    cpp.summary = "Intermediate draft"
    cpp.save()
    cpp.summary = "Final wording"
    cpp.save()
    cpp.is_published = True
    cpp.save()
    change = first_change(client)
    assert {f["name"]: (f["old"], f["new"]) for f in change.fields} == {"summary_en": (old_summary, "Final wording")}
    assert "Intermediate draft" not in client.get("/changes/").content.decode()


def test_filters_by_kind_vendor_and_program(client, shipped):
    tiers = client.get("/changes/?kind=tier").context["changes"]
    assert tiers and {c.kind.key for c in tiers} == {"tier"}
    cpp = client.get("/changes/?program=cpp").context["changes"]
    assert cpp and all(c.kind.key in {"program", "tier", "benefit", "programevent", "quote", "membership"} for c in cpp)
    assert "Frontline" not in " ".join(c.title for c in cpp)
    hp = client.get("/changes/?vendor=hp").context
    titles = " ".join(c.title for c in hp["changes"])
    assert "Frontline" in titles and "Cloud Partner Program" not in titles
    assert 'href="/changes/feed/vendor/hp/"' in client.get("/changes/?vendor=hp").content.decode()


@pytest.mark.parametrize(
    "query", ["vendor=nope", "program=%C3%A9", "kind=bogus", "page=abc", "page=99999", "vendor=" + "x" * 300]
)
def test_bad_filters_are_shown_not_a_500(client, shipped, query):
    r = client.get("/changes/?" + query)
    assert r.status_code == 200


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_feeds_are_atom(client, shipped, lang):
    root, entries = feed(client, "/changes/feed/", HTTP_ACCEPT_LANGUAGE=lang)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert 0 < len(entries) <= 50
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    _root, cpp = feed(client, "/changes/feed/program/cpp/")
    assert cpp and all("Frontline" not in e.findtext(f"{ATOM}title") for e in cpp)
    _root, cisco = feed(client, "/changes/feed/vendor/cisco/")
    assert cisco
    assert client.get("/changes/feed/vendor/nope/").status_code == 404


def test_an_edit_reaches_the_program_feed(client, shipped):
    tier = Tier.objects.get(program__slug="cpp", slug="builder")
    tier.requirements = "Stated requirement"
    tier.save()
    _root, entries = feed(client, "/changes/feed/program/cpp/")
    assert "Builder" in entries[0].findtext(f"{ATOM}title")
    assert "Stated requirement" in entries[0].findtext(f"{ATOM}summary")


def test_pages_link_their_feeds(client, shipped):
    for url, href in [
        ("/", "/changes/feed/"),
        ("/programs/cpp/", "/changes/feed/program/cpp/"),
        ("/vendors/cisco/", "/changes/feed/vendor/cisco/"),
        ("/changes/?program=cpp", "/changes/feed/program/cpp/"),
    ]:
        html = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html and f'href="{href}"' in html, url


def test_a_vendor_added_to_a_program_shows_as_added_on_the_page_and_the_program_feed(client, shipped):
    cpp = Program.objects.get(slug="cpp")
    cpp.vendors.add(Vendor.objects.get(slug="hp"))
    change = first_change(client)
    assert change.title == "Cloud Partner Program" and not change.created
    assert [(f["name"], f["added"], f["removed"]) for f in change.fields] == [("vendors", ["HP"], [])]
    html = client.get("/changes/").content.decode()
    assert "added HP" in html
    assert "ajout de HP" in client.get("/changes/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    _root, entries = feed(client, "/changes/feed/program/cpp/")
    assert entries[0].findtext(f"{ATOM}title") == "Program: Cloud Partner Program"
    assert "added HP" in entries[0].findtext(f"{ATOM}summary")
    _root, hp = feed(client, "/changes/feed/vendor/hp/")
    assert "added HP" in hp[0].findtext(f"{ATOM}summary")  # the program is now HP's too
    cpp.vendors.remove(Vendor.objects.get(slug="hp"))
    change = first_change(client)
    assert [(f["name"], f["added"], f["removed"]) for f in change.fields] == [("vendors", [], ["HP"])]
    assert "removed HP" in client.get("/changes/").content.decode()


def test_links_to_drafts_never_show(client, shipped):
    cpp = Program.objects.get(slug="cpp")
    cpp.sources.add(SourceFactory(title="Secret draft source", slug="secret-source", is_published=False))
    cpp.vendors.add(VendorFactory(name="Secret draft vendor", slug="secret-vendor", is_published=False))
    html = client.get("/changes/").content.decode() + client.get("/changes/feed/").content.decode()
    assert "Secret" not in html
    assert ChangeLog()[0:2] == []  # the two saves changed nothing public
    # A draft program's links never show either.
    draft = ProgramFactory(name="Secret draft program", slug="secret", is_published=False)
    draft.vendors.add(Vendor.objects.get(slug="hp"))
    assert "Secret" not in client.get("/changes/").content.decode()


def test_a_new_programs_links_show_as_its_values_when_published(client, shipped):
    program = ProgramFactory(name="Late program", slug="late", is_published=False, vendors=[])
    program.vendors.add(Vendor.objects.get(slug="hp"), Vendor.objects.get(slug="cisco"))
    program.is_published = True
    program.save()
    change = first_change(client)
    assert change.created and change.title == "Late program"
    fields = {f["name"]: f["new"] for f in change.fields}
    assert fields["vendors"] == "Cisco, HP"


def test_deleting_a_published_record_shows_deleted_with_its_last_public_name(client, shipped):
    partner = PartnerFactory(name="Gone Partner", slug="gone")
    partner.name = "Gone Partner SA"
    partner.save()
    partner.delete()
    change = first_change(client)
    assert change.deleted and change.title == "Gone Partner SA" and change.url == ""
    html = client.get("/changes/").content.decode()
    assert "Gone Partner SA" in html and "Deleted." in html
    assert 'href="/partners/gone/"' not in html
    assert "Supprimé." in client.get("/changes/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert [c.title for c in client.get("/changes/?kind=partner").context["changes"]].count("Gone Partner SA") == 1
    _root, entries = feed(client, "/changes/feed/")
    assert entries[0].findtext(f"{ATOM}title") == "Partner: Gone Partner SA (deleted)"
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://testserver/changes/#{change.guid}"
    # The deletion of a program reaches the feeds of the vendors that ran it.
    program = ProgramFactory(name="Short-lived program", slug="short", vendors=[Vendor.objects.get(slug="hp")])
    program.delete()
    _root, hp = feed(client, "/changes/feed/vendor/hp/")
    assert hp[0].findtext(f"{ATOM}title") == "Program: Short-lived program (deleted)"
    _root, cisco = feed(client, "/changes/feed/vendor/cisco/")
    assert "Short-lived" not in cisco[0].findtext(f"{ATOM}title")


def test_deleting_a_draft_shows_nothing(client, shipped):
    before = ChangeLog().count()
    PartnerFactory(name="Secret draft partner", slug="secret", is_published=False).delete()
    published_then_draft = PartnerFactory(name="Secret once public", slug="secret-2")
    published_then_draft.is_published = False
    published_then_draft.save()
    published_then_draft.delete()
    draft = ProgramFactory(name="Secret draft program", slug="secret-p", is_published=False, vendors=[])
    TierFactory(program=draft, name="Secret tier", slug="secret-tier").delete()
    pages = "".join(
        client.get(url).content.decode() for url in ("/changes/", "/changes/?kind=partner", "/changes/feed/")
    )
    assert "Secret" not in pages and "Deleted." not in pages
    assert ChangeLog().count() == before
