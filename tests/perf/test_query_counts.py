"""SQL queries per public page, NetBox style: every page runs a fixed number
of queries, whatever the number of rows.

- The expected count of each page is in tests/perf/query_counts.json. A change
  that adds (or removes) queries fails here; if it is intended, regenerate the
  table with

      UPDATE_QUERY_COUNTS=1 .venv/bin/pytest tests/perf/test_query_counts.py

  and commit it. Each page is measured again after more rows are added.
- The counts do not grow with the rows *related* to the record shown (many
  tiers, benefits, events, quotes, relations, memberships, sources per
  record): no per-row queries.
- Cached facet counts and totals, and a repeat visit, cost what they should.
- Each API list (``/api/<endpoint>/``) runs the number of queries in
  ``LIST_QUERIES``, whatever the number of rows."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Membership
from programs.models import Tier, TierKind
from sources.models import evidenced_models
from tests.api_sample import make_api_sample
from tests.factories import (
    BenefitFactory,
    FocusAreaFactory,
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramEventFactory,
    ProgramFactory,
    QuoteFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
    VendorRelationFactory,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).with_name("query_counts.json")
URLS = [
    "/",
    "/vendors/",
    "/vendors/cisco/",
    "/programs/",
    "/programs/?status=announced&route=indirect&sort=-announced",
    "/programs/?vendor=cisco&focus_area=cloud-computing&tier_kind=designation&year=2010&q=cloud",
    "/programs/cpp/",
    "/programs/mscp/master/",
    "/programs/events/cpp-launch/",
    "/programs/compare/?p=cpp&p=mscp&p=frontline",
    "/partners/",
    "/partners/?country=France&program=cpp",
    "/partners/acme-0/",
    "/people/bruno-dutriaux/",
    "/sources/",
    "/sources/art-002/",
    "/timeline/",
    "/timeline/?vendor=cisco&kind=launch",
    "/search/?q=cloud+partner",
    "/search/?q=services+manag%C3%A9s",
    "/search/?q=Mircosoft",
    "/search/?q=" + "+".join(["a"] * 40 + ["cloud", "Cloud", "clouds"] * 5),
    "/programs/?export=csv",
    "/programs/?export=json",
    "/programs/?export=xlsx",
    "/partners/?export=xlsx",
    "/programs/compare/?p=cpp&p=mscp&export=xlsx",
    "/people/",
    "/people/?employer=cisco&program=cpp&language=fr&sort=-name",
    "/people/?export=xlsx",
    "/quotes/",
    "/quotes/?vendor=cisco&source=art-002&language=fr&sort=-said",
    "/quotes/?export=csv",
    "/changes/",
    "/changes/?vendor=cisco&kind=program&kind=tier",
    "/changes/?program=cpp",
    "/changes/feed/",
    "/changes/feed/vendor/cisco/",
    "/changes/feed/program/cpp/",
]


def add_rows(n, start):
    cpp_builder = Tier.objects.get(program__slug="cpp", slug="builder")
    for i in range(start, start + n):
        partner = PartnerFactory(name=f"Acme {i}", slug=f"acme-{i}", country="France")
        MembershipFactory(partner=partner, tier=cpp_builder)
        program = ProgramFactory(name=f"Bulk program {i}", slug=f"bulk-{i}")
        TierFactory(program=program)
        QuoteFactory(program=program)
        program.vendors.add(Vendor.objects.get(slug="cisco"))  # a link change on /changes/
        PartnerFactory(name=f"Gone {i}", slug=f"gone-{i}").delete()  # a deletion on /changes/


def measure(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_query_counts_match_the_table_and_do_not_grow(client):
    call_command("load_knowledge", verbosity=0)
    # Passages are generic relations: the first page to read a model's passages
    # looks its content type up once per process. Measure the steady state.
    ContentType.objects.get_for_models(*apps.get_models())
    add_rows(3, 0)
    # SQLite probes its JSON support once per connection (SAVEPOINT, SELECT
    # JSON(...), RELEASE) the first time a page uses JSONObject (/changes/).
    connection.features.supports_json_field  # noqa: B018
    counts = {url: measure(client, url) for url in URLS}
    add_rows(12, 3)
    grown = {url: n for url, n in ((url, measure(client, url)) for url in URLS) if n != counts[url]}
    assert not grown, f"query count depends on the number of rows: {grown} (was {counts})"
    if os.environ.get("UPDATE_QUERY_COUNTS"):
        TABLE.write_text(json.dumps(counts, indent=2) + "\n")
    expected = json.loads(TABLE.read_text())
    changed = {url: (expected.get(url), n) for url, n in counts.items() if expected.get(url) != n}
    assert not changed, f"query counts changed (expected, now): {changed}; see this module's docstring"
    assert Membership.objects.count() >= 15


# -- per-row queries ------------------------------------------------------------


@pytest.fixture
def related_rows():
    """One record of each kind the detail pages show, and ``grow(k)`` to hang
    ``k`` more related rows off each of them."""
    vendor = VendorFactory(slug="v")
    source = SourceFactory(slug="s")
    program = ProgramFactory(slug="p", vendors=[vendor])
    tier = TierFactory(program=program, slug="t", rank=1)
    partner = PartnerFactory(slug="a")
    person = PersonFactory(slug="x", employer=vendor)
    event = ProgramEventFactory(slug="e", program=program, vendor=vendor)
    counter = iter(range(10_000))

    def grow(k):
        for _ in range(k):
            i = next(counter)
            other = VendorFactory()
            p = ProgramFactory(vendors=[vendor, other])
            p.focus_areas.add(FocusAreaFactory())
            p.sources.add(source)
            program.sources.add(SourceFactory())
            vendor.sources.add(SourceFactory())
            t = TierFactory(program=program, kind=TierKind.DESIGNATION, rank=100 + i)
            t.sources.add(source)
            BenefitFactory(program=program, tier=t).sources.add(source)
            BenefitFactory(program=program, tier=tier)
            ProgramEventFactory(program=program, vendor=vendor, start_date=dt.date(2010, 1, 1) + dt.timedelta(i))
            QuoteFactory(person=person, source=source, program=program, vendor=vendor)
            VendorRelationFactory(vendor=vendor, other_vendor=other).sources.add(source)
            PersonFactory(employer=vendor)
            m = MembershipFactory(partner=partner, tier=TierFactory(program=p, rank=1))
            m.sources.add(source)
            MembershipFactory(partner=PartnerFactory(), tier=tier)
            event.sources.add(SourceFactory())

    return grow


PAGES = [
    "/",
    "/vendors/",
    "/programs/",
    "/partners/",
    "/sources/",
    "/timeline/",
    "/vendors/v/",
    "/programs/p/",
    "/programs/p/t/",
    "/partners/a/",
    "/people/x/",
    "/sources/s/",
    "/programs/events/e/",
]


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


@pytest.mark.parametrize("url", PAGES)
def test_queries_per_page_do_not_grow_with_related_rows(client, related_rows, url):
    # Passages are generic relations: a model's content type is looked up once
    # per process, the first time its passages are read. Measure the steady state.
    ContentType.objects.get_for_models(*apps.get_models())
    related_rows(1)
    small = count(client, url)
    related_rows(6)
    large = count(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with more (a per-row query)"


def test_a_repeat_visit_costs_one_query(client, related_rows, django_assert_num_queries):
    related_rows(2)
    for url in PAGES:
        etag = client.get(url)["ETag"]
        with django_assert_num_queries(1):
            assert client.get(url, headers={"if-none-match": etag}).status_code == 304


@pytest.mark.parametrize("url", ["/programs/?status=announced", "/partners/", "/timeline/?kind=announcement"])
def test_facet_counts_and_totals_are_cached_until_a_save(client, related_rows, url):
    related_rows(2)
    first = count(client, url)
    again = count(client, url)
    assert again < first  # facet counts and COUNT(*) come from the cache
    ProgramFactory()  # any save: recomputed
    assert count(client, url) == first


def test_a_facet_over_many_values_shows_the_most_frequent_and_the_selected(client):
    from kb.views import FACET_LIMIT

    limit = FACET_LIMIT  # Facet(limit=...): the SQL keeps the most frequent values
    programs = [ProgramFactory(slug=f"prog-{i:03}") for i in range(limit + 5)]
    for i, program in enumerate(programs):
        tier = TierFactory(program=program, rank=1)
        for _ in range(1 + (i % 3)):
            MembershipFactory(tier=tier)
    facets = client.get("/partners/?program=prog-000").context["facets"]
    choices = next(f for f in facets if f["param"] == "program")["choices"]
    assert len(choices) <= limit + 1
    assert any(c["value"] == "prog-000" and c["selected"] for c in choices)
    assert sum(c["count"] == 3 for c in choices) == len(programs[2::3])  # the most frequent are all there


# -- API lists ------------------------------------------------------------------

# Each /api/<endpoint>/ list over tests/api_sample.py, in a fixed number of
# queries that does not grow with the rows.

# "stamp": the knowledge-stamp read of kb.caching (one per request, for ETags).
LIST_QUERIES = {
    "vendors": 11,  # stamp, count, rows, programs, people, relations x2 (+ their passages x2), sources, passages
    "people": 5,  # stamp, count, rows (+ employer), sources, passages
    "programs": 11,  # stamp, count, rows, vendors, focus areas, tiers, benefits (+ sources, passages), sources,
    # passages
    "tiers": 5,  # stamp, count, rows (+ program), sources, passages
    "events": 5,  # stamp, count, rows (+ program, vendor), sources, passages
    "focus-areas": 4,  # stamp, count, rows, passages
    "partners": 6,  # stamp, count, rows, memberships, sources, passages
    "memberships": 5,  # stamp, count, rows (+ partner, program), sources, passages
    "sources": 4,  # stamp, count, rows, quotes
    "quotes": 4,  # stamp, count, rows (+ person, source, program, vendor), passages
}


@pytest.fixture
def api_sample():
    return make_api_sample()


@pytest.mark.parametrize("endpoint", list(LIST_QUERIES))
def test_api_list_query_count_is_fixed(client, api_sample, endpoint):
    # Passages are prefetched through a generic relation, which looks content
    # types up once per process (Django caches them): warm that cache first.
    ContentType.objects.get_for_models(*evidenced_models())
    with CaptureQueriesContext(connection) as before:
        api_get(client, f"/api/{endpoint}/")
    assert len(before) == LIST_QUERIES[endpoint], [q["sql"] for q in before]
    # More records of every kind: still the same number of queries.
    more = ProgramFactory(name="Extra program", vendors=[api_sample["cisco"], api_sample["hp"]])
    more.sources.add(api_sample["art"])
    TierFactory(program=more, name="Extra tier")
    BenefitFactory(program=more)
    ProgramEventFactory(title="Extra event", program=more)
    PersonFactory(name="Extra person")
    extra_partner = PartnerFactory(name="Extra partner")
    MembershipFactory(partner=extra_partner, tier=api_sample["master"])
    QuoteFactory(person=api_sample["don"], source=api_sample["en"], program=more)
    SourceFactory(title="Extra source")
    more.focus_areas.add(FocusAreaFactory(name="Extra area"))
    with CaptureQueriesContext(connection) as after:
        api_get(client, f"/api/{endpoint}/")
    assert len(after) == len(before)


def api_get(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json", response.content[:200]
    return response
