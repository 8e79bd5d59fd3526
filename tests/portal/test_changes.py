"""/changes/ and its Atom feeds: what changed in the published knowledge,
newest first, field by field; never a draft, never a staff user."""

import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from programs.models import Program, Tier
from tests.factories import ProgramFactory, TierFactory

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
