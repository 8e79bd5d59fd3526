"""The server-side page cache (kb/caching.py): a save invalidates the pages
that show the changed kind of record and no other, no page is ever served
stale after a save, and the cache stays bounded (junk parameters, invalid
filters and big answers make no entry)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from partners.models import Membership, Partner
from programs.models import Program, ProgramEvent, Tier
from sources.models import Quote, Source
from vendors.models import Person, Vendor

from ..factories import MembershipFactory, PartnerFactory, TierFactory
from ..public_urls import public_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(public_world, db):
    partner = Partner.objects.get(slug="fuzz-partner")
    membership = partner.memberships.select_related("program").first()
    program = membership.program
    vendor = program.vendors.published().first()
    return {"partner": partner, "program": program, "vendor": vendor, "tier": membership.tier}


def entries():
    return len(cache._cache)  # LocMemCache: the number of stored keys


def responses():
    return sum(1 for key in cache._cache if "kb:response:" in key)  # stored pages


def served(client, url):
    """(status, body, queries) of an anonymous GET."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, response.content, len(ctx)


def test_saving_a_partner_leaves_program_and_vendor_pages_cached(client, world):
    partner, program, vendor = world["partner"], world["program"], world["vendor"]
    program_url, vendor_url = program.get_absolute_url(), vendor.get_absolute_url()
    partner_url, tier_url = partner.get_absolute_url(), world["tier"].get_absolute_url()
    pages = [program_url, vendor_url, tier_url, "/programs/", "/vendors/", "/timeline/", "/"]
    etags = {url: client.get(url)["ETag"] for url in pages + [partner_url, "/partners/"]}

    partner = Partner.objects.get(pk=partner.pk)
    partner.name = "Renamed Partner Ltd"
    partner.save()

    for url in pages:
        again = client.get(url, headers={"if-none-match": etags[url]})
        assert again.status_code == 304, url  # still valid: same stamps
        status, _body, queries = served(client, url)
        assert (status, queries) == (200, 1), url  # the stored copy: one stamp query, no view
    for url in (partner_url, "/partners/"):
        response = client.get(url, headers={"if-none-match": etags[url]})
        assert response.status_code == 200, url
        assert "Renamed Partner Ltd" in response.content.decode(), url


def test_a_new_membership_updates_the_program_and_tier_member_counts(client, world):
    program_url, tier_url = world["program"].get_absolute_url(), world["tier"].get_absolute_url()
    vendor_url = world["vendor"].get_absolute_url()
    before = {url: client.get(url) for url in (program_url, tier_url, vendor_url)}
    MembershipFactory(partner=PartnerFactory(name="Second member"), tier=world["tier"])
    for url in (program_url, tier_url):
        assert client.get(url, headers={"if-none-match": before[url]["ETag"]}).status_code == 200, url
    assert client.get(vendor_url, headers={"if-none-match": before[vendor_url]["ETag"]}).status_code == 304


def test_unpublishing_a_partner_invalidates_the_counts_that_included_it(client, world):
    program_url = world["program"].get_absolute_url()
    etag = client.get(program_url)["ETag"]
    partner = Partner.objects.get(pk=world["partner"].pk)
    partner.is_published = False
    partner.save()
    assert client.get(program_url, headers={"if-none-match": etag}).status_code == 200


def _rename(model, field, **lookup):
    def save(world):
        obj = model.objects.filter(**lookup).order_by("pk").first()
        setattr(obj, field, f"{getattr(obj, field)} (edited)")
        obj.save()

    return save


def _unpublish_partner(world):
    partner = Partner.objects.get(pk=world["partner"].pk)
    partner.is_published = False
    partner.save()


def _add_membership(world):
    tier = TierFactory(program=world["program"], name="Fresh designation", kind="designation", rank=90)
    MembershipFactory(partner=Partner.objects.get(pk=world["partner"].pk), tier=tier)


def _delete_membership(world):
    Membership.objects.filter(partner=world["partner"]).delete()


def _unlink_source(world):
    program = Program.objects.get(pk=world["program"].pk)
    program.sources.remove(*program.sources.all()[:1])


