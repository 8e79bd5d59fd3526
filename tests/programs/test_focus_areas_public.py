"""A focus area only drafts use is not public: not in the API, not a filter
value of the program list, not found by the site search (until a published
program has it; and no longer once its last published program is gone)."""

import pytest
from django.utils.html import strip_tags

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


def searched(client, query):
    """The search results page's text (the matched words are marked)."""
    return strip_tags(client.get("/search/", {"q": query}).content.decode())


def test_search_does_not_find_a_draft_only_focus_area(client, areas):
    cloud, secret = areas
    assert "Secret plan" not in searched(client, "secret plan")
    assert "Cloud" in searched(client, "cloud")
    # Published, the draft makes its area public; unpublished or deleted, no longer.
    draft = secret.programs.get()
    draft.is_published = True
    draft.save()
    assert "Secret plan" in searched(client, "secret plan")
    draft.is_published = False
    draft.save()
    assert "Secret plan" not in searched(client, "secret plan")
    public = cloud.programs.get(is_published=True)
    public.focus_areas.add(secret)
    assert "Secret plan" in searched(client, "secret plan")
    public.delete()
    assert "Secret plan" not in searched(client, "secret plan")
    assert "Cloud" not in searched(client, "cloud")
