"""SQL queries per public page do not grow with the rows *related* to the
record shown (many tiers, benefits, events, quotes, relations, memberships,
sources per record): no per-row queries. The absolute numbers per page are
pinned in tests/perf/query_counts.json (tests/perf/test_query_counts.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import TierKind
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
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
def test_queries_per_page_do_not_grow_with_related_rows(client, world, url):
    world(1)
    small = count(client, url)
    world(6)
    large = count(client, url)
    assert large == small, f"{url}: {small} queries with few rows, {large} with more (a per-row query)"


def test_a_repeat_visit_costs_one_query(client, world, django_assert_num_queries):
    world(2)
    for url in PAGES:
        etag = client.get(url)["ETag"]
        with django_assert_num_queries(1):
            assert client.get(url, headers={"if-none-match": etag}).status_code == 304


@pytest.mark.parametrize("url", ["/programs/?status=announced", "/partners/", "/timeline/?kind=announcement"])
def test_facet_counts_and_totals_are_cached_until_a_save(client, world, url):
    world(2)
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
