"""Evidence in the API: every record's JSON gives its passages; /api/passages/
lists them (filterable) and answers as W3C Web Annotations on
``Accept: application/ld+json``; the OpenAPI schema documents both."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Program
from sources.models import Passage, evidenced_models
from tests.factories import PassageFactory, ProgramFactory, TierFactory

pytestmark = pytest.mark.django_db
LD = "application/ld+json"


@pytest.fixture
def knowledge(shipped_knowledge, db):
    """The shipped knowledge, loaded once for the session (tests/conftest.py)."""


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return response


def test_a_programs_json_gives_its_passages(client, knowledge):
    data = get(client, "/api/programs/frontline/").json()
    route = [p for p in data["passages"] if p["field"] == "route_to_market"]
    assert data["route_to_market"] == "disputed"
    proctor = next(
        p for p in route if p["claimed_by"] and p["claimed_by"]["slug"] == "don-proctor" and "en direct" in p["exact"]
    )
    assert "commercialisés en direct par les deux entreprises" in proctor["exact"]
    assert proctor["stance"] == "supports"
    assert proctor["claimed_by"]["type"] == "person"
    assert proctor["claimed_by"]["url"] == "http://testserver/api/people/don-proctor/"
    assert proctor["source"] == "http://testserver/api/sources/art-000/"
    assert proctor["html_url"] == f"http://testserver/sources/art-000/#passage-{proctor['id']}"
    assert proctor["anchored"] is True
    lewis = next(p for p in route if p["claimed_by"] and p["claimed_by"]["slug"] == "mark-lewis")
    assert lewis["stance"] == "disputes" and "partner network" in lewis["claim"]
    # nested benefits carry theirs too
    assert all(benefit["passages"] for benefit in data["benefits"])


def test_every_record_endpoint_gives_passages(client, knowledge):
    for url in (
        "/api/vendors/cisco/",
        "/api/people/mark-lewis/",
        "/api/events/microsoft-wpc-washington/",
        "/api/focus-areas/cloud-computing/",
        f"/api/tiers/{Program.objects.get(slug='cpp').tiers.get(slug='builder').pk}/",
    ):
        data = get(client, url).json()
        assert data["passages"], url
        assert all(p["exact"] and p["source_title"] for p in data["passages"])


def test_derived_dates_and_quote_wording_in_the_api(client, knowledge):
    event = get(client, "/api/events/microsoft-wpc-washington/").json()
    assert event["date_derived"] is True and "2010-2011" in event["date_derivation"]
    assert event["precision"] == "day"
    program = get(client, "/api/programs/microsoft-cloud-partner-program/").json()
    assert program["launch_derived"] is True and program["launch_derivation"]
    quotes = get(client, "/api/quotes/?person=mark-lewis").json()["results"]
    assert quotes[0]["wording"] == "translation" and quotes[0]["wording_note"]
    chambers = get(client, "/api/quotes/?person=john-chambers").json()["results"]
    assert {q["text"]: q["wording"] for q in chambers}["We compete with HP"] == "own"


def test_passage_list_filters(client, knowledge):
    everything = get(client, "/api/passages/?page_size=200").json()
    assert everything["count"] == Passage.objects.count()
    route = get(client, "/api/passages/?source=art-000&model=program&field=route_to_market").json()
    assert route["count"] == 4
    assert {p["record"]["name"] for p in route["results"]} == {"Frontline"}
    record = route["results"][0]["record"]
    assert record["type"] == "program" and record["url"] == "http://testserver/api/programs/frontline/"
    assert record["html_url"] == "http://testserver/programs/frontline/"
    tiers = get(client, "/api/passages/?model=tier&field=requirements").json()
    assert tiers["count"] == 3
    disputes = get(client, "/api/passages/?stance=disputes").json()
    assert disputes["count"] == 2
    whole = get(client, "/api/passages/?model=quote&field=").json()
    assert whole["count"] == Passage.objects.filter(content_type__model="quote").count()


@pytest.mark.parametrize("query", ["?model=unicorn", "?stance=maybe", "?colour=red", "?anchored=perhaps"])
def test_bad_passage_filters_are_a_400_naming_them(client, knowledge, query):
    response = client.get("/api/passages/" + query)
    assert response.status_code == 400
    assert query[1:].split("=")[0] in response.json()


def test_web_annotation_json_ld(client, knowledge):
    response = get(client, "/api/passages/?source=art-003&page_size=5", HTTP_ACCEPT=LD)
    assert response["Content-Type"].startswith(LD)
    page = response.json()
    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert page["type"] == "AnnotationPage"
    assert page["partOf"]["type"] == "AnnotationCollection"
    assert page["partOf"]["total"] == Passage.objects.filter(source__slug="art-003").count()
    assert page["startIndex"] == 0 and page["next"].endswith("page=2&page_size=5") or "page=2" in page["next"]
    annotation = page["items"][0]
    assert annotation["type"] == "Annotation"
    assert annotation["id"].startswith("http://testserver/api/passages/")
    target = annotation["target"]
    assert target["source"] == "http://testserver/sources/art-003/"
    quote, position = target["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    passage = Passage.objects.get(pk=annotation["id"].rstrip("/").rsplit("/", 1)[1])
    assert passage.source.text[position["start"] : position["end"]] == quote["exact"] == passage.exact
    assert quote["prefix"] == passage.prefix and quote["suffix"] == passage.suffix
    assert annotation["body"][0]["source"].startswith("http://testserver/")
    # one annotation on its own carries the context
    single = get(client, f"/api/passages/{passage.pk}/", HTTP_ACCEPT=LD).json()
    assert single["@context"] == "http://www.w3.org/ns/anno.jsonld" and single["type"] == "Annotation"
    # plain JSON stays the default, and the two are not mixed up by the cache
    plain = get(client, f"/api/passages/{passage.pk}/").json()
    assert "@context" not in plain and plain["exact"] == passage.exact
    assert "Accept" in get(client, f"/api/passages/{passage.pk}/")["Vary"]


def test_passages_of_drafts_are_not_listed(client, db):
    draft = ProgramFactory(is_published=False)
    PassageFactory(target=draft)
    shown = PassageFactory(target=ProgramFactory())
    data = get(client, "/api/passages/").json()
    assert [p["id"] for p in data["results"]] == [shown.pk]
    assert client.get(f"/api/passages/{Passage.objects.exclude(pk=shown.pk).get().pk}/").status_code == 404


def test_passage_list_query_count_does_not_grow(client, db):
    ContentType.objects.get_for_models(*evidenced_models())  # cached per process by Django
    for _ in range(2):
        PassageFactory(target=TierFactory().program)
        PassageFactory(target=TierFactory())
    with CaptureQueriesContext(connection) as before:
        get(client, "/api/passages/")
        get(client, "/api/passages/", HTTP_ACCEPT=LD)
    for _ in range(5):
        PassageFactory(target=TierFactory())
        PassageFactory(target=ProgramFactory())
    with CaptureQueriesContext(connection) as after:
        get(client, "/api/passages/")
        get(client, "/api/passages/", HTTP_ACCEPT=LD)
    assert len(after) == len(before)


def test_schema_documents_passages_and_json_ld(client):
    import yaml

    schema = yaml.safe_load(get(client, "/api/schema/").content)
    operation = schema["paths"]["/api/passages/"]["get"]
    assert {"application/json", LD} <= set(operation["responses"]["200"]["content"])
    names = {p["name"] for p in operation["parameters"]}
    assert {"source", "model", "field", "stance"} <= names
    program = schema["components"]["schemas"]["Program"]["properties"]
    assert "passages" in program and "launch_derived" in program
