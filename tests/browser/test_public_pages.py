"""An analyst browses the public pages in a real browser (no JavaScript needed):
filters the program list, picks programs to compare, searches without
accents, filters the timeline, hits a 404, and reads on a phone."""

from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path("/tmp/shots")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def site(live_server):
    call_command("load_knowledge", verbosity=0)
    return live_server.url


def result_count(page):
    return page.locator(".result-count").inner_text()


def test_filter_program_list_and_counts_change(page, site):
    page.goto(f"{site}/programs/")
    assert result_count(page) == "4 results"
    page.locator("#facet-vendor").get_by_label("Cisco").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert result_count(page) == "2 results"
    assert "vendor=cisco" in page.url  # the link reproduces the view
    page.locator("#facet-focus_area").get_by_label("Cloud computing").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert result_count(page) == "1 result"
    assert page.locator("table.data tbody tr").count() == 1
    assert "Cloud Partner Program" in page.locator("table.data tbody").inner_text()
    shot(page, "browser-programs-filtered")
    # Sorting keeps the filters.
    with page.expect_navigation():
        page.get_by_role("link", name="Name").click()
    assert "vendor=cisco" in page.url and "sort=" in page.url


def test_pick_two_programs_and_compare(page, site):
    page.goto(f"{site}/programs/")
    page.get_by_label("Compare Cloud Partner Program").check()
    page.get_by_label("Compare Managed Services Channel Program").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Compare selected").first.click()
    assert "/programs/compare/" in page.url
    headers = page.locator("table.compare thead th").all_inner_texts()
    assert headers == ["Cloud Partner Program (CPP)", "Managed Services Channel Program (MSCP)"]
    assert "Builder" in page.locator("table.compare").inner_text()
    assert "Master" in page.locator("table.compare").inner_text()
    shot(page, "browser-compare")


def test_search_without_accents_highlights(page, site):
    page.goto(f"{site}/")
    page.locator("#site-q").fill("competence")
    with page.expect_navigation():  # read the results page, not the page being left
        page.locator("#site-q").press("Enter")
    assert "/search/" in page.url
    marks = page.locator("mark").all_inner_texts()
    # Stemmed matching: every highlighted word shares the stem, the accented forms among them.
    assert marks and all(m.lower().replace("é", "e").startswith("compet") for m in marks)
    assert any(m.lower().startswith("compéten") for m in marks)
    assert page.locator("h2", has_text="Programs").count() == 1
    shot(page, "browser-search")


def test_timeline_filters(page, site):
    page.goto(f"{site}/timeline/")
    before = result_count(page)
    page.locator("#facet-kind").get_by_label("conference").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert result_count(page) == "2 results" != before
    titles = page.locator(".event-title a").all_inner_texts()
    assert titles == ["Microsoft Worldwide Partner Conference", "Cisco Partner Summit"]
    assert "11–15 July 2010" in page.locator(".events").first.inner_text()
    shot(page, "browser-timeline")


def test_404_page(page, site):
    response = page.goto(f"{site}/programs/no-such-program/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert page.locator("#site-q").is_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/programs/",
        "/programs/cpp/",
        "/programs/compare/?p=cpp&p=mscp&p=frontline",
        "/timeline/",
        "/search/?q=cisco",
        "/sources/art-000/",
        "/vendors/cisco/",
    ],
)
def test_phone_width_has_no_horizontal_scroll(browser, site, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.goto(site + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width}px wide on a 360px screen"
    shot(page, "browser-phone" + path.replace("/", "_").replace("?", "_").replace("&", "_"))
    context.close()
