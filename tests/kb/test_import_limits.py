"""Import limits checked before any row is processed; `;`-separated CSV files;
"import the valid rows only"; previews kept where every app server sees them.
(The new partners are drafts: nothing is published without a source.)"""

import io
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from kb.models import ImportFile
from partners.models import Partner
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def preview(client, name, content):
    upload = io.BytesIO(content)
    upload.name = name
    url = reverse("admin:partners_partner_import")
    return client.post(url, {"resource": "0", "format": "", "import_file": upload})


def confirm(client, response):
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(reverse("admin:partners_partner_process_import"), data, follow=True)


def errors(response):
    return " ".join(response.context["form"].errors.get("import_file", []))


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_too_many_rows_are_refused_naming_the_limit_before_any_row_is_processed(editor_client, monkeypatch):
    processed = []
    from kb.resources import KBResource

    original = KBResource.import_row
    monkeypatch.setattr(KBResource, "import_row", lambda self, *a, **k: processed.append(1) or original(self, *a, **k))
    lines = "".join(f"p{i},Partner {i},reseller\n" for i in range(2001))
    response = preview(editor_client, "big.csv", ("slug,name,kind\n" + lines).encode())
    assert "more than 2,000 rows" in errors(response)
    assert processed == []
    assert "confirm_form" not in response.context


@override_settings(IMPORT_MAX_ROWS=3)
def test_the_row_limit_is_a_setting(editor_client):
    content = b"slug,name,kind,is_published\na,A,reseller,0\nb,B,reseller,0\nc,C,reseller,0\n"
    ok = preview(editor_client, "ok.csv", content)
    assert [r["status"] for r in ok.context["preview_rows"]] == ["new"] * 3
    over = preview(editor_client, "over.csv", b"slug,name,kind\na,A,reseller\nb,B,reseller\nc,C,reseller\nd,D,x\n")
    assert "more than 3 rows" in errors(over)
    over_xlsx = preview(editor_client, "over.xlsx", xlsx([["slug", "name"]] + [[f"s{i}", "N"] for i in range(4)]))
    assert "more than 3 rows" in errors(over_xlsx)


def test_a_long_cell_is_refused_naming_line_column_and_limit(editor_client):
    response = preview(
        editor_client, "long.csv", ("slug,name,kind\nacme,Acme,reseller\nb," + "x" * 50_001 + ",r\n").encode()
    )
    assert "Line 3, column 2 holds 50,001 characters; a cell may hold at most 50,000." in errors(response)


def test_an_xlsx_zip_bomb_is_refused_without_unzipping_it(editor_client, monkeypatch):
    import openpyxl

    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(1))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "A" * (60 * 1024 * 1024))  # 60 MB of one cell
    assert len(bomb.getvalue()) < 200_000
    response = preview(editor_client, "bomb.xlsx", bomb.getvalue())
    assert "the limit is 50.0\xa0MB" in errors(response)
    assert opened == []


def test_an_xlsx_that_unzips_far_beyond_its_size_is_refused(editor_client):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "A" * (20 * 1024 * 1024))
    response = preview(editor_client, "ratio.xlsx", bomb.getvalue())
    assert "the limit is 100 times" in errors(response)


def test_a_semicolon_separated_csv_is_read(editor_client):
    content = b"slug;name;kind;country;is_published\nacme;Acme;reseller;France;0\n"
    content += "beta;Béta, SA;integrator;France;0\n".encode()
    response = preview(editor_client, "excel-fr.csv", content)
    assert [r["status"] for r in response.context["preview_rows"]] == ["new", "new"]
    confirm(editor_client, response)
    assert Partner.objects.get(slug="beta").name == "Béta, SA"


def test_an_unreadable_separator_is_named_in_the_message(editor_client):
    response = preview(editor_client, "pipes.csv", b"slug|name|kind\nacme|Acme|reseller\n")
    file_errors = " ".join(response.context["file_errors"])
    assert "Unknown columns: slug|name|kind" in file_errors
    assert "separated by “|”" in file_errors


def test_import_the_valid_rows_only(editor_client):
    PartnerFactory(name="Acme", slug="acme", kind="reseller")
    content = b"slug,name,kind,is_published\nacme,Acme Networks,reseller,1\n"
    content += b"bad,Bad,not-a-kind,0\nnew,New one,integrator,0\n"
    response = preview(editor_client, "mixed.csv", content)
    assert [r["status"] for r in response.context["preview_rows"]] == ["changed", "invalid", "new"]
    page = response.content.decode()
    assert "Import the valid rows only" in page
    assert Partner.objects.get(slug="acme").name == "Acme"  # nothing yet

    done = confirm(editor_client, response)
    assert "1 new and 1 changed partners; 0 unchanged. 1 invalid rows were left out." in done.content.decode()
    assert Partner.objects.get(slug="acme").name == "Acme Networks"
    assert Partner.objects.filter(slug="new").exists() and not Partner.objects.filter(slug="bad").exists()


def test_valid_rows_only_refuses_when_other_rows_became_invalid(editor_client):
    content = b"slug,name,kind,is_published\nbad,Bad,not-a-kind,0\nfresh,Fresh,integrator,0\nother,Other,reseller,0\n"
    response = preview(editor_client, "mixed.csv", content)
    PartnerFactory(name="Fresh", slug="other-fresh")  # meanwhile nothing else is invalid...
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["invalid_lines"] = "2,3"  # ...but a forged or stale confirmation says otherwise
    done = editor_client.post(reverse("admin:partners_partner_process_import"), data, follow=True)
    assert "Nothing was imported" in done.content.decode()
    assert not Partner.objects.filter(slug__in=["fresh", "other"]).exists()


def test_the_preview_waits_in_the_database_and_is_removed_on_confirm(editor_client):
    response = preview(editor_client, "one.csv", b"slug,name,kind,is_published\nacme,Acme,reseller,0\n")
    name = response.context["confirm_form"].initial["import_file_name"]
    assert ImportFile.objects.filter(name=name).exists()
    confirm(editor_client, response)
    assert not ImportFile.objects.filter(name=name).exists()
    # Confirming the same preview again is a message, not a server error.
    again = confirm(editor_client, response)
    assert again.status_code == 200
    assert "no longer available" in again.content.decode()
    assert Partner.objects.count() == 1
