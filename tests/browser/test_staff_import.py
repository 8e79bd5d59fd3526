"""An Editor imports a spreadsheet in a real browser: upload, read the
preview (nothing written yet), confirm, find the records."""

from pathlib import Path

import pytest
from django.apps import apps

from knowledge.roles import sync_editors_group
from programs.models import Program, TierKind
from tests.factories import FocusAreaFactory, PartnerFactory, ProgramFactory, SourceFactory, TierFactory, VendorFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DATA = Path(__file__).parent.parent / "data"
PASSWORD = "pw-editor-browser-123"


@pytest.fixture
def editor_page(page, live_server, django_user_model):
    group = sync_editors_group(apps)
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(group)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


@pytest.fixture
def import_targets(db):
    hp = VendorFactory(name="HP", slug="hp")
    VendorFactory(name="Microsoft", slug="microsoft")
    cisco = VendorFactory(name="Cisco", slug="cisco")
    FocusAreaFactory(name="Cloud", slug="cloud")
    FocusAreaFactory(name="Managed services", slug="managed-services")
    SourceFactory(title="Article 1", slug="article-1")
    mscp = ProgramFactory(name="Managed Services Channel Program", acronym="MSCP", slug="mscp", vendors=[cisco])
    for rank, slug in enumerate(["express", "premier", "master"], start=1):
        TierFactory(program=mscp, name=slug.capitalize(), slug=slug, kind=TierKind.LEVEL, rank=rank)
    PartnerFactory(name="Acme", slug="acme")
    return hp


def test_editor_imports_programs_with_preview_and_confirm(editor_page, live_server, import_targets, tmp_path):
    page = editor_page
    page.goto(f"{live_server.url}/admin/programs/program/")
    page.click("a.import_link")
    page.set_input_files("#id_import_file", str(DATA / "programs_good.csv"))
    page.click("input[type=submit][value=Preview]")

    # The preview: every row with its status, nothing written yet.
    page.wait_for_selector("#import-preview")
    assert "1 new, 1 changed, 0 unchanged, 0 invalid." in page.inner_text(".kb-import-counts")
    statuses = page.locator("#import-preview tbody .kb-status").all_inner_texts()
    assert [s.strip() for s in statuses] == ["new", "changed"]
    changed_row = page.locator("#import-preview tbody tr.kb-row-changed").inner_text()
    assert "status" in changed_row and "announced" in changed_row and "active" in changed_row
    assert not Program.objects.filter(slug="frontline").exists()
    page.screenshot(path=str(tmp_path / "import-preview.png"), full_page=True)

    page.click("input[type=submit][name=confirm]")
    page.wait_for_selector(".messagelist")
    assert "Import done: 1 new and 1 changed programs; 0 unchanged." in page.inner_text(".messagelist")
    assert "Frontline Partner Program" in page.inner_text("#result_list")
    frontline = Program.objects.get(slug="frontline")
    assert sorted(frontline.vendors.values_list("slug", flat=True)) == ["hp", "microsoft"]
    assert Program.objects.get(slug="mscp").status == "active"
    assert frontline.history.first().history_user.username == "editor"


def test_editor_sees_invalid_rows_and_cannot_confirm(editor_page, live_server, import_targets):
    page = editor_page
    page.goto(f"{live_server.url}/admin/partners/membership/import/")
    page.set_input_files("#id_import_file", str(DATA / "memberships_level_rule.csv"))
    page.click("input[type=submit][value=Preview]")
    page.wait_for_selector("#import-preview")
    invalid = page.locator("#import-preview tr.kb-row-invalid").inner_text()
    assert "Line 3, column tier" in invalid
    assert "holds one level of a program at a time" in invalid
    # The whole file cannot be confirmed: only the explicit "valid rows only" choice is offered.
    assert page.locator("input[name=confirm][value='Confirm import']").count() == 0
    assert page.locator("input[name=confirm][value='Import the valid rows only']").count() == 1
