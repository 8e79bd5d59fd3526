"""A focus area only drafts use is not public: not in the API, not a filter
value of the program list."""

import pytest

from tests.factories import FocusAreaFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    cloud = FocusAreaFactory(name="Cloud", slug="cloud")
    secret = FocusAreaFactory(name="Secret plan", slug="secret-plan")
    FocusAreaFactory(name="Unused", slug="unused")
    ProgramFactory(name="Public").focus_areas.add(cloud)
    ProgramFactory(name="Draft", is_published=False).focus_areas.add(secret, cloud)
    return cloud, secret


def test_api_lists_only_focus_areas_of_published_programs(client, areas):
    slugs = [row["slug"] for row in client.get("/api/focus-areas/").json()["results"]]
    assert slugs == ["cloud"]
    assert client.get("/api/focus-areas/secret-plan/").status_code == 404
    assert client.get("/api/focus-areas/cloud/").status_code == 200


def test_program_filter_does_not_know_a_draft_only_focus_area(client, areas):
    page = client.get("/programs/", {"focus_area": "secret-plan"})
    assert "focus_area" in page.context["filter_errors"]
    assert "Secret plan" not in page.content.decode()
    assert client.get("/api/programs/", {"focus_area": "secret-plan"}).status_code == 400
