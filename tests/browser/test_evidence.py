"""In Chromium: an analyst opens a fact's passage on a program page and
follows it to the highlighted sentence of the source; staff add a passage by
selecting words in the source's text in the admin (the selection script
fills the form; the server checks the offsets against the text)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from sources.models import Passage, Source
from tests.evidence_sample import add_sample_passages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path("/tmp/shots")


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def site(live_server):
    call_command("load_knowledge", verbosity=0)
    Passage.objects.all().delete()  # the tests' own passages only (the shipped ones: test_shipped_passages_...)
    Source.objects.update(text_public=True)
    return live_server.url, add_sample_passages()


def test_open_a_passage_and_follow_it_to_the_source(page, site):
    url, made = site
    route = made["cpp_route"]
    page.goto(f"{url}/programs/cpp/")
    marker = page.locator("#fact-route_to_market + dd details.evidence")
    quote = marker.locator("blockquote")
    assert not quote.is_visible()  # closed until asked
    marker.locator("summary").click()
    assert quote.is_visible()
    assert quote.get_attribute("lang") == "fr"
    assert "le tout indirect" in quote.inner_text()
    shot(page, "evidence-marker-open")
    marker.get_by_role("link", name=Source.objects.get(slug="art-002").title).click()
    page.wait_for_url(f"**/sources/art-002/#passage-{route.pk}")
    target = page.locator(":target")
    assert target.evaluate("e => e.tagName") == "MARK"
    assert target.inner_text() == "le tout indirect"
    assert target.is_visible()
    box = target.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"]  # scrolled to it
    shot(page, "evidence-source-highlighted")


def test_staff_add_a_passage_by_selecting_words(page, site, django_user_model):
    url, _made = site
    django_user_model.objects.create_superuser("chief", "chief@example.com", "pw-chief-123")
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-chief-123")
    page.click("input[type=submit]")
    source = Source.objects.get(slug="art-002")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{url}/admin/sources/source/{source.pk}/passages/add/")
    words = "un financement particulier est envisageable"
    # Select the words as a person would, from the middle of a paragraph.
    page.evaluate(
        """words => {
            const root = document.getElementById('kb-selectable-text');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.toLowerCase().indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const selection = window.getSelection();
                    selection.removeAllRanges();
                    selection.addRange(range);
                    root.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                    return;
                }
            }
            throw new Error('words not found');
        }""",
        words,
    )
    start = source.text.lower().index(words)
    assert page.input_value("#id_exact").lower() == words
    assert page.input_value("#id_start") == str(start)
    assert page.input_value("#id_end") == str(start + len(words))
    assert page.input_value("#id_prefix") == source.text[start - 32 : start]
    assert "Selected" in page.locator("#kb-selection-status").inner_text()
    page.select_option("#id_record", label="Financing for cloud infrastructure")
    page.fill("#id_field", "description")
    shot(page, "evidence-admin-selected")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the passage").click()
    assert "Passage added" in page.content()
    added = Passage.objects.get(start=start)
    assert (added.end, added.field, str(added.target)) == (
        start + len(words),
        "description",
        "Financing for cloud infrastructure",
    )
    assert page.locator(f"mark#passage-{added.pk}").inner_text().lower() == words
    assert not errors
    shot(page, "evidence-admin-added")


def axe_violations(page, include):
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = Axe().run(page, context={"include": [[selector] for selector in include]}, options=options)
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]


def test_axe_finds_no_violation_in_the_evidence_parts(page, site, django_user_model):
    url, _made = site
    for path, include in [
        ("/programs/frontline/", ["details.evidence"]),
        ("/programs/cpp/", ["details.evidence", ".evidence-footnotes"]),
        ("/programs/compare/?p=cpp&p=frontline", ["details.evidence"]),
        ("/programs/events/cpp-launch/", ["details.evidence"]),
        ("/sources/art-002/", ["#h-text", ".source-text", ".passage-list", "details.uncovered"]),
    ]:
        page.goto(url + path)
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert axe_violations(page, include) == [], path
    django_user_model.objects.create_superuser("chief", "chief@example.com", "pw-chief-123")
    page.goto(f"{url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-chief-123")
    page.click("input[type=submit]")
    source = Source.objects.get(slug="art-002")
    page.goto(f"{url}/admin/sources/source/{source.pk}/passages/add/")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert axe_violations(page, [".kb-evidence", "#kb-passage-form"]) == []
    page.goto(f"{url}/admin/sources/source/needs-evidence/")
    assert axe_violations(page, [".kb-needs-evidence"]) == []