SAVES = {
    "partner renamed": _rename(Partner, "name", slug="fuzz-partner"),
    "partner unpublished": _unpublish_partner,
    "membership added": _add_membership,
    "membership deleted": _delete_membership,
    "program renamed": _rename(Program, "name", is_published=True),
    "tier renamed": _rename(Tier, "name", program__is_published=True),
    "vendor renamed": _rename(Vendor, "name", is_published=True),
    "person renamed": _rename(Person, "name", is_published=True),
    "event retitled": _rename(ProgramEvent, "title", is_published=True),
    "source retitled": _rename(Source, "title", is_published=True),
    "quote reworded": _rename(Quote, "text"),
    "source unlinked from a program": _unlink_source,
}


def test_no_page_is_stale_after_a_save(client, world):
    """Every public page, warmed in the cache, then a save: what the cache
    serves is exactly what a fresh render (caches off) shows. The saves run
    one after the other on one world: after each check, what the cache holds
    is the fresh pages, warm for the next save."""
    urls = [url for _name, url in public_urls()]
    urls += [
        f"/partners/?program={world['program'].slug}",
        "/partners/?page=1",
        f"/programs/?vendor={world['vendor'].slug}",
        "/search/?q=partner",
    ]
    for url in urls:
        client.get(url)
    for save, apply in SAVES.items():
        apply(world)
        for url in urls:
            cached = client.get(url)
            with override_settings(KB_FRAGMENT_CACHE_SECONDS=0, KB_HTTP_CACHE=False):
                fresh = client.get(url)
            assert cached.status_code == fresh.status_code, f"{url} after: {save}"
            assert cached.content == fresh.content, f"{url} is stale after: {save}"


# -- bounded -----------------------------------------------------------------------


def test_a_thousand_junk_addresses_leave_the_cache_size_flat(client, world):
    program_url = world["program"].get_absolute_url()
    canonical = ["/partners/", "/programs/?status=active", program_url, "/", "/timeline/"]
    for url in canonical:
        assert client.get(url).status_code == 200
    size = entries()
    for i in range(1000):
        url = [
            f"/partners/?utm_source=x{i}",
            f"/programs/?status=active&junk{i}=1",
            f"{program_url}?ref={i}",
            f"/?fbclid={i}",
            f"/timeline/?page=abc{i}",  # not a page number: page 1, not kept under this address
        ][i % 5]
        assert client.get(url).status_code == 200, url
    assert entries() == size


def test_junk_parameters_are_served_the_canonical_page(client, world):
    first = client.get("/partners/")
    status, body, queries = served(client, "/partners/?utm_source=newsletter")
    assert (status, queries) == (200, 1)  # the stored canonical page: no view ran
    assert body == first.content


def test_invalid_filters_and_out_of_range_pages_are_not_kept(client, world):
    # Kept once: the lists' own counts and facets (an invalid filter is
    # ignored, so its list counts every row).
    client.get("/partners/")
    client.get("/programs/?status=bogus")
    size = entries()
    for i in range(50):
        assert client.get(f"/programs/?status=bogus{i}").status_code == 200
        assert client.get(f"/partners/?page={1000 + i}").status_code == 200
    assert entries() == size


def test_answers_over_the_size_cap_are_not_kept(client, world):
    with override_settings(KB_CACHE_MAX_ENTRY_BYTES=2000):
        size = responses()
        response = client.get("/programs/?export=json")
        assert response.status_code == 200 and len(response.content) > 2000
        assert client.get("/programs/").status_code == 200
        assert responses() == size
    # Under the cap (the default, 256 kB), a page is kept.
    client.get("/programs/")
    assert responses() == size + 1


def test_an_export_of_the_comparison_is_not_served_the_stored_grid(client, world):
    slugs = list(Program.objects.published().order_by("pk").values_list("slug", flat=True)[:2])
    url = "/programs/compare/?" + "&".join(f"p={slug}" for slug in slugs)
    page = client.get(url)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    export = client.get(url + "&export=json")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/json")
    assert client.get(url + "&export=csv&sep=pipe").status_code == 400  # not the stored CSV or grid


def test_json_and_json_ld_of_one_address_are_stored_apart(client, world):
    plain = client.get("/api/passages/")
    assert plain["Content-Type"].startswith("application/json")
    linked = client.get("/api/passages/", HTTP_ACCEPT="application/ld+json")
    assert linked["Content-Type"].startswith("application/ld+json")
    assert client.get("/api/passages/")["Content-Type"].startswith("application/json")
