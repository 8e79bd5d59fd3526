"""HTTP caching and cached fragments (kb/caching.py): anonymous visitors of
public pages get ETag/Last-Modified and 304s; any staff save (model save,
admin POST, m2m change, bulk load) makes the next answer a fresh 200; admin
pages, logged-in users and cookie-setting responses are never cached."""

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import include, path, reverse

from kb import caching
from programs.models import Program
from tests.factories import FocusAreaFactory, ProgramFactory, SourceFactory

pytestmark = pytest.mark.django_db


def csrf_view(request):
    get_token(request)  # the CSRF middleware will set its cookie
    return HttpResponse("form")


def cookie_view(request):
    response = HttpResponse("hello")
    response.set_cookie("seen", "1")
    return response


urlpatterns = [
    path("test-csrf/", csrf_view),
    path("test-cookie/", cookie_view),
    path("", include("config.urls")),
]


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_anonymous_public_page_has_validators_and_answers_304(client):
    ProgramFactory(name="Cloud Partner Program")
    first = client.get("/programs/")
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('W/"kb-')
    assert first.has_header("Last-Modified")
    assert "no-cache" in first["Cache-Control"]
    vary = {v.strip().lower() for v in first["Vary"].split(",")}
    assert {"cookie", "accept-language"} <= vary

    again = get(client, "/programs/", if_none_match=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    since = get(client, "/programs/", if_modified_since=first["Last-Modified"])
    assert since.status_code == 304


def test_304_costs_one_query_and_no_view(client, django_assert_num_queries):
    ProgramFactory()
    etag = client.get("/programs/")["ETag"]
    with django_assert_num_queries(1):  # the stamp
        assert get(client, "/programs/", if_none_match=etag).status_code == 304


def test_head_is_cached_too(client):
    ProgramFactory()
    etag = client.head("/programs/")["ETag"]
    assert client.head("/programs/", headers={"if-none-match": etag}).status_code == 304


def test_etag_differs_by_path_query_and_language(client):
    ProgramFactory()
    tags = {
        client.get("/programs/")["ETag"],
        client.get("/programs/?page=1")["ETag"],
        client.get("/vendors/")["ETag"],
        get(client, "/programs/", accept_language="fr")["ETag"],
    }
    assert len(tags) == 4


def test_model_save_gives_a_new_etag_and_fresh_content(client):
    program = ProgramFactory(name="Old name")
    first = client.get("/programs/")
    assert "Old name" in first.content.decode()
    program.name = "New name"
    program.save()
    after = get(client, "/programs/", if_none_match=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert "New name" in after.content.decode()
    # If-Modified-Since with the old date is not enough either.
    assert get(client, "/programs/", if_modified_since=first["Last-Modified"]).status_code == 200


def test_admin_post_invalidates(client, admin_client):
    programs = [ProgramFactory(is_published=False, name=f"Draft {i}") for i in range(2)]
    source = SourceFactory()
    for program in programs:
        program.sources.add(source)  # nothing is published without a source
    first = client.get("/programs/")
    assert "Draft 0" not in first.content.decode()
    response = admin_client.post(
        reverse("admin:programs_program_changelist"),
        {"action": "make_published", "_selected_action": [p.pk for p in programs], "post": "yes"},
    )
    assert response.status_code == 302
    after = get(client, "/programs/", if_none_match=first["ETag"])
    assert after.status_code == 200
    assert "Draft 0" in after.content.decode()


def test_delete_and_m2m_changes_bump():
    program = ProgramFactory()
    v0 = caching.current().version
    program.focus_areas.add(FocusAreaFactory())
    v1 = caching.current().version
    assert v1 > v0
    program.sources.clear()
    focus = FocusAreaFactory()
    v2 = caching.current().version
    focus.delete()
    assert caching.current().version > v2 > v1


def test_last_modified_moves_by_at_least_a_second_per_change():
    a = caching.bump()
    b = caching.bump()
    assert b.version == a.version + 1
    assert b.timestamp >= a.timestamp + 1


def test_admin_pages_are_never_cached(client, admin_client):
    ProgramFactory()
    response = admin_client.get(reverse("admin:programs_program_changelist"))
    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert not response.has_header("Last-Modified")
    login = client.get(reverse("admin:login"))
    assert not login.has_header("ETag")


def test_logged_in_users_get_no_validators_and_no_304(client, admin_client):
    ProgramFactory()
    etag = client.get("/programs/")["ETag"]
    response = get(admin_client, "/programs/", if_none_match=etag)
    assert response.status_code == 200
    assert not response.has_header("ETag")
    assert response.content


@pytest.mark.urls(__name__)
def test_responses_that_set_cookies_are_not_cached(client):
    for url in ("/test-csrf/", "/test-cookie/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cookies
        assert not response.has_header("ETag"), url


def test_not_found_is_not_cached(client):
    response = client.get("/programs/no-such-program/")
    assert response.status_code == 404
    assert not response.has_header("ETag")


def test_drafts_do_not_leak_through_cache(client, admin_client):
    program = ProgramFactory(is_published=False, slug="secret", name="Secret program")
    # staff looks at things first: nothing they see is stored for others
    admin_client.get(reverse("admin:programs_program_change", args=[program.pk]))
    assert client.get("/programs/secret/").status_code == 404
    listing = client.get("/programs/")
    assert "Secret program" not in listing.content.decode()
    assert (
        caching.cached("drafts-probe", lambda: list(Program.objects.published().values_list("name", flat=True))) == []
    )
    program.is_published = True
    program.save()
    assert "Secret program" in get(client, "/programs/", if_none_match=listing["ETag"]).content.decode()
    assert caching.cached("drafts-probe", lambda: ["recomputed"]) == ["recomputed"]


def test_fragment_cache_is_invalidated_by_a_save():
    calls = []

    def compute():
        calls.append(1)
        return Program.objects.count()

    assert caching.cached("program-count", compute) == 0
    assert caching.cached("program-count", compute) == 0
    assert len(calls) == 1
    ProgramFactory()
    assert caching.cached("program-count", compute) == 1
    assert len(calls) == 2


def test_stamp_cached_count_paginator(django_assert_num_queries):
    for _ in range(3):
        ProgramFactory()
    qs = Program.objects.published().order_by("name")
    assert caching.StampCachedCountPaginator(qs, 2).count == 3
    with django_assert_num_queries(1):  # the stamp only, no COUNT(*)
        assert caching.StampCachedCountPaginator(qs, 2).count == 3
    ProgramFactory()
    assert caching.StampCachedCountPaginator(qs, 2).count == 4
    assert caching.StampCachedCountPaginator(qs.filter(name="nothing"), 2).count == 0


def test_load_knowledge_and_demo_data_bump():
    v0 = caching.current().version
    call_command("load_knowledge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    v1 = caching.current().version
    assert v1 > v0
    call_command(
        "generate_demo_data",
        "--yes",
        "--no-progress",
        "--programs=2",
        "--partners=2",
        "--memberships=2",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    assert caching.current().version > v1


def test_bulk_update_needs_an_explicit_bump(client):
    """QuerySet.update() sends no signal: code that uses it calls bump()."""
    ProgramFactory(name="Before")
    etag = client.get("/programs/")["ETag"]
    Program.objects.update(name="After")
    assert get(client, "/programs/", if_none_match=etag).status_code == 304
    caching.bump()
    assert "After" in get(client, "/programs/", if_none_match=etag).content.decode()


def test_canonical_query_ignores_order_empties_and_dropped(rf):
    a = rf.get("/?status=active&vendor=b&vendor=a&page=3&q=")
    b = rf.get("/?vendor=a&status=active&vendor=b")
    assert caching.canonical_query(a.GET, drop=("page",)) == caching.canonical_query(b.GET)


def test_stamp_cached_facets_mixin(rf):
    calls = []

    class Base:
        def facet_data(self):
            calls.append(1)
            return [{"param": "status", "choices": [{"value": "active", "count": Program.objects.count()}]}]

    class View(caching.StampCachedFacetsMixin, Base):
        def __init__(self, request):
            self.request = request

    first = View(rf.get("/programs/?status=active&page=2")).cached_facet_data()
    again = View(rf.get("/programs/?page=5&status=active&sort=-name")).cached_facet_data()
    assert first == again and len(calls) == 1
    View(rf.get("/programs/?status=retired")).cached_facet_data()
    assert len(calls) == 2
    ProgramFactory()
    assert View(rf.get("/programs/?status=active")).cached_facet_data()[0]["choices"][0]["count"] == 1
    assert len(calls) == 3


def test_page_comes_from_the_cache_until_a_save(client):
    """ConditionalGetMiddleware keeps an anonymous answer under its ETag
    (stamp, host, path, query, language): a repeat visit by anyone (without
    If-None-Match) skips the view; a save shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program = ProgramFactory(name="Cached name")
    with CaptureQueriesContext(connection) as cold:
        assert "Cached name" in client.get("/programs/").content.decode()
    with CaptureQueriesContext(connection) as warm:
        assert "Cached name" in client.get("/programs/").content.decode()
    assert len(warm) < len(cold)
    assert len(warm) == 1  # the knowledge-stamp read: the whole answer is kept server-side
    program.name = "Saved name"
    program.save()
    body = client.get("/programs/").content.decode()
    assert "Saved name" in body and "Cached name" not in body
