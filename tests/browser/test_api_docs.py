"""The API documentation page (/api/docs/) in a real browser, under a strict
Content-Security-Policy (``script-src 'self'``, no inline code): the
endpoints are on the page itself; Swagger UI loads from local files when the
reader asks for it (a button, or the address ``#swagger-ui``), reads
/api/schema/ and lists every operation."""

import os
from pathlib import Path

import pytest

from tests.factories import ProgramFactory, VendorFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
SCREENSHOT = Path(os.environ.get("API_DOCS_SCREENSHOT", "/tmp/api-docs.png"))


def test_docs_page_renders_every_operation_under_a_strict_csp(page, live_server):
    ProgramFactory(name="Cloud Partner Program", vendors=[VendorFactory(name="Cisco")])
    problems, outside = [], []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    def with_csp(route):
        url = route.request.url
        if not url.startswith(live_server.url):
            outside.append(url)
            route.abort()
            return
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/*", with_csp)
    bundles = []
    page.on("request", lambda request: "swagger-ui-bundle" in request.url and bundles.append(request.url))
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_load_state("networkidle")
    assert not bundles  # Swagger UI is not fetched before it is asked for
    assert page.locator("table.api-endpoints a[href='/api/programs/']").count() == 1
    page.get_by_role("button", name="Open the interactive documentation").click()
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert bundles
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    for endpoint in ("vendors", "people", "programs", "tiers", "events", "partners", "memberships", "sources"):
        assert f"/api/{endpoint}/" in paths
    assert "/api/programs/{slug}/" in paths
    assert page.locator(".opblock-get").count() == len(paths) == 22  # passages: list and detail
    assert "Partner-program knowledge base API" in page.locator("#main > h1").inner_text()
    # Swagger UI's href-less labels are marked as no links (Lighthouse crawlable-anchors).
    assert page.locator("#swagger-ui a:not([href]):not([role])").count() == 0
    assert page.locator("#swagger-ui a.nostyle[role=none]").count() >= 22

    page.screenshot(path=str(SCREENSHOT.with_name("api-docs-top.png")))

    # Open one operation and run it from the page: the live API answers.
    page.locator("#operations-programs-programs_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.wait_for_selector(".live-responses-table .response-col_status")
    assert "Cloud Partner Program" in page.locator(".live-responses-table").inner_text()

    page.screenshot(path=str(SCREENSHOT), full_page=False)
    assert not outside, outside
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


@pytest.mark.parametrize("language", ["en", "fr"])
def test_axe_finds_no_violation_on_the_docs_page(page, live_server, language):
    """WCAG 2.1 A/AA (axe-core, bundled), before and after Swagger UI is
    opened: the page's language, landmarks, heading order and Swagger UI's
    colours as our stylesheet overrides them."""
    from axe_playwright_python.sync_playwright import Axe

    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_load_state("networkidle")
    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    before = axe.run(page, options=options)
    assert [(v["id"], len(v["nodes"])) for v in before.response["violations"]] == []
    page.goto(f"{live_server.url}/api/docs/#swagger-ui")  # opens the interactive documentation
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert page.locator("html").get_attribute("lang") == language
    results = axe.run(page, options=options)
    violations = [(v["id"], len(v["nodes"])) for v in results.response["violations"]]
    assert violations == [], violations
