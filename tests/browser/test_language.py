"""A French reader in a real browser, JavaScript off: the site opens in
French (the browser's language), the switcher turns it to English on the
same page with the same filters, and the choice holds on the next page."""

import pytest

from tests.factories import ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def french_page(browser):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_french_reader_switches_to_english_and_keeps_the_page(french_page, live_server):
    ProgramFactory(name="Cloud Partner Program", slug="cpp")
    page = french_page
    url = f"{live_server.url}/programs/?status=announced&page=1"
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Programmes").count()

    with page.expect_navigation():
        page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    assert page.url == url
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").count()

    page.goto(f"{live_server.url}/vendors/")
    assert page.locator("html").get_attribute("lang") == "en"  # the cookie beats the browser's French
