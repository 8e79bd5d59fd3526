"""An Editor turns the CPP article (seed 002) into knowledge in a real
browser: upload, then on the review screen accept Cisco, the program, its
three designations, its benefits, two events, the person and his two quotes.
The test counts the person's actions (clicks, fields filled, files chosen;
not logging in), prints them and fails over ``ACTION_BUDGET`` (the figure
measured is in bench/ingest-quality.md); the records and their passages
are on the public pages at once."""

import pytest
from django.apps import apps

from knowledge.ingest import nlp
from knowledge.models import ExtractedCandidate
from knowledge.roles import sync_editors_group
from programs.models import Benefit, Program, ProgramEvent
from sources.models import Passage, Quote
from vendors.models import Person

from ..knowledge.conftest import CPP, SEEDS

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "pw-editor-browser-123"
# The person's actions allowed for the whole article (excluding login); 30 measured,
# written down in bench/ingest-quality.md.
ACTION_BUDGET = 40


class Actions:
    """The page, counting what a person does on it."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, selector, timeout=60_000):
        self.count += 1
        with self.page.expect_navigation(timeout=timeout):
            self.page.click(selector)

    def open(self, selector):
        self.count += 1
        self.page.click(selector)

    def fill(self, selector, value):
        self.count += 1
        self.page.fill(selector, value)

    def select(self, selector, label):
        self.count += 1
        self.page.select_option(selector, label=label)

    def upload(self, selector, path):
        self.count += 1
        self.page.set_input_files(selector, str(path))


def pending(kind, text=None, startswith=None):
    qs = ExtractedCandidate.objects.filter(kind=kind, status="pending")
    if text:
        qs = qs.filter(text=text)
    if startswith:
        qs = qs.filter(text__startswith=startswith)
    return qs.order_by("start").first()


def test_cpp_article_to_records_in_the_review_screen(page, live_server, django_user_model, tmp_path):
    nlp.pipeline("fr")  # loaded once per process, as in a running server
    group = sync_editors_group(apps)
    user = django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(group)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/knowledge/ingestion/add/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#id_file")
    act = Actions(page)

    act.upload("#id_file", SEEDS / CPP)
    act.click("input[type=submit]", timeout=120_000)
    page.wait_for_selector(".ingest-review")
    assert page.locator(".ingest-body .ingest-mark.kind-quote").count() == 2
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)

    def accept(candidate, **fields):
        item = f"#g-{candidate.pk}"
        if fields:
            act.open(f"{item} summary")
        for name, value in fields.items():
            selector = f"{item} [name=c{candidate.pk}-{name}]"
            if name in ("event_kind", "tier_kind", "benefit_kind", "vendor", "program", "person"):
                act.select(selector, value)
            else:
                act.fill(selector, value)
        act.click(f"{item} button[value=accept]")
        assert page.locator(f"{item}.status-accepted").count() == 1, page.inner_text(".messagelist, .errornote")

    accept(pending("organisation", "Cisco"))
    accept(pending("program", "Cloud partner program"), name="Cloud Partner Program")
    for name in ("builder", "provider", "services reseller"):
        accept(pending("tier", name))
    accept(pending("benefit", startswith="Un financement"), title="Financing for cloud infrastructure")
    accept(pending("benefit", startswith="lancer des campagnes"), title="Financing for joint marketing campaigns")
    accept(pending("benefit", startswith="Des"), title="Collaborative services for distributors")
    accept(
        pending("date", startswith="aux mois"),
        title="Worldwide launch of the Cloud Partner Program",
        event_kind="launch",
        place="Worldwide",
    )
    accept(
        pending("date", startswith="Dans un horizon"), title="All Cisco partners concerned by CPP", event_kind="rollout"
    )
    accept(pending("person", "Bruno Dutriaux"))
    accept(pending("quote", startswith="CPP correspond"))
    accept(pending("quote", startswith="Nous sommes"))
    page.screenshot(path=str(tmp_path / "review-done.png"), full_page=True)
    print(f"\nCPP article to records: {act.count} actions in the browser")

    cpp = Program.objects.get(acronym="CPP")
    assert cpp.name == "Cloud Partner Program" and [v.name for v in cpp.vendors.all()] == ["Cisco"]
    assert sorted((t.name, t.kind) for t in cpp.tiers.all()) == [
        ("Builder", "designation"),
        ("Provider", "designation"),
        ("Services reseller", "designation"),
    ]
    assert Benefit.objects.filter(program=cpp).count() == 3
    launch = ProgramEvent.objects.get(kind="launch")
    assert launch.program == cpp and launch.place == "Worldwide" and "mai-juin-juillet" in launch.date_text
    assert ProgramEvent.objects.filter(kind="rollout", program=cpp).exists()
    bruno = Person.objects.get(name="Bruno Dutriaux")
    assert bruno.employer.name == "Cisco"
    assert Quote.objects.filter(person=bruno, program=cpp).count() == 2
    assert Passage.objects.filter(source__slug=cpp.sources.get().slug).count() >= 13
    assert act.count <= ACTION_BUDGET, f"{act.count} actions, over the budget of {ACTION_BUDGET}"

    # On the public pages at once
    page.goto(f"{live_server.url}{cpp.get_absolute_url()}")
    body = page.inner_text("main")
    for words in ("Builder", "Provider", "Services reseller", "Financing for cloud infrastructure", "Bruno Dutriaux"):
        assert words in body
    page.goto(f"{live_server.url}{bruno.get_absolute_url()}")
    assert "acteur important du cloud" in page.inner_text("main")
