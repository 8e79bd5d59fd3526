"""The admin review screen: upload, the text with its candidates, accept
(creates or links, with the passage, the source cited and history saying so),
accept twice (no duplicate), merge, reject, conflicts, bad uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge.models import ExtractedCandidate, Ingestion
from programs.models import Program, Tier
from sources.models import Passage, Quote, Source
from vendors.models import Person, Vendor

from .conftest import CPP, SEEDS

pytestmark = pytest.mark.django_db
ADD = "admin:knowledge_ingestion_add"


def upload(client, name=CPP, data=None, **extra):
    data = data if data is not None else (SEEDS / name).read_bytes()
    return client.post(reverse(ADD), {"file": SimpleUploadedFile(name, data), **extra})


def review_url(ingestion):
    return reverse("admin:knowledge_ingestion_review", args=[ingestion.pk])


def first(ingestion, kind, text=None):
    qs = ingestion.candidates.filter(kind=kind, status="pending")
    if text:
        qs = qs.filter(text=text)
    return qs.first()


def post(client, candidate, action="accept", **fields):
    data = {"candidate": candidate.pk, "action": action}
    data.update({f"c{candidate.pk}-{k}": v for k, v in fields.items()})
    return client.post(review_url(candidate.ingestion), data)


def test_upload_then_review_page_shows_the_text_with_highlights(editor_client):
    response = upload(editor_client)
    ingestion = Ingestion.objects.get()
    assert response.status_code == 302 and response.url == review_url(ingestion)
    page = editor_client.get(review_url(ingestion))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="ingest-mark kind-person' in html and "Bruno Dutriaux" in html
    assert 'class="ingest-mark kind-quote' in html and "kind-program" in html
    assert ingestion.source.is_published is False  # a draft until something is accepted


def test_accept_creates_the_record_with_its_passage_and_history(editor_client):
    upload(editor_client)
    ingestion = Ingestion.objects.get()
    source = ingestion.source
    person = first(ingestion, "person", "Bruno Dutriaux")
    response = post(editor_client, person, name="Bruno Dutriaux")
    assert response.status_code == 302
    bruno = Person.objects.get(name="Bruno Dutriaux")
    assert source in bruno.sources.all()
    passage = Passage.objects.get(object_id=bruno.pk, content_type__model="person")
    assert passage.exact == "Bruno Dutriaux" and source.text[passage.start : passage.end] == "Bruno Dutriaux"
    assert bruno.history.first().history_change_reason == f"from source {source.slug}"
    source.refresh_from_db()
    assert source.is_published
    # the person's page shows them at once
    assert editor_client.get(bruno.get_absolute_url()).status_code == 200
    # accepting again links, never duplicates
    person.refresh_from_db()
    assert person.status == "accepted"
    post(editor_client, person, name="Bruno Dutriaux")
    assert Person.objects.filter(name="Bruno Dutriaux").count() == 1
    assert Passage.objects.filter(object_id=bruno.pk, content_type__model="person").count() == 1


def test_program_then_its_designations_and_a_quote(editor_client):
    upload(editor_client)
    ingestion = Ingestion.objects.get()
    post(editor_client, first(ingestion, "organisation", "Cisco"), name="Cisco")
    cisco = Vendor.objects.get(name="Cisco")
    program = first(ingestion, "program", "Cloud partner program")
    post(editor_client, program, name="Cloud Partner Program", acronym="CPP", vendor=cisco.pk)
    cpp = Program.objects.get(acronym="CPP")
    assert list(cpp.vendors.all()) == [cisco]
    # every mention of the program (CPP, Cloud partner program) was accepted with it
    assert not ingestion.candidates.filter(kind="program", status="pending").exists()
    builder = first(ingestion, "tier", "builder")
    page = editor_client.get(review_url(ingestion)).content.decode()
    assert f'<option value="{cpp.pk}" selected>' in page  # the tier's program is filled in
    post(editor_client, builder, name="Builder", tier_kind="designation", program=cpp.pk)
    tier = Tier.objects.get(program=cpp, name="Builder")
    assert tier.kind == "designation"
    post(editor_client, first(ingestion, "person", "Bruno Dutriaux"), name="Bruno Dutriaux", employer=cisco.pk)
    bruno = Person.objects.get(name="Bruno Dutriaux")
    quote = first(ingestion, "quote")
    post(editor_client, quote, person=bruno.pk, program=cpp.pk, vendor=cisco.pk, language="fr")
    saved = Quote.objects.get()
    assert saved.person == bruno and saved.source == ingestion.source and saved.text.startswith("CPP correspond")
    passage = Passage.objects.get(content_type__model="quote")
    assert passage.claimed_by_person == bruno


def test_a_tier_without_program_is_refused_with_a_message(editor_client):
    upload(editor_client)
    ingestion = Ingestion.objects.get()
    tier = first(ingestion, "tier", "builder")
    response = post(editor_client, tier, name="Builder", tier_kind="designation", program="")
    assert response.status_code == 200
    assert "Choose the program this tier belongs to" in response.content.decode()
    assert not Tier.objects.exists()


def test_merge_with_an_existing_record(editor_client):
    hp = Vendor.objects.create(name="Hewlett-Packard", slug="hewlett-packard")
    upload(editor_client, "000_316c756e54df9e0a.txt")
    ingestion = Ingestion.objects.get()
    post(editor_client, first(ingestion, "organisation", "HP"), name="HP", merge_with=hp.pk)
    assert Vendor.objects.count() == 1
    assert ingestion.source in hp.sources.all()
    assert Passage.objects.filter(object_id=hp.pk, content_type__model="vendor", exact="HP").exists()


def test_reject(editor_client):
    upload(editor_client, "000_316c756e54df9e0a.txt")
    ingestion = Ingestion.objects.get()
    bush = first(ingestion, "person", "Georges Bush")
    post(editor_client, bush, action="reject")
    bush.refresh_from_db()
    assert bush.status == "rejected" and not Person.objects.exists()


def test_a_matched_record_changed_meanwhile_is_refused_with_what_changed(loaded_knowledge, editor_client, tmp_path):
    upload(editor_client, "news.txt", b"Cisco annonce un nouveau programme de partenariat pour le cloud.")
    ingestion = Ingestion.objects.get()
    cisco_candidate = first(ingestion, "organisation", "Cisco")
    cisco = Vendor.objects.get(slug="cisco")
    seen = cisco.version
    cisco.summary = "Changed by someone else"
    cisco.save()
    response = post(editor_client, cisco_candidate, name="Cisco", record_version=seen)
    html = response.content.decode()
    assert response.status_code == 200
    assert "while you were editing it" in html and "Changed by someone else" in html
    assert not Passage.objects.filter(source=ingestion.source).exists()
    # with the current version it links
    post(editor_client, cisco_candidate, name="Cisco", record_version=Vendor.objects.get(slug="cisco").version)
    assert Passage.objects.filter(source=ingestion.source, object_id=cisco.pk).exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "not a file type that can be read"),
        ("de.txt", b"Das neue Partnerprogramm startet im Juli weltweit mit drei Stufen.", "language"),
    ],
)
def test_bad_uploads_get_a_message_and_create_nothing(editor_client, name, data, message):
    response = upload(editor_client, name, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Source.objects.exists() and not Ingestion.objects.exists()


def test_pasted_text_and_duplicates(editor_client):
    text = (SEEDS / CPP).read_text(encoding="utf-8")
    editor_client.post(reverse(ADD), {"text": text, "title": "CPP"})
    source = Source.objects.get()
    assert source.title == "CPP"
    response = editor_client.post(reverse(ADD), {"text": text.replace("\n", "\n\n")})
    assert "already in the knowledge base" in response.content.decode() and source.slug in response.content.decode()
    assert Source.objects.count() == 1


def test_over_the_size_limit(editor_client, settings):
    settings.SOURCE_UPLOAD_MAX_SIZE = 1000
    response = upload(editor_client)
    assert "over the limit" in response.content.decode()
    assert not Source.objects.exists()


def test_review_in_french(editor_client):
    upload(editor_client)
    ingestion = Ingestion.objects.get()
    editor_client.cookies.load({"django_language": "fr"})
    html = editor_client.get(review_url(ingestion), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Accepter" in html and "Rejeter" in html and "Trouvé dans le texte" in html


def test_anonymous_and_plain_staff_cannot_review(client, django_user_model):
    assert client.get(reverse(ADD)).status_code == 302  # to the login page
    user = django_user_model.objects.create_user("visitor", password="pw-visitor-123", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(ADD)).status_code == 403


def test_candidates_survive_reloads(editor_client):
    upload(editor_client)
    ingestion = Ingestion.objects.get()
    n = ExtractedCandidate.objects.filter(ingestion=ingestion).count()
    editor_client.get(review_url(ingestion))
    editor_client.get(review_url(ingestion))
    assert ExtractedCandidate.objects.filter(ingestion=ingestion).count() == n > 20


def shown_form(client, candidate):
    """The review form of ``candidate`` as the page renders it."""
    page = client.get(review_url(candidate.ingestion))
    return next(row["form"] for row in page.context["rows"] if row["candidate"].pk == candidate.pk)


def merge_option(form, record):
    """The value the page's "merge with" list gives ``record`` (its pk and version as shown)."""
    return next(value for value, label in form["merge_with"].field.choices if label == str(record))


