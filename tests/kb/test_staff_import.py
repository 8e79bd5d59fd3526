"""Spreadsheet import and export in the admin: an Editor uploads a CSV or XLSX
file, sees every row as new, changed, unchanged or invalid before anything is
written, and confirms; bad files are refused with line-and-column messages and
write nothing; an export re-imports as unchanged."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partners.models import Membership, Partner
from programs.models import Benefit, Program, ProgramEvent, Tier, TierKind
from sources.models import Source
from tests.factories import (
    FocusAreaFactory,
    PartnerFactory,
    ProgramFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
)
from vendors.models import Vendor

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def import_targets(db):
    """The records the files in tests/data/ refer to."""
    hp = VendorFactory(name="HP", slug="hp")
    VendorFactory(name="Microsoft", slug="microsoft")
    cisco = VendorFactory(name="Cisco", slug="cisco")
    FocusAreaFactory(name="Cloud", slug="cloud")
    FocusAreaFactory(name="Managed services", slug="managed-services")
    SourceFactory(title="Article 1", slug="article-1")
    mscp = ProgramFactory(name="Managed Services Channel Program", acronym="MSCP", slug="mscp", vendors=[cisco])
    for rank, slug in enumerate(["express", "premier", "master"], start=1):
        TierFactory(program=mscp, name=slug.capitalize(), slug=slug, kind=TierKind.LEVEL, rank=rank)
    cpp = ProgramFactory(name="Cisco Partner Program", acronym="CPP", slug="cpp", vendors=[cisco])
    for slug in ["builder", "provider"]:
        TierFactory(program=cpp, name=slug.capitalize(), slug=slug, kind=TierKind.DESIGNATION, rank=None)
    PartnerFactory(name="Acme", slug="acme", country="France")
    return {"hp": hp, "cisco": cisco, "mscp": mscp, "cpp": cpp}


def import_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")


def preview(client, model, filename, content=None, fmt=""):
    """Upload a file (from tests/data/ or given bytes): the preview step."""
    data = content if content is not None else (DATA / filename).read_bytes()
    upload = io.BytesIO(data)
    upload.name = filename
    return client.post(import_url(model), {"resource": "0", "import_file": upload, "format": fmt})


def confirm(client, model, response):
    """Press "Confirm import" on a preview page."""
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_process_import")
    return client.post(url, data, follow=True)


def rows(response):
    return [(row["line"], row["status"], row["label"]) for row in response.context["preview_rows"]]


def issues(response):
    return [
        (row["line"], column, message)
        for row in response.context["preview_rows"]
        for column, message, _ in row["issues"]
    ]


# -- good files ---------------------------------------------------------------


@pytest.mark.parametrize("filename", ["programs_good.csv", "programs_good.xlsx"])
def test_preview_then_confirm_programs(editor_client, import_targets, filename):
    before = Program.objects.get(slug="mscp").history.count()
    response = preview(editor_client, Program, filename)
    assert response.status_code == 200
    assert rows(response) == [
        (2, "new", "Frontline Partner Program"),
        (3, "changed", "Managed Services Channel Program (MSCP)"),
    ]
    # The changed row lists exactly the columns that change.
    changed = response.context["preview_rows"][1]["changes"]
    assert {c.column: (c.old, c.new) for c in changed} == {
        "status": ("announced", "active"),
        "focus_areas": ("", "managed-services"),
        "route_to_market": ("", "indirect"),
        "summary": ("", "Trois niveaux dont Master."),
        "launch_window": ("", "fiscal Q4"),
        "launch_start": ("", "2010-05-01"),
        "launch_end": ("", "2010-07-31"),
        "levels_announced": ("", "3"),
        "sources": ("", "article-1"),
    }
    page = response.content.decode()
    assert "1 new, 1 changed, 0 unchanged, 0 invalid." in page
    assert "Confirm import" in page
    # Nothing is written by the preview.
    assert not Program.objects.filter(slug="frontline").exists()
    assert Program.objects.get(slug="mscp").status == "announced"

    done = confirm(editor_client, Program, response)
    assert done.status_code == 200
    assert "Import done: 1 new and 1 changed programs; 0 unchanged." in done.content.decode()
    frontline = Program.objects.get(slug="frontline")
    assert sorted(v.slug for v in frontline.vendors.all()) == ["hp", "microsoft"]
    assert sorted(f.slug for f in frontline.focus_areas.all()) == ["cloud", "managed-services"]
    assert frontline.announced_on == dt.date(2010, 5, 1)
    assert frontline.summary == "Programme commun annoncé par HP et Microsoft."
    mscp = Program.objects.get(slug="mscp")
    assert (mscp.status, mscp.levels_announced, mscp.launch_end) == ("active", 3, dt.date(2010, 7, 31))
    # Related records are matched, never duplicated.
    assert Vendor.objects.count() == 3
    # The import is in history, with who and why.
    assert mscp.history.count() > before
    latest = mscp.history.first()
    assert latest.history_user.username == "editor"
    assert latest.history_change_reason == f"Imported from {filename}"
    assert frontline.history.last().history_type == "+"


@pytest.mark.parametrize(
    ("model", "filename", "expected"),
    [
        (Tier, "tiers_good.csv", [(2, "changed", "MSCP – Master"), (3, "new", "CPP – Services reseller")]),
        (Benefit, "benefits_good.csv", [(2, "new", "Remise Master"), (3, "new", "Financement")]),
        (
            ProgramEvent,
            "events_good.csv",
            [(2, "new", "Lancement du MSCP"), (3, "new", "Annonce de Frontline")],
        ),
        (Partner, "partners_good.csv", [(2, "changed", "Acme"), (3, "new", "Globex Services")]),
        (
            Membership,
            "memberships_good.csv",
            [
                (2, "new", "Acme – MSCP – Premier"),
                (3, "new", "Acme – CPP – Builder"),
                (4, "new", "Acme – CPP – Provider"),
            ],
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_preview_then_confirm_every_model(editor_client, import_targets, model, filename, expected):
    count = model.objects.count()
    response = preview(editor_client, model, filename)
    assert rows(response) == expected
    assert model.objects.count() == count
    confirm(editor_client, model, response)
    new = sum(1 for _, status, _ in expected if status == "new")
    assert model.objects.count() == count + new


def test_imported_records_point_at_the_right_related_records(editor_client, import_targets):
    for model, filename in [(Benefit, "benefits_good.csv"), (Membership, "memberships_good.csv")]:
        confirm(editor_client, model, preview(editor_client, model, filename))
    remise = Benefit.objects.get(title="Remise Master")
    assert (remise.program.slug, remise.tier.slug) == ("mscp", "master")
    assert Benefit.objects.get(title="Financement").program.slug == "cpp"  # "CPP" in the file: any case
    premier = Membership.objects.get(tier__slug="premier")
    assert (premier.partner.slug, premier.program.slug, premier.tier_kind) == ("acme", "mscp", "level")
    assert list(premier.sources.values_list("slug", flat=True)) == ["article-1"]


def test_related_record_found_by_name_too(editor_client, import_targets):
    content = b"slug,title,kind,program,vendor,start_date,precision,sources\n"
    content += b"hp-day,HP day,conference,,hp,,unknown,Article 1\n"
    content += b"cisco-day,Cisco day,conference,Cisco Partner Program,Cisco,,unknown,article-1\n"
    confirm(editor_client, ProgramEvent, preview(editor_client, ProgramEvent, "events.csv", content))
    assert ProgramEvent.objects.get(slug="cisco-day").program.slug == "cpp"
    assert ProgramEvent.objects.get(slug="hp-day").vendor.slug == "hp"


# -- bad files: refused in the preview, nothing written ----------------------


def assert_nothing_written(response, model, count):
    # No "Confirm import" of the whole file; at most "Import the valid rows only"
    # (which leaves the invalid lines out) when some rows are valid.
    confirm = response.context.get("confirm_form") if "confirm_form" in response.context else None
    assert confirm is None or confirm.initial.get("invalid_lines")
    assert "Confirm import" not in response.content.decode()
    assert model.objects.count() == count


def test_wrong_columns_refused(editor_client, import_targets):
    response = preview(editor_client, Program, "programs_wrong_columns.csv")
    assert_nothing_written(response, Program, 2)
    page = response.content.decode()
    assert "Unknown columns: nom, vendeurs." in page
    assert "The columns are: slug, name, acronym, vendors," in page


def test_missing_key_column_refused(editor_client, import_targets):
    response = preview(editor_client, Partner, "partners.csv", b"name,country\nAcme,France\n")
    assert_nothing_written(response, Partner, 1)
    assert "Missing columns: slug" in response.content.decode()


def test_unknown_vendor_is_a_row_error(editor_client, import_targets):
    response = preview(editor_client, ProgramEvent, "events_unknown_vendor.csv")
    assert_nothing_written(response, ProgramEvent, 0)
    assert rows(response)[0][1] == "invalid"
    assert rows(response)[1][1] == "new"
    assert (2, "vendor", "No vendor with the slug or name “oracle”.") in issues(response)
    page = response.content.decode()
    assert "0 new" not in page and "1 invalid." in page
    assert "Line 2, column <code>vendor</code>" in page


PROGRAM_HEADER = b"slug,name,vendors,status,announced_precision,is_published,sources\n"


def test_a_program_without_vendors_is_a_row_error(editor_client, import_targets):
    """An empty vendors cell would leave the program saying "Vendors: not
    stated in the sources", which is false: refused on its row, as the admin
    refuses deleting a program's only vendor."""
    content = PROGRAM_HEADER + b"mscp,MSCP,,active,unknown,1,article-1\nnew-one,New one,,announced,unknown,0,\n"
    response = preview(editor_client, Program, "programs.csv", content)
    assert_nothing_written(response, Program, 2)
    assert [r[1] for r in rows(response)] == ["invalid", "invalid"]
    message = "A program needs at least one of its vendors: this column cannot be empty."
    assert (2, "vendors", message) in issues(response) and (3, "vendors", message) in issues(response)
    assert list(import_targets["mscp"].vendors.all()) == [import_targets["cisco"]]


