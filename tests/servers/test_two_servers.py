"""Several app servers: two gunicorn servers with the production settings on
one PostgreSQL database and one Redis cache. A save through one is what the
other serves on the very next request; an import previewed on one confirms
on the other; each answers its health check."""

import pytest

from .live import Staff, hidden_inputs

pytestmark = [pytest.mark.slow, pytest.mark.servers]

# Nothing is published without a source: the vendors and partners cite one.
SOURCES_CSV = b"slug,title\nart-x,An article\n"
VENDORS_CSV = b"slug,name,headquarters,sources\ncisco,Cisco,San Jose,art-x\nhp,HP,Palo Alto,art-x\n"
PARTNERS_CSV = (
    b"slug,name,kind,country,sources\nacme,Acme Networks,reseller,France,art-x\nbeta,Beta SA,integrator,France,art-x\n"
)


def ensure_source(site, staff, server):
    if not site.sql("SELECT 1 FROM sources_source WHERE slug='art-x'"):
        done = staff.post(
            server,
            "/admin/sources/source/process_import/",
            data=import_file(staff, server, "sources/source", "sources.csv", SOURCES_CSV),
        )
        assert "Import done" in done.text, done.text[:3000]


@pytest.fixture(scope="module")
def servers(site):
    return site.server(workers=2), site.server(workers=2)


def import_file(staff, server, model_path, name, content):
    page = staff.post(
        server,
        f"/admin/{model_path}/import/",
        data={"resource": "0", "format": ""},
        files={"import_file": (name, content)},
    )
    assert page.status_code == 200, page.text[:3000]
    return hidden_inputs(page.text, "kb-import-confirm")


def test_both_servers_are_healthy(servers):
    for server in servers:
        response = server_get(server, "/health/")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "migrations": "ok"}}
        assert "no-store" in response.headers["Cache-Control"]


def server_get(server, path):
    import requests

    return requests.get(server.url + path, timeout=60)


def test_an_import_previewed_on_one_server_confirms_on_the_other(site, servers):
    one, other = servers
    staff = Staff().login(one)
    ensure_source(site, staff, one)
    confirm = import_file(staff, one, "vendors/vendor", "vendors.csv", VENDORS_CSV)
    assert confirm["import_file_name"], "no confirm form on the preview"
    assert site.sql("SELECT count(*) FROM vendors_vendor") == [(0,)]  # the preview writes nothing

    done = staff.post(other, "/admin/vendors/vendor/process_import/", data=confirm)
    assert done.status_code == 200 and "Import done: 2 new" in done.text, done.text[:3000]
    assert site.sql("SELECT slug FROM vendors_vendor ORDER BY slug") == [("cisco",), ("hp",)]
    assert site.sql("SELECT count(*) FROM kb_importfile") == [(0,)]

    confirm = import_file(staff, other, "partners/partner", "partners.csv", PARTNERS_CSV)
    done = staff.post(one, "/admin/partners/partner/process_import/", data=confirm)
    assert "Import done: 2 new" in done.text
    assert site.sql("SELECT count(*) FROM partners_partner") == [(2,)]


def test_a_save_through_one_server_is_what_the_other_serves_next(site, servers):
    one, other = servers
    staff = Staff().login(one)
    ensure_source(site, staff, one)
    if not site.sql("SELECT 1 FROM vendors_vendor WHERE slug='cisco'"):
        staff.post(
            one,
            "/admin/vendors/vendor/process_import/",
            data=import_file(staff, one, "vendors/vendor", "vendors.csv", VENDORS_CSV),
        )
    # Both servers have served (and cached) the public page.
    for server in servers:
        for _ in range(3):
            assert "San Jose" in server_get(server, "/vendors/cisco/").text
    # Nothing is published without a source: the vendor is saved citing one.
    ((source_pk,),) = site.sql("SELECT id FROM sources_source WHERE slug='art-x'")
    (pk,) = site.sql("SELECT id FROM vendors_vendor WHERE slug='cisco'")[0]
    change = f"/admin/vendors/vendor/{pk}/change/"
    form = staff.get(one, change).text
    fields = hidden_inputs(form)
    fields.update({"name": "Cisco", "slug": "cisco", "headquarters": "San José, California", "is_published": "on"})
    fields["sources"] = str(source_pk)
    saved = staff.post(one, change, data=fields)
    assert saved.status_code == 200 and "was changed successfully" in saved.text, saved.text[:3000]

    for server in (other, one, other):
        page = server_get(server, "/vendors/cisco/").text
        assert "San José, California" in page and "San Jose" not in page