def test_merge_into_an_unchanged_record_checks_that_record_not_the_matched_one(editor_client):
    cisco = Vendor.objects.create(name="Cisco", slug="cisco")  # version 1
    hp = Vendor.objects.create(name="Hewlett-Packard", slug="hewlett-packard")
    for summary in ("One", "Two"):
        hp.summary = summary
        hp.save()
    assert (cisco.version, hp.version) == (1, 3)
    upload(editor_client, "000_316c756e54df9e0a.txt")
    ingestion = Ingestion.objects.get()
    candidate = first(ingestion, "organisation", "Cisco")
    assert candidate.match_slug == "cisco"
    form = shown_form(editor_client, candidate)
    response = post(
        editor_client,
        candidate,
        name="Cisco",
        record_version=form["record_version"].value(),  # the matched record's (Cisco's) version
        merge_with=merge_option(form, hp),
    )
    assert response.status_code == 302, response.context and response.context["rows"]
    assert Passage.objects.filter(object_id=hp.pk, content_type__model="vendor", exact="Cisco").exists()
    assert not Passage.objects.filter(object_id=cisco.pk, content_type__model="vendor").exists()


def test_merge_into_a_record_changed_meanwhile_is_refused_with_what_changed(editor_client):
    hp = Vendor.objects.create(name="Hewlett-Packard", slug="hewlett-packard")
    upload(editor_client, "000_316c756e54df9e0a.txt")
    ingestion = Ingestion.objects.get()
    candidate = first(ingestion, "organisation", "HP")
    assert not candidate.match_slug  # no match: the version comes from the merge list alone
    form = shown_form(editor_client, candidate)
    option = merge_option(form, hp)
    hp.summary = "Changed by someone else"
    hp.save()
    response = post(editor_client, candidate, name="HP", merge_with=option)
    html = response.content.decode()
    assert response.status_code == 200
    assert "while you were editing it" in html and "Changed by someone else" in html
    assert not Passage.objects.filter(source=ingestion.source).exists()
    # the input is kept, now based on the latest version: accepting again is deliberate, and links
    kept = next(row["form"] for row in response.context["rows"] if row["candidate"].pk == candidate.pk)
    again = kept.data[kept.add_prefix("merge_with")]
    assert again == f"{hp.pk}@{Vendor.objects.get(pk=hp.pk).version}"
    assert post(editor_client, candidate, name="HP", merge_with=again).status_code == 302
    assert Passage.objects.filter(object_id=hp.pk, content_type__model="vendor", exact="HP").exists()


