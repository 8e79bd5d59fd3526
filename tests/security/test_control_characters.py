"""Control characters (NUL, ANSI escapes, the other C0 and C1 controls) are
refused in every text input: admin forms, spreadsheet import, public list
filters and API filters. Multi-line text keeps tab and line breaks."""

import io

import pytest
from django.urls import reverse

from tests.factories import ProgramFactory, SourceFactory, VendorFactory
from utilities.controls import control_characters
from utilities.testing import form_data
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

BAD = ["Cisco\x00", "Cisco\x1b[31mred\x1b[0m", "Cis\x07co", "Cis\x85co", "Cisco\x7f", "Cis\x9bco"]


def test_the_rule():
    assert control_characters("a\x1b[1mb") == ["\x1b"]
    assert control_characters("line one\nline\ttwo\r\n", multiline=True) == []
    assert control_characters("one\ttwo") == ["\t"]
    assert control_characters("Compétence ＝ 😀 \u202e") == []


@pytest.mark.parametrize("name", BAD)
def test_admin_form_refuses_control_characters(editor_client, name):
    vendor = VendorFactory(name="Cisco", slug="cisco")
    url = reverse("admin:vendors_vendor_change", args=[vendor.pk])
    data = form_data(editor_client.get(url))
    data["name"] = name
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "control characters" in " ".join(response.context["adminform"].form.errors["name"])
    vendor.refresh_from_db()
    assert vendor.name == "Cisco"


def test_admin_multiline_text_keeps_line_breaks_but_not_escapes(editor_client):
    vendor = VendorFactory(name="Cisco", slug="cisco")
    vendor.sources.add(SourceFactory())  # nothing is published without a source
    url = reverse("admin:vendors_vendor_change", args=[vendor.pk])
    data = form_data(editor_client.get(url))
    data["description_en"] = "Line one\r\n\tLine two"
    assert editor_client.post(url, data).status_code == 302
    for column in ("description_en", "description_fr"):  # each language's field (kb.translation)
        data = form_data(editor_client.get(url))
        data[column] = "Line one\x1b[2J"
        assert editor_client.post(url, data).status_code == 200
    vendor.refresh_from_db()
    assert vendor.description == "Line one\r\n\tLine two"
    assert vendor.description_fr in (None, "")


def test_admin_inline_rows_refuse_control_characters(admin_client):
    vendor = VendorFactory(name="Cisco", slug="cisco")
    url = reverse("admin:vendors_vendor_change", args=[vendor.pk])
    data = form_data(admin_client.get(url))
    data.update(
        {
            "people-TOTAL_FORMS": "1",
            "people-0-name": "John\x1b]0;pwned\x07",
            "people-0-slug": "john",
            "people-0-title_en": "",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert not vendor.people.exists()


@pytest.mark.parametrize("cell", ["Acme\x00", "Acme\x1b[31m", "Acme\x9b"])
def test_import_refuses_control_characters(editor_client, cell):
    content = f"slug,name,kind\nacme,{cell},reseller\n".encode()
    upload = io.BytesIO(content)
    upload.name = "partners.csv"
    response = editor_client.post(
        reverse("admin:partners_partner_import"), {"resource": "0", "format": "", "import_file": upload}
    )
    row = response.context["preview_rows"][0]
    assert row["status"] == "invalid"
    assert "control characters" in " ".join(message for _c, message, _v in row["issues"])
    assert "confirm_form" not in response.context


@pytest.mark.parametrize("value", ["cisco\x1b", "\x1b[31m", "a\x85b"])
@pytest.mark.parametrize("param", ["q", "vendor"])
def test_public_filters_refuse_control_characters(client, param, value):
    ProgramFactory(name="CPP", vendors=[VendorFactory(name="Cisco", slug="cisco")])
    page = client.get("/programs/", {param: value})
    assert page.status_code == 200
    assert param in page.context["filter_errors"]
    assert client.get("/programs/", {param: value, "export": "csv"}).status_code == 400


@pytest.mark.parametrize(
    ("url", "param"),
    [("/api/programs/", "q"), ("/api/programs/", "vendor"), ("/api/partners/", "country"), ("/api/quotes/", "person")],
)
def test_api_filters_refuse_control_characters_naming_the_parameter(client, url, param):
    response = client.get(url, {param: "x\x1b[0m"})
    assert response.status_code == 400
    assert param in response.json()


def test_api_filters_accept_ordinary_text(client):
    assert client.get("/api/programs/", {"q": "Compétence ＝ \u202e"}).status_code == 200
    assert Vendor.objects.count() == 0


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(
    ("kind", "field"),
    [("organisation", "name"), ("program", "acronym"), ("date", "title"), ("date", "place"), ("date", "date_text")],
)
def test_ingestion_review_form_refuses_control_characters(kind, field, value):
    from knowledge.forms import CandidateForm

    data = {"name": "Cisco", "title": "Launch", field: value}
    form = CandidateForm(data, kind=kind, choices={"objects": {}})
    assert not form.is_valid()
    assert "control characters" in " ".join(form.errors[field])
    data[field] = "Compétence ＝ 😀"
    assert CandidateForm(data, kind=kind, choices={"objects": {}}).is_valid()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Cisco\x1b[31m"),
        ("title", "Cisco\x00"),
        ("text", "Cisco annonce\x1b[2J un programme."),
        ("text", "Ci\x9bsco"),
    ],
)
def test_ingestion_upload_refuses_control_characters(editor_client, field, value):
    from sources.models import Source

    data = {"text": "Cisco annonce un nouveau programme de partenariat.", "title": "", field: value}
    response = editor_client.post(reverse("admin:knowledge_ingestion_add"), data)
    assert response.status_code == 200
    assert "control characters" in " ".join(response.context["form"].errors[field])
    assert not Source.objects.exists()
