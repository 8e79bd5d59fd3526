"""Every export, public and admin, CSV and XLSX, writes formula-like text
with a leading apostrophe, and the admin import removes it again: an exported
file re-imports as unchanged."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ProgramFactory, VendorFactory
from utilities.csv import is_formula_like
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

NAMES = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    " =1+1",
    "\uff1d1+1",
    "cmd|' /C calc'!A0",
]
CSV, XLSX = "0", "1"


def admin_export(client, model, pks, fmt):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
    return client.post(url, {"format": fmt, "resource": "0", "export_items": [str(pk) for pk in pks]})


def cells(response, fmt):
    if fmt == CSV:
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value  # no formula cell at all
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


def preview(client, model, name, content):
    opts = model._meta
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_import"),
        {"resource": "0", "format": "", "import_file": upload},
    )


@pytest.mark.parametrize(("fmt", "extension"), [(CSV, "csv"), (XLSX, "xlsx")])
def test_admin_export_escapes_formulas_and_reimports_unchanged(editor_client, fmt, extension):
    vendors = [VendorFactory(name=name, slug=f"v{i}", headquarters=name) for i, name in enumerate(NAMES)]
    response = admin_export(editor_client, Vendor, [v.pk for v in vendors], fmt)
    assert response.status_code == 200
    table = cells(response, fmt)
    header, body = table[0], table[1:]
    names = sorted(row[header.index("name")] for row in body)
    assert names == sorted("'" + name for name in NAMES)

    again = preview(editor_client, Vendor, f"export.{extension}", response.content)
    statuses = [row["status"] for row in again.context["preview_rows"]]
    assert statuses == ["unchanged"] * len(NAMES), again.context["preview_rows"]


def test_public_csv_export_escapes_formulas(client):
    cisco = VendorFactory(name="Cisco", slug="cisco")
    for i, name in enumerate(NAMES):
        ProgramFactory(name=name, slug=f"p{i}", vendors=[cisco])
    response = client.get("/programs/?export=csv")
    body = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    written = {cell for row in body[1:] for cell in row}
    assert {"'" + name for name in NAMES} <= written
    assert not any(is_formula_like(cell) and not cell.startswith("'") for cell in written)


def test_public_json_export_keeps_the_text_as_it_is(client):
    cisco = VendorFactory(name="Cisco", slug="cisco")
    ProgramFactory(name="=1+1", slug="p", vendors=[cisco])
    assert client.get("/programs/?export=json").json()[0]["name"] == "=1+1"