def test_publishing_a_program_that_cites_nothing_is_a_row_error(editor_client, import_targets):
    content = PROGRAM_HEADER + b"sourceless,Sourceless,hp,announced,unknown,1,\ndraft,Draft,hp,announced,unknown,0,\n"
    response = preview(editor_client, Program, "programs.csv", content)
    assert [r[1] for r in rows(response)] == ["invalid", "new"]
    assert any(
        line == 2 and column == "is_published" and "cites no source at all" in message
        for line, column, message in issues(response)
    )
    # Without the sources column, a draft published by the file needs sources of its own.
    Program.objects.filter(slug="cpp").update(is_published=False)
    content = b"slug,name,vendors,status,announced_precision,is_published\ncpp,CPP,cisco,active,unknown,1\n"
    assert [r[1] for r in rows(preview(editor_client, Program, "programs.csv", content))] == ["invalid"]
    import_targets["cpp"].sources.add(Source.objects.get(slug="article-1"))
    assert [r[1] for r in rows(preview(editor_client, Program, "programs.csv", content))] == ["changed"]
    # A record already published citing nothing (made before the rule) may be re-imported as it is.
    content = b"slug,name,vendors,status,announced_precision,is_published\nmscp,MSCP,cisco,active,unknown,1\n"
    assert [r[1] for r in rows(preview(editor_client, Program, "programs.csv", content))] == ["changed"]


