"""The timeline's picture in Chromium: drawn under the site's strict CSP (no
console error, no CSP violation), readable, and without axe violations."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOT = "/tmp/timeline.png"


@pytest.fixture
def site(live_server):
    call_command("load_knowledge", verbosity=0)
    return live_server.url


def test_timeline_picture(page, site):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{site}/timeline/")
    svg = page.locator("svg.timeline-svg")
    assert svg.is_visible()
    assert svg.get_attribute("role") == "img"
    assert page.get_by_role("img", name="The time span of these events").count() == 1
    assert page.locator(".timeline-mark").count() == page.locator("#timeline-list li.event").count() == 9
    assert page.locator('.timeline-mark[data-shape="open"]').count() == 7
    box = svg.bounding_box()
    assert box["width"] > 600 and box["height"] > 150
    svg.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOT, full_page=False, clip={**box, "height": min(box["height"] + 60, 900)})
    page.screenshot(path="/tmp/timeline-page.png", full_page=True)
    assert not errors, errors

    from tests.browser.test_evidence import axe_violations

    assert axe_violations(page, [".timeline-chart", "#timeline-list"]) == []

    page.goto(f"{site}/timeline/?month=7")
    assert page.locator(".timeline-mark").count() == 2
    page.goto(f"{site}/timeline/?month=13")
    assert "13 is not a month" in page.locator(".form-errors").inner_text()
