"""The shipped knowledge carries its words: every passage of knowledge.yaml is
found verbatim in its seed article, every published record and every stated
field has one; the dispute, the derived dates and the translated quotes say so."""

import pytest
import yaml
from django.apps import apps
from django.conf import settings

from kb.models import EvidencedMixin
from knowledge.loader import default_data_files
from programs.models import Program, ProgramEvent, RouteToMarket
from sources.models import Passage, Quote, QuoteWording, Source, Stance
from utilities.anchoring import candidates, fold

pytestmark = pytest.mark.django_db
SEEDS = settings.KNOWLEDGE_SEEDS_DIR


def _data():
    (path,) = [p for p in default_data_files() if p.name == "knowledge.yaml"]
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _passages(node, where="knowledge.yaml"):
    """Every evidence item of the file, with where it sits."""
    if isinstance(node, dict):
        for item in node.get("evidence") or []:
            yield where, item
        for key, value in node.items():
            if key != "evidence":
                yield from _passages(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node, start=1):
            label = value.get("slug") or value.get("title") or index if isinstance(value, dict) else index
            yield from _passages(value, f"{where}[{label}]")


@pytest.fixture(scope="module")
def seed_texts():
    assert SEEDS.is_dir(), f"the seed articles are needed: {SEEDS}"
    files = {s["slug"]: s["seed_file"] for s in _data()["sources"]}
    return {slug: (SEEDS / name).read_text(encoding="utf-8") for slug, name in files.items()}


def test_every_passage_of_the_file_is_found_once_in_its_seed(seed_texts):
    items = list(_passages(_data()))
    assert len(items) > 100
    problems = []
    for where, item in items:
        found = candidates(seed_texts[item["source"]], item["exact"])
        if len(found) != 1 and not (item.get("prefix") or item.get("suffix")):
            problems.append(f"{where}: {item['exact']!r} found {len(found)} times")
    assert problems == []


@pytest.fixture
def knowledge(shipped_knowledge, db):
    """The shipped knowledge, loaded once for the session (tests/conftest.py)."""


def knowledge_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, EvidencedMixin) and model._meta.app_label in {"vendors", "programs", "partners", "sources"}
    ]


def published(model):
    manager = model._default_manager
    return manager.published() if hasattr(manager, "published") else manager.all()


def test_no_published_record_nor_stated_field_lacks_a_passage(knowledge):
    missing = []
    checked = fields = 0
    for model in knowledge_models():
        for record in published(model).prefetch_related("passages"):
            checked += 1
            fields += len(record.stated_fields())
            missing += [f"{model.__name__} {record}: {name or 'record'}" for name in record.unevidenced()]
    assert missing == []
    assert checked >= 50 and fields >= 40  # the check looked at the whole knowledge


def test_stored_passages_are_the_articles_own_words(knowledge, seed_texts):
    passages = Passage.objects.select_related("source")
    assert passages.count() == len(list(_passages(_data())))
    for passage in passages:
        assert passage.source.text == seed_texts[passage.source.slug]
        assert passage.source.text[passage.start : passage.end] == passage.exact
        assert passage.anchor_status == "anchored"
        assert passage.target is not None


def test_shipped_articles_text_is_public(knowledge):
    assert set(Source.objects.values_list("text_public", flat=True)) == {True}


def test_frontline_route_to_market_is_disputed_each_side_with_its_claimant(knowledge):
    frontline = Program.objects.get(slug="frontline")
    assert frontline.route_to_market == RouteToMarket.DISPUTED
    assert frontline.get_route_to_market_display() == "disputed"
    assert frontline.disputed_fields == {"route_to_market"}
    sides = {(p.stance, p.claimed_by.slug) for p in frontline.passages_for("route_to_market")}
    assert (Stance.SUPPORTS, "don-proctor") in sides
    assert (Stance.DISPUTES, "mark-lewis") in sides
    direct = [p for p in frontline.passages_for("route_to_market") if p.claimed_by.slug == "don-proctor"]
    assert any("commercialisés en direct" in p.exact for p in direct)


def test_derived_dates_say_so_with_the_passages_they_rest_on(knowledge):
    for slug in ("microsoft-wpc-washington", "microsoft-fy-2010-2011"):
        event = ProgramEvent.objects.get(slug=slug)
        assert event.date_derived is True
        assert "2010-2011" in event.date_derivation
        words = [p.exact for p in event.passages_for("start_date")]
        assert any("2010-2011" in w and "1er juillet prochain" in w for w in words)
    wpc = ProgramEvent.objects.get(slug="microsoft-wpc-washington")
    assert "2010" not in wpc.date_text  # as stated: no year
    assert "du 11 au 15 juillet" in [p.exact for p in wpc.passages_for("start_date")]
    program = Program.objects.get(slug="microsoft-cloud-partner-program")
    assert program.launch_derived is True and "2010-2011" in program.launch_derivation
    assert "2010" not in program.launch_window
    # only derived values are flagged
    assert not ProgramEvent.objects.filter(date_derived=True).exclude(slug__startswith="microsoft-").exists()


def test_quotes_say_whose_words_they_are(knowledge):
    chambers = Quote.objects.get(text="We compete with HP")
    assert chambers.wording == QuoteWording.OWN
    assert "pas besoin de traduction" in chambers.passages_for("wording")[0].exact
    lewis = Quote.objects.get(person__slug="mark-lewis")
    assert lewis.wording == QuoteWording.TRANSLATION
    assert lewis.passages_for("wording")[0].exact == "a déclaré à Channelweb.com"
    assert set(Quote.objects.filter(person__slug="vince-menzione").values_list("wording", flat=True)) == {
        QuoteWording.TRANSLATION
    }
    # not stated where the article does not tell
    assert set(Quote.objects.filter(person__slug="bruno-dutriaux").values_list("wording", flat=True)) == {""}
    for quote in Quote.objects.all():  # a quote's own words are in its source (verbatim in the passage)
        assert fold(quote.passages_for("")[0].exact).rstrip(".") == fold(quote.text).rstrip(".")