def test_bad_dates_are_row_errors(editor_client, import_targets):
    response = preview(editor_client, ProgramEvent, "events_bad_date.csv")
    assert_nothing_written(response, ProgramEvent, 0)
    found = issues(response)
    assert (2, "start_date", "“31/05/2010” is not a date: write it as YYYY-MM-DD, e.g. 2010-05-01.") in found
    assert (3, "end_date", "“2010-13-01” is not a date: write it as YYYY-MM-DD, e.g. 2010-05-01.") in found


def test_duplicate_slug_in_file_is_a_row_error(editor_client, import_targets):
    response = preview(editor_client, Partner, "partners_duplicate_slug.csv")
    assert_nothing_written(response, Partner, 1)
    assert [r[1] for r in rows(response)] == ["new", "new", "invalid"]
    assert (4, "slug", "The same record (slug) is already on line 2: each record goes on one line.") in issues(response)


def test_level_rule_is_a_row_error(editor_client, import_targets):
    response = preview(editor_client, Membership, "memberships_level_rule.csv")
    assert_nothing_written(response, Membership, 0)
    assert [r[1] for r in rows(response)] == ["new", "invalid"]
    (line, column, message) = issues(response)[0]
    assert (line, column) == (3, "tier")
    assert "holds one level of a program at a time" in message


