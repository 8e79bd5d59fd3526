"""Exports of every list and of the comparison, for spreadsheets: XLSX that
openpyxl (and LibreOffice, when installed) reads back, CSV with ';' for
French readers, headers in the reader's language, labels beside codes,
absolute links, a sources column, dates as dates, formulas neutralised; the
admin's export fetched in batches, a fixed number of queries per batch."""

import csv
import datetime as dt
import io
import json
import shutil
import subprocess

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.resources import MembershipResource
from tests.factories import MembershipFactory, PartnerFactory, ProgramFactory, SourceFactory, TierFactory, VendorFactory

LISTS = ["/programs/", "/vendors/", "/partners/", "/sources/", "/timeline/", "/people/", "/quotes/"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def shipped(shipped_knowledge, db):
    """The shipped knowledge, loaded once for the session (tests/conftest.py)."""
    PartnerFactory(name="Acme Cloud", country="France")  # the articles name no partner company


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    text = text.lstrip("\ufeff")
    sep = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return sep, list(csv.reader(io.StringIO(text), delimiter=sep))


@pytest.mark.parametrize("url", LISTS)
def test_every_list_exports_xlsx_that_reads_back_like_the_csv(client, shipped, url):
    r = client.get(url + "?export=xlsx")
    assert r.status_code == 200, url
    assert r["Content-Type"] == XLSX
    assert r["Content-Disposition"].endswith('.xlsx"')
    sheet, rows = read_xlsx(body(r))
    _sep, csv_rows = read_csv(client.get(url + "?export=csv"))
    assert rows[0] == csv_rows[0]  # same header row
    data = json.loads(body(client.get(url + "?export=json")))
    assert len(rows) - 1 == len(data) == len(csv_rows) - 1 > 0
    assert sheet.freeze_panes == "A2"


@pytest.mark.parametrize("url", LISTS)
def test_every_list_links_are_absolute_and_headers_follow_the_language(client, shipped, url):
    rows = json.loads(body(client.get(url + "?export=json")))
    assert all(v.startswith("http://testserver/") for row in rows for k, v in row.items() if k == "url" and v)
    _sep, en = read_csv(client.get(url + "?export=csv"))
    _sep, fr = read_csv(client.get(url + "?export=csv", HTTP_ACCEPT_LANGUAGE="fr"))
    assert len(en[0]) == len(fr[0]) and en[0] != fr[0]  # translated headers, same columns


def test_french_csv_uses_semicolons_and_sep_chooses(client, shipped):
    sep, rows = read_csv(client.get("/programs/?export=csv", HTTP_ACCEPT_LANGUAGE="fr"))
    assert sep == ";" and rows[0][:2] == ["Slug", "Nom"]
    sep, rows = read_csv(client.get("/programs/?export=csv", HTTP_ACCEPT_LANGUAGE="en"))
    assert sep == "," and rows[0][:2] == ["Slug", "Name"]
    text = body(client.get("/programs/?export=csv&sep=comma", HTTP_ACCEPT_LANGUAGE="fr")).decode()
    assert text.splitlines()[0].startswith("\ufeffSlug,Nom,")
    text = body(client.get("/programs/?export=csv&sep=tab")).decode()
    assert text.splitlines()[0].startswith("\ufeffSlug\tName\t")
    r = client.get("/programs/?export=csv&sep=pipe")
    assert r.status_code == 400 and b"sep=" in r.content


def test_program_export_gives_labels_codes_sources_dates_and_links(client, shipped):
    ProgramFactory(
        name="Dated program",
        slug="dated",
        status="active",
        announced_on=dt.date(2010, 7, 11),
        announced_precision="day",
    )
    r = client.get("/programs/?export=xlsx&q=dated", HTTP_ACCEPT_LANGUAGE="fr")
    sheet, rows = read_xlsx(body(r))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Statut"] == "actif" and row["Statut (code)"] == "active"
    assert row["Date d’annonce"] == dt.datetime(2010, 7, 11)  # a real date cell
    assert sheet.cell(row=2, column=rows[0].index("Date d’annonce") + 1).is_date
    link = sheet.cell(row=2, column=rows[0].index("Page") + 1)
    assert link.value == "http://testserver/programs/dated/" and link.hyperlink.target == link.value
    # The shipped CPP cites its article by title.
    cpp = next(d for d in json.loads(body(client.get("/programs/?export=json&q=cpp"))) if d["slug"] == "cpp")
    assert cpp["sources"].startswith("Cisco's Cloud Partner Program")
    assert cpp["route_to_market"] == "indirect" and cpp["route_to_market_code"] == "indirect"
    assert cpp["status_code"] == "announced"


def test_exports_say_what_is_derived_and_what_is_disputed(client, shipped):
    """A derived date says so, with its precision and reasoning; a disputed
    field says "disputed" rather than one side's value (CSV and JSON)."""
    events = {e["slug"]: e for e in json.loads(body(client.get("/timeline/?export=json")))}
    wpc = events["microsoft-wpc-washington"]
    assert (wpc["start_date"], wpc["end_date"], wpc["precision_code"]) == ("2010-07-11", "2010-07-15", "day")
    assert wpc["date_derived"] is True and "fiscal year 2010-2011" in wpc["date_derivation"]
    assert "year not stated" in wpc["date_text"]
    assert events["cpp-launch"]["date_derived"] is False and events["cpp-launch"]["start_date"] == ""
    _sep, rows = read_csv(client.get("/timeline/?export=csv"))
    header, lines = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert "Date derived" in header
    wpc_row = next(r for r in lines if r["Page"].endswith("/microsoft-wpc-washington/"))
    assert wpc_row["Date derived"] == "True" and "fiscal year 2010-2011" in wpc_row["How the date is derived"]
    programs = {p["slug"]: p for p in json.loads(body(client.get("/programs/?export=json")))}
    assert programs["frontline"]["route_to_market_code"] == "disputed"
    assert programs["cpp"]["route_to_market_code"] == "indirect"


def test_unknown_values_stay_empty_not_a_code(client, shipped):
    _sep, rows = read_csv(client.get("/programs/?export=csv&q=mscp", HTTP_ACCEPT_LANGUAGE="fr"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Date d’annonce"] == ""
    assert row["Modèle de distribution"] == "non précisé" and row["Modèle de distribution (code)"] == ""


def test_xlsx_neutralises_formulas_and_drops_control_characters(client, db):
    PartnerFactory(name='=HYPERLINK("http://evil","x")', country="France")
    PartnerFactory(name="Bell\x07 and tab\x01 Ltd", country="+33 trick")
    sheet, rows = read_xlsx(body(client.get("/partners/?export=xlsx&sort=name")))
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil","x")' in names
    assert "Bell and tab Ltd" in names
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert "'+33 trick" in [row[2] for row in rows[1:]]


def test_export_bad_format_and_bad_filter_are_400(client, db):
    r = client.get("/people/?export=pdf")
    assert r.status_code == 400 and b"xlsx" in r.content
    assert client.get("/sources/?export=xlsx&year=xx").status_code == 400


def test_sources_export_keeps_unknown_dates_empty(client, db):
    SourceFactory(title="Undated", published_on=None)
    SourceFactory(title="Dated", published_on=dt.date(2010, 11, 23))
    _sheet, rows = read_xlsx(body(client.get("/sources/?export=xlsx&sort=title")))
    by_title = {row[1]: row for row in rows[1:]}
    assert by_title["Dated"][rows[0].index("Published on")] == dt.datetime(2010, 11, 23)
    assert by_title["Undated"][rows[0].index("Published on")] is None


def test_vendor_export_gives_month_names_and_numbers(client, db):
    VendorFactory(name="Fiscal", fiscal_year_start_month=7)
    data = json.loads(body(client.get("/vendors/?export=json&q=fiscal", HTTP_ACCEPT_LANGUAGE="fr")))
    assert data[0]["fiscal_year_start_month"] == "juillet" and data[0]["fiscal_year_start_month_code"] == 7


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("libreoffice"), reason="LibreOffice is optional; openpyxl reads every export")
def test_libreoffice_converts_an_export_to_csv(client, shipped, tmp_path):
    (tmp_path / "programs.xlsx").write_bytes(body(client.get("/programs/?export=xlsx")))
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "programs.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "programs.csv").read_text(encoding="utf-8", errors="replace"))))
    assert rows[0][:3] == ["Slug", "Name", "Acronym"]
    assert {"cpp", "mscp", "frontline"} <= {row[0] for row in rows[1:]}


# -- the comparison ---------------------------------------------------------------------


def test_comparison_exports_csv_xlsx_and_json(client, shipped):
    base = "/programs/compare/?p=cpp&p=mscp"
    sheet, rows = read_xlsx(body(client.get(base + "&export=xlsx", HTTP_ACCEPT_LANGUAGE="fr")))
    assert rows[0][1:] == ["Cloud Partner Program (CPP)", "Managed Services Channel Program (MSCP)"]
    by_label = {row[0]: row[1:] for row in rows[1:]}
    assert by_label["Niveaux (échelle)"][1] == "Master (rang non précisé)"  # not "1. Master"
    assert by_label["Page"][0] == "http://testserver/programs/cpp/"
    sep, csv_rows = read_csv(client.get(base + "&export=csv", HTTP_ACCEPT_LANGUAGE="fr"))
    assert sep == ";" and [r[0] for r in csv_rows] == [r[0] for r in rows]
    data = json.loads(body(client.get(base + "&export=json")))
    assert [d["slug"] for d in data] == ["cpp", "mscp"]
    assert data[0]["designations"] == "Builder; Provider; Services reseller"
    assert client.get("/programs/compare/?p=cpp&export=csv").status_code == 400
    assert client.get(base + "&export=doc").status_code == 400


def test_export_links_offer_csv_xlsx_json(client, shipped):
    for url in [*LISTS, "/programs/compare/?p=cpp&p=mscp"]:
        html = client.get(url).content.decode()
        for fmt in ("csv", "xlsx", "json"):
            assert f"export={fmt}" in html, (url, fmt)


# -- the admin's export -------------------------------------------------------------
# Rows fetched in batches, a fixed number of queries per batch (foreign keys
# joined, many-to-many prefetched), whatever the number of rows: an export of
# every one of 100,000 memberships is not 100,000 queries.

ADMIN_EXPORT_URL = "/admin/partners/membership/export/"


def admin_export_all(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(ADMIN_EXPORT_URL, {"format": "0", "resource": "0"})
        content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return content.decode("utf-8").strip().splitlines(), len(ctx)


def add_memberships(n, source):
    for _ in range(n):
        membership = MembershipFactory(partner=PartnerFactory(), tier=TierFactory())
        membership.sources.add(source)


@pytest.mark.django_db
def test_admin_export_runs_a_fixed_number_of_queries_per_batch(admin_client, monkeypatch):
    monkeypatch.setattr(MembershipResource, "export_batch_size", 10)
    source = SourceFactory(slug="the-source")
    add_memberships(30, source)
    lines, queries = admin_export_all(admin_client)
    assert len(lines) == 31  # header + every membership
    assert all(line.endswith(",the-source") for line in lines[1:])
    add_memberships(30, source)
    lines, more = admin_export_all(admin_client)
    assert len(lines) == 61
    # Three more batches of ten: each one query for the rows (partner, tier
    # and program joined) and one for their sources.
    assert more - queries == 3 * 2


def export_resources():
    """Every admin with an export: (model, its resource)."""
    from django.contrib import admin

    from kb.admin import ImportExportAdmin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ImportExportAdmin):
            for resource_class in model_admin.get_export_resource_classes(None):
                yield model, resource_class


@pytest.mark.django_db
@pytest.mark.parametrize("native", [False, True], ids=["csv", "xlsx"])
def test_admin_export_reads_values_and_gives_the_row_by_row_cells(shipped, native):
    """The admin export reads columns with values() (no model instance per
    row: 100,000 memberships in seconds, not past a worker's 30 s), and its
    cells are exactly those of django-import-export's row-by-row export, for
    every admin's export, formula-like text and empty dates included."""
    from import_export.resources import ModelResource

    program = ProgramFactory(name="=HYPERLINK(1)", slug="formula", launch_window="-2+3")
    membership = MembershipFactory(partner=PartnerFactory(name="@SUM(1)"), tier=TierFactory(program=program))
    membership.sources.add(SourceFactory(slug="the-source"))
    checked = 0
    for model, resource_class in export_resources():
        resource = resource_class()
        assert resource.export_plan() is not None, f"{model.__name__}: a column the fast export cannot read"
        queryset = model._default_manager.all()
        fast = resource.export(queryset=queryset, force_native_type=native)
        slow = ModelResource.export(resource, queryset=queryset.order_by("pk"), force_native_type=native)
        assert fast.headers == slow.headers
        assert list(fast) == list(slow), model.__name__
        assert len(fast) == queryset.count()
        checked += 1
    assert checked >= 8
