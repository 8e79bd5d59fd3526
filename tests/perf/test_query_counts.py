"""SQL queries per public page, NetBox style: the expected counts live in
tests/perf/query_counts.json. A change that adds (or removes) queries fails here;
if it is intended, regenerate the table with

    UPDATE_QUERY_COUNTS=1 .venv/bin/pytest tests/perf/test_query_counts.py

and commit it. Counts must not depend on the number of rows: each page is
measured again after more rows are added."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.models import Membership
from programs.models import Tier
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, QuoteFactory, TierFactory

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
    "/programs/?export=csv",
    "/programs/?export=json",
]


def add_rows(n, start):
    cpp_builder = Tier.objects.get(program__slug="cpp", slug="builder")
    for i in range(start, start + n):
        partner = PartnerFactory(name=f"Acme {i}", slug=f"acme-{i}", country="France")
        MembershipFactory(partner=partner, tier=cpp_builder)
        program = ProgramFactory(name=f"Bulk program {i}", slug=f"bulk-{i}")
        TierFactory(program=program)
        QuoteFactory(program=program)


def measure(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_counts_match_the_table_and_do_not_grow(client):
    call_command("load_knowledge", verbosity=0)
    add_rows(3, 0)
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