def test_level_rule_against_existing_membership(editor_client, import_targets):
    Membership.objects.create(partner=Partner.objects.get(slug="acme"), tier=Tier.objects.get(slug="express"))
    content = b"partner,program,tier,since\nacme,mscp,master,2011-01-01\n"
    response = preview(editor_client, Membership, "m.csv", content)
    assert_nothing_written(response, Membership, 1)
    assert "holds one level of a program at a time" in issues(response)[0][2]


def test_bad_xlsx_rows(editor_client, import_targets):
    response = preview(editor_client, Membership, "memberships_bad.xlsx")
    assert_nothing_written(response, Membership, 0)
    found = issues(response)
    assert (2, "tier", "No tier with the slug or name “platinum”.") in found
    assert (3, "since", "“le 1er mai” is not a date: write it as YYYY-MM-DD, e.g. 2010-05-01.") in found
    assert (4, "partner", "No partner with the slug or name “nobody”.") in found
    assert (4, "sources", "Unknown sources: “article-404”.") in found


def test_wrong_encoding_refused(editor_client, import_targets):
    response = preview(editor_client, Partner, "partners_latin1.csv")
    assert_nothing_written(response, Partner, 1)
    assert "This file is not UTF-8 text" in response.content.decode()


@pytest.mark.parametrize("filename", ["empty.csv", "partners_headers_only.csv"])
def test_empty_file_refused(editor_client, import_targets, filename):
    response = preview(editor_client, Partner, filename)
    assert_nothing_written(response, Partner, 1)
    page = response.content.decode()
    assert "The submitted file is empty." in page or "No valid data to import" in page


def test_file_over_the_size_limit_refused_up_front(editor_client, import_targets, settings):
    settings.IMPORT_MAX_FILE_SIZE = 100
    response = preview(editor_client, Partner, "partners_good.csv")
    assert_nothing_written(response, Partner, 1)
    assert "result" not in response.context  # not even read
    assert "This file is 187\xa0bytes; the limit is 100\xa0bytes." in response.content.decode()


def test_xlsx_content_under_csv_name_refused(editor_client, import_targets):
    response = preview(editor_client, Program, "programs.csv", (DATA / "programs_good.xlsx").read_bytes())
    assert_nothing_written(response, Program, 2)


def test_unknown_extension_asks_for_the_format(editor_client, import_targets):
    response = preview(editor_client, Partner, "partners.txt", (DATA / "partners_good.csv").read_bytes())
    assert "Choose the format" in response.content.decode()
    ok = preview(editor_client, Partner, "partners.txt", (DATA / "partners_good.csv").read_bytes(), fmt="0")
    assert "confirm_form" in ok.context


# -- all or nothing ---------------------------------------------------------------