def test_an_accepted_date_is_evidenced_field_by_field(editor_client):
    from programs.models import ProgramEvent
    from sources.admin_evidence import needs_evidence

    cisco = Vendor.objects.create(name="Cisco", slug="cisco")
    text = "Cisco réunira ses partenaires à Boston du 11 au 15 juillet 2010 pour son Partner Summit."
    editor_client.post(reverse(ADD), {"text": text, "title": "Summit"})
    ingestion = Ingestion.objects.get()
    date = first(ingestion, "date")
    assert date.text == "du 11 au 15 juillet 2010"
    response = post(
        editor_client,
        date,
        title="Cisco Partner Summit",
        event_kind="other",
        vendor=cisco.pk,
        start_date="2010-07-11",
        end_date="2010-07-15",
        precision="day",
        date_text=date.text,
    )
    assert response.status_code == 302, [
        r["form"].errors for r in response.context["rows"] if r.get("form") and r["form"].errors
    ]
    event = ProgramEvent.objects.get()
    assert (str(event.start_date), str(event.end_date)) == ("2010-07-11", "2010-07-15")
    fields = set(event.passages.values_list("field", flat=True))
    assert {"start_date", "end_date"} <= fields
    assert event.unevidenced() == []
    listed = [(s["model"], str(item["object"])) for s in needs_evidence() for item in s["records"] + s["fields"]]
    assert not [entry for entry in listed if entry[1] == str(event)], listed


