"""load_knowledge and evidence: a source's text from its seed file, each
record's ``evidence:`` anchored in it, loudly refused when the words are not
there, skipped (and said) when the text is absent."""

import textwrap

import pytest
import yaml
from django.test import override_settings

from knowledge.loader import KnowledgeError, load_knowledge
from programs.models import Program, Tier
from sources.models import Passage, Source, Stance

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Il va mettre en place dès la rentrée un nouveau programme, avec trois niveaux de partenariat, "
    "dont un « Master ». Selon lui, les produits seront vendus en direct. Ce que l’on nie en face."
)


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    with override_settings(KNOWLEDGE_SEEDS_DIR=folder):
        yield folder


def data_file(tmp_path, body, name="data.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


BASE = """
sources:
  - slug: art
    title: Article
    seed_file: article.txt
    text_public: true
vendors:
  - slug: cisco
    name: Cisco
people:
  - slug: don-proctor
    name: Don Proctor
    employer: cisco
programs:
  - slug: mscp
    name: MSCP
    vendors: [cisco]
    levels_announced: 3
    evidence:
      - source: art
        exact: "trois niveaux de partenariat"
        field: levels_announced
      - source: art
        exact: "les produits seront vendus en direct"
        field: route_to_market
        claim: sold direct
        claimed_by: don-proctor
      - source: art
        exact: "Ce que l'on nie en face"
        field: route_to_market
        stance: disputes
        claimed_by: cisco
    tiers:
      - slug: master
        name: Master
        evidence:
          - source: art
            exact: "dont un « Master »"
"""


def test_text_comes_from_the_seed_file_and_evidence_is_anchored(seeds, tmp_path):
    report = load_knowledge([data_file(tmp_path, BASE)])
    source = Source.objects.get(slug="art")
    assert source.text == ARTICLE
    assert source.text_public is True
    program = Program.objects.get(slug="mscp")
    levels = program.passages_for("levels_announced")
    assert [p.exact for p in levels] == ["trois niveaux de partenariat"]
    by_field = {p.exact: p for p in program.passages.all()}
    proctor = by_field["les produits seront vendus en direct"]
    assert (proctor.claim, proctor.claimed_by.slug, proctor.stance) == ("sold direct", "don-proctor", Stance.SUPPORTS)
    denial = by_field["Ce que l’on nie en face"]  # the article's own apostrophe is stored
    assert denial.stance == Stance.DISPUTES and denial.claimed_by_vendor.slug == "cisco"
    assert program.disputed_fields == {"route_to_market"}
    master = Tier.objects.get(slug="master")
    (tier_passage,) = master.passages.all()
    assert ARTICLE[tier_passage.start : tier_passage.end] == "dont un « Master »"
    assert report.created["passages"] == 4
    assert all(p.history.first().history_change_reason == "load_knowledge" for p in Passage.objects.all())


def test_loading_twice_changes_no_passage(seeds, tmp_path):
    path = data_file(tmp_path, BASE)
    load_knowledge([path])
    again = load_knowledge([path])
    assert again.changed == 0
    assert again.unchanged["passages"] == 4
    assert Passage.objects.count() == 4


def test_passages_staff_added_survive_a_reload(seeds, tmp_path):
    path = data_file(tmp_path, BASE)
    load_knowledge([path])
    program = Program.objects.get(slug="mscp")
    Passage.objects.create(source=Source.objects.get(slug="art"), target=program, exact="dès la rentrée")
    load_knowledge([path])
    assert program.passages.count() == 4


def test_staff_edited_text_is_not_overwritten(seeds, tmp_path):
    path = data_file(tmp_path, BASE)
    load_knowledge([path])
    source = Source.objects.get(slug="art")
    source.text = ARTICLE + " Affaire à suivre."
    source.save()
    load_knowledge([path])
    assert Source.objects.get(slug="art").text.endswith("Affaire à suivre.")


def test_words_not_in_the_text_fail_naming_record_and_words_and_nothing_is_written(seeds, tmp_path):
    body = BASE.replace('exact: "dont un « Master »"', 'exact: "dont un « Gold »"')
    with pytest.raises(KnowledgeError) as info:
        load_knowledge([data_file(tmp_path, body)])
    message = str(info.value)
    assert "tiers[1] (master)" in message and "evidence[1]" in message
    assert "dont un « Gold »" in message
    assert not Source.objects.exists() and not Passage.objects.exists()


RENTREE = {"source": "art", "exact": "dès la rentrée"}


@pytest.mark.parametrize(
    "evidence, expected",
    [
        ([{"source": "nowhere", "exact": "x"}], "no source with slug 'nowhere'"),
        ([{"source": "art"}], "'source' and 'exact' are required"),
        ([{**RENTREE, "stance": "maybe"}], "'stance'"),
        ([{**RENTREE, "colour": "red"}], "unknown key(s) colour"),
        ([{**RENTREE, "field": "colour"}], "no field “colour”"),
        ([{**RENTREE, "claimed_by": "nobody"}], "no person or vendor"),
        ([{**RENTREE, "note": 3}], "expected text"),
        ([RENTREE, {"source": "art", "exact": "  "}], "evidence[2]"),
        (["dès la rentrée"], "expected a mapping"),
        ("dès la rentrée", "expected a list of passages"),
    ],
)
def test_malformed_evidence_is_refused(seeds, tmp_path, evidence, expected):
    data = {
        "sources": [{"slug": "art", "title": "Article", "seed_file": "article.txt"}],
        "vendors": [{"slug": "cisco", "name": "Cisco", "evidence": evidence}],
    }
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge([path])
    assert expected in str(info.value)
    assert "vendors[1] (cisco)" in str(info.value)
    assert not Source.objects.exists()


def test_repeated_words_need_their_context(seeds, tmp_path):
    text = ARTICLE + " Encore trois niveaux de partenariat."
    (seeds / "article.txt").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge([data_file(tmp_path, BASE)])
    assert "occur 2 times" in str(info.value)
    fixed = BASE.replace(
        'exact: "trois niveaux de partenariat"', 'exact: "trois niveaux de partenariat"\n        prefix: "Encore "'
    )
    load_knowledge([data_file(tmp_path, fixed)])
    (p,) = Program.objects.get(slug="mscp").passages_for("levels_announced")
    assert p.start == text.rindex("trois niveaux")


def test_without_the_seed_file_passages_are_skipped_and_reported(tmp_path):
    with override_settings(KNOWLEDGE_SEEDS_DIR=tmp_path / "absent"):
        report = load_knowledge([data_file(tmp_path, BASE)])
    assert Source.objects.get(slug="art").text == ""
    assert not Passage.objects.exists()
    assert report.skipped == {"art": 4}
    assert any("4 skipped: source art has no text" in line for line in report.lines())


def test_seed_file_must_be_a_plain_file_name(seeds, tmp_path):
    body = BASE.replace("seed_file: article.txt", "seed_file: ../secret.txt")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge([data_file(tmp_path, body)])
    assert "not a file name" in str(info.value)