def test_confirm_writes_nothing_if_the_records_changed_since_the_preview(editor_client, import_targets):
    response = preview(editor_client, Partner, "partners_good.csv")
    acme = Partner.objects.get(slug="acme")
    acme.description = "Edited by someone else meanwhile"
    acme.save()
    done = confirm(editor_client, Partner, response)
    assert done.status_code == 409
    page = done.content.decode()
    assert "Nothing was imported." in page
    assert "changed by someone else since the preview" in page
    assert not Partner.objects.filter(slug="globex").exists()  # the new row was rolled back too
    acme.refresh_from_db()
    assert (acme.country, acme.description) == ("France", "Edited by someone else meanwhile")


def test_confirm_rolls_back_every_row_when_one_fails(editor_client, import_targets):
    response = preview(editor_client, Membership, "memberships_good.csv")
    # Between preview and confirm, someone gives Acme another current MSCP level.
    Membership.objects.create(partner=Partner.objects.get(slug="acme"), tier=Tier.objects.get(slug="master"))
    done = confirm(editor_client, Membership, response)
    assert done.status_code == 409
    assert Membership.objects.count() == 1  # the two valid designation rows were not written either


def test_unchanged_file_offers_nothing_to_confirm(editor_client, import_targets):
    confirm(editor_client, Partner, preview(editor_client, Partner, "partners_good.csv"))
    again = preview(editor_client, Partner, "partners_good.csv")
    assert [r[1] for r in rows(again)] == ["unchanged", "unchanged"]
    assert "Every row is unchanged: there is nothing to import." in again.content.decode()
    assert "confirm_form" not in again.context


# -- export and round trip ----------------------------------------------------------


def export_selected(client, model, pks, fmt):
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    form_page = client.post(changelist, {"action": "export_admin_action", "_selected_action": pks})
    assert form_page.status_code == 200
    export_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    assert set(form_page.context["form"].fields) == {"resource", "format", "export_items"}  # every column, always
    return client.post(export_url, {"format": fmt, "resource": "0", "export_items": [str(pk) for pk in pks]})


@pytest.mark.parametrize(
    ("model", "filename"),
    [
        (Program, "programs_good.csv"),
        (Tier, "tiers_good.csv"),
        (Benefit, "benefits_good.csv"),
        (ProgramEvent, "events_good.csv"),
        (Partner, "partners_good.csv"),
        (Membership, "memberships_good.csv"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
@pytest.mark.parametrize(("fmt", "extension"), [("0", "csv"), ("1", "xlsx")])
def test_export_of_selected_rows_reimports_as_unchanged(editor_client, import_targets, model, filename, fmt, extension):
    confirm(editor_client, model, preview(editor_client, model, filename))
    selected = list(model.objects.order_by("pk").values_list("pk", flat=True))[:2]
    response = export_selected(editor_client, model, selected, fmt)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    content = response.content
    if extension == "csv":
        lines = content.decode("utf-8").strip().splitlines()
        assert len(lines) == 1 + len(selected)  # header + only the selected rows
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet.max_row == 1 + len(selected)
    again = preview(editor_client, model, f"export.{extension}", content)
    assert [r[1] for r in rows(again)] == ["unchanged"] * len(selected), issues(again)


def test_export_columns_are_the_import_columns(editor_client, import_targets):
    response = export_selected(editor_client, Program, [import_targets["mscp"].pk], "0")
    header, row = response.content.decode("utf-8").strip().splitlines()
    assert header == (DATA / "programs_good.csv").read_text().splitlines()[0]
    assert row.startswith("mscp,Managed Services Channel Program,MSCP,cisco,announced,")


# -- permissions -----------------------------------------------------------------


def test_editor_sees_import_and_export_on_the_change_list(editor_client, import_targets):
    page = editor_client.get(reverse("admin:programs_program_changelist")).content.decode()
    assert 'class="import_link"' in page
    assert 'class="export_link"' in page


def test_view_only_user_cannot_import(client, django_user_model, import_targets):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="pw-viewer-123", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_partner"))
    client.force_login(user)
    assert client.get(import_url(Partner)).status_code == 403
    assert client.get(reverse("admin:partners_partner_export")).status_code == 200