def test_a_focus_area_is_created_and_given_to_the_program_of_the_same_source(editor_client):
    from programs.models import FocusArea

    upload(editor_client)
    ingestion = Ingestion.objects.get()
    post(editor_client, first(ingestion, "organisation", "Cisco"), name="Cisco")
    cisco = Vendor.objects.get(name="Cisco")
    post(
        editor_client,
        first(ingestion, "program", "Cloud partner program"),
        name="Cloud Partner Program",
        vendor=cisco.pk,
    )
    cpp = Program.objects.get(name="Cloud Partner Program")
    cloud = first(ingestion, "focus_area")
    assert cloud.text.casefold() == "cloud" and cloud.value["name"] == "Cloud computing"
    assert cloud.start < first(ingestion, "tier").start  # named before the program: the program is still found
    form = shown_form(editor_client, cloud)
    assert str(form["program"].value()) == str(cpp.pk) and form["name"].value() == "Cloud computing"
    assert post(editor_client, cloud, name="Cloud computing", program=cpp.pk).status_code == 302
    area = FocusArea.objects.get()
    assert area.name == "Cloud computing" and list(cpp.focus_areas.all()) == [area]
    assert Passage.objects.filter(object_id=area.pk, content_type__model="focusarea").exists()
    assert cpp.history.first().history_change_reason == f"from source {ingestion.source.slug}"
    # every mention of "cloud" was accepted with it
    assert not ingestion.candidates.filter(kind="focus_area", value__name="Cloud computing", status="pending").exists()


def test_a_focus_area_matches_its_record_in_french(editor_client):
    from programs.models import FocusArea

    managed = FocusArea.objects.create(name="Managed services", slug="managed-services")
    upload(editor_client, "000_316c756e54df9e0a.txt")
    ingestion = Ingestion.objects.get()
    candidate = first(ingestion, "focus_area", "services managés")
    assert candidate.match_slug == "managed-services"
    assert post(editor_client, candidate, name="Managed services").status_code == 302
    assert FocusArea.objects.get() == managed
    assert Passage.objects.filter(
        object_id=managed.pk, content_type__model="focusarea", exact="services managés"
    ).exists()
