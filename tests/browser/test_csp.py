"""Under the strict Content-Security-Policy (no inline script or style),
public pages, the admin and error pages work in a real browser without a
single CSP violation (console or `securitypolicyviolation` event)."""

import pytest

from programs.models import Program
from tests.public_urls import build_world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-admin-browser-123"

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(
    e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber
  );
});
"""


@pytest.fixture
def watched(page):
    console = []
    page.on(
        "console",
        lambda msg: (
            console.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    page.add_init_script(WATCH)
    return page, console


def visit(page, console, url, expect_status=200):
    response = page.goto(url)
    assert response.status == expect_status, url
    page.wait_for_load_state("load")
    events = page.evaluate("window.__csp || []")
    assert not events, f"{url}: {events}"
    assert not console, f"{url}: {console}"
    return response


def test_public_and_admin_pages_have_no_csp_violation(watched, live_server, django_user_model):
    page, console = watched
    build_world()
    program = Program.objects.published().order_by("pk").first()
    django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)
    base = live_server.url

    visit(page, console, f"{base}/")
    visit(page, console, f"{base}/programs/")
    visit(page, console, f"{base}{program.get_absolute_url()}")
    visit(page, console, f"{base}/no-such-page/", expect_status=404)

    visit(page, console, f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    assert not page.evaluate("window.__csp || []") and not console

    visit(page, console, f"{base}/admin/programs/program/")
    # The change list's JavaScript runs: ticking a row's box shows the count.
    page.check("input.action-select >> nth=0")
    assert "1 of" in page.inner_text(".action-counter")
    visit(page, console, f"{base}/admin/programs/program/{program.pk}/change/")
    # The change form's JavaScript runs: collapsible fieldsets, related-object widgets.
    assert page.locator("#id_name").input_value() == program.name
    visit(page, console, f"{base}/admin/programs/program/add/")
    visit(page, console, f"{base}/admin/programs/program/{program.pk}/history/")
    visit(page, console, f"{base}/admin/programs/program/import/")
    visit(page, console, f"{base}/admin/programs/program/{program.pk + 100000}/change/", expect_status=200)
    # Export of the selection (django-import-export's form).
    page.goto(f"{base}/admin/programs/program/")
    page.check("input.action-select >> nth=0")
    page.select_option("select[name=action]", "export_admin_action")
    page.click("button[name=index]")
    page.wait_for_load_state("load")
    assert page.locator("select[name=format]").count() == 1  # the export form
    assert not page.evaluate("window.__csp || []"), page.evaluate("window.__csp")
    assert not console, console
