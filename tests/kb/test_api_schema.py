"""The OpenAPI schema at /api/schema/, the docs page at /api/docs/, and a
schemathesis run of every operation against the shipped knowledge."""

import re

import pytest
import schemathesis
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.factories import PartnerFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

LIST_PATHS = [
    "/api/vendors/",
    "/api/people/",
    "/api/programs/",
    "/api/tiers/",
    "/api/events/",
    "/api/focus-areas/",
    "/api/partners/",
    "/api/memberships/",
    "/api/sources/",
    "/api/quotes/",
]


@pytest.fixture
def spec(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi_3(spec):
    assert spec["openapi"].startswith("3.")
    validate(spec)  # raises on an invalid document
    assert spec["info"]["title"] == "Partner-program knowledge base API"


def test_schema_documents_every_endpoint_read_only(spec):
    paths = spec["paths"]
    for path in LIST_PATHS:
        assert set(paths[path]) == {"get"}, path
        detail = [p for p in paths if p.startswith(path) and p != path]
        assert len(detail) == 1 and set(paths[detail[0]]) == {"get"}, path


@pytest.mark.parametrize(
    "path,params",
    [
        ("/api/programs/", {"q", "vendor", "status", "focus_area", "route", "tier_kind", "year", "sort"}),
        ("/api/vendors/", {"q", "runs_programs", "relation", "sort"}),
        ("/api/tiers/", {"q", "program", "kind", "sort"}),
        ("/api/events/", {"q", "vendor", "program", "kind", "year", "month", "sort"}),
        ("/api/partners/", {"q", "country", "kind", "program", "sort"}),
        ("/api/memberships/", {"q", "partner", "program", "tier_kind", "current", "sort"}),
        ("/api/people/", {"q", "employer", "program", "vendor", "source", "language", "sort"}),
        ("/api/sources/", {"q", "language", "year", "sort"}),
        ("/api/quotes/", {"q", "person", "employer", "program", "vendor", "source", "language", "year", "sort"}),
    ],
)
def test_schema_documents_the_filters_pagination_and_errors(spec, path, params):
    operation = spec["paths"][path]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == params | {"page", "page_size"}
    assert {"200", "400", "404"} <= set(operation["responses"])


def test_schema_documents_404_on_details(spec):
    for path, item in spec["paths"].items():
        if "{" in path:
            assert "404" in item["get"]["responses"], path


def test_schema_enumerates_choices(spec):
    params = {p["name"]: p for p in spec["paths"]["/api/programs/"]["get"]["parameters"]}
    assert set(params["status"]["schema"]["items"]["enum"]) == {"announced", "launching", "active", "retired"}


def test_docs_page_uses_local_assets_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    # Every script and stylesheet is a local file; no inline script. (The
    # canonical link is the page's own absolute address, not an asset.)
    assets = re.sub(r'<link rel="canonical"[^>]*>', "", html)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", assets)
    assert not re.search(r"<script>\s*\S", html)
    assert "<style" not in html
    # Swagger UI's files are named on the button that loads them.
    assets = re.findall(r"""(?:src|href|data-css|data-bundle)="(/static/[^"]+)\"""", html)
    assert any("swagger-ui-bundle" in url for url in assets) and any("swagger-ui.css" in url for url in assets)
    assert any("js/api-docs" in url for url in assets)
    for url in assets:
        assert finders.find(
            url.removeprefix(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/")
        ), url
    # Every endpoint is on the page itself, with a real link to its list.
    for endpoint in ("vendors", "people", "programs", "tiers", "events", "partners", "memberships", "sources"):
        assert f'href="/api/{endpoint}/"' in html
    assert "/api/programs/{slug}/" in html and "/api/tiers/{id}/" in html
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert b"/api/schema/" in script.content


# --- schemathesis: every operation, generated inputs ------------------------


@pytest.fixture
def api_schema(public_world, db, wsgi_in_test_transaction):
    """The API's schema, served over the session's sample world
    (tests/conftest.py); loaded inside a test (not at import): serving it
    goes through the middleware, which reads the knowledge stamp from the
    database."""
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def wsgi_in_test_transaction():
    """schemathesis calls the WSGI app directly, not through Django's test
    client: like the client, keep Django from closing the test's database
    connection at the end of each request (PostgreSQL would lose the test
    transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def schema_data(public_world, db, wsgi_in_test_transaction):
    """The session's sample world (the shipped knowledge, drafts of every
    kind, a partner with a membership: tests/conftest.py) and a partner with
    a country."""
    PartnerFactory(name="Acme", country="France")


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, schema_data):
    """No server error, a documented status code and content type, a body
    matching the schema, headers as documented, 405 for undocumented methods.

    Two checks are left out, by design of the shared FilterSets:
    - "schema-valid input is accepted": a slug filter (``?program=x``) is a
      string in the schema, yet a slug naming no published record is a 400;
    - "schema-invalid input is refused": like the HTML lists, an empty value
      (``?year=``) or ``unknown`` for a yes/no filter means "no filter"."""
    case.call_and_validate(excluded_checks=[positive_data_acceptance, negative_data_rejection])


def test_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn: a filter or field drf-spectacular cannot type fails here.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/programs/{slug}/" in (tmp_path / "schema.yml").read_text()


def test_every_shipped_record_conforms_to_the_schema(schema_data, api_schema):
    """Generated slugs rarely name a real record: run each list and each real
    record of the shipped knowledge through schemathesis's checks as well."""
    schema = api_schema
    checked = 0
    for path in LIST_PATHS:
        detail_path = next(p for p in schema.raw_schema["paths"] if p.startswith(path) and p != path)
        name = detail_path.rsplit("{", 1)[1].rstrip("}/")
        listed = (
            schema[path]["GET"]
            .Case(query={"page_size": 200})
            .call_and_validate(excluded_checks=[positive_data_acceptance, negative_data_rejection])
        )
        for row in listed.json()["results"]:
            value = row["id"] if name == "id" else row["slug"]
            case = schema[detail_path]["GET"].Case(path_parameters={name: value})
            response = case.call_and_validate(excluded_checks=[positive_data_acceptance, negative_data_rejection])
            assert response.status_code == 200
            checked += 1
    assert checked >= 40
