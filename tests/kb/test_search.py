"""The site search's behaviour (kb.search, kb.search_index): the index follows
the records, ranking, grouping, highlighting, typos, the cost caps, and the
search page's canonical address. Runs on SQLite and PostgreSQL alike."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.models import SearchEntry
from kb.search import MAX_TERMS, engine, highlight, parse, search, snippet
from kb.search_index import rebuild
from tests.factories import (
    PassageFactory,
    PersonFactory,
    ProgramFactory,
    QuoteFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
)
from utilities.textsearch import fold, words

pytestmark = pytest.mark.django_db


def found(query, kind):
    """The titles of the results of one kind."""
    return [r["title"] for g in search(query).groups if g.kind.key == kind for r in g.rows]


# -- text helpers -----------------------------------------------------------------


def test_folding_spells_out_ligatures_and_drops_elisions():
    assert fold("Cœur ÆON") == "coeur aeon"
    assert words("L’année d'infrastructure, qu’il") == ["annee", "infrastructure", "il"]
    assert words("the partner's") == ["the", "partner", "s"]


def test_query_words_are_deduplicated_short_and_stop_words_dropped_and_capped():
    q = parse("a b Partner partners PARTNER the le de cloud")
    assert q.terms == ("partner", "cloud")
    many = parse(" ".join(f"w{i}xy" for i in range(20)))
    assert len(many.terms) == MAX_TERMS and len(many.dropped) == 20 - MAX_TERMS
    assert not parse("a a a a b c d e f")


def test_a_hundred_term_query_runs_one_bounded_search(client):
    VendorFactory(name="Cisco")
    junk = " ".join(["a"] * 100)
    assert not parse(junk)
    with CaptureQueriesContext(connection) as ctx:
        search(junk)
    assert len(ctx.captured_queries) == 0
    # a hundred different words: the first eight are used
    q = parse(" ".join(["cisco"] + [f"zz{i}qq" for i in range(99)]))
    assert len(q.terms) == MAX_TERMS


# -- the index follows the records ------------------------------------------------------


def test_index_follows_save_rename_unpublish_and_delete():
    vendor = VendorFactory(name="Zyxel Networks")
    assert found("zyxel", "vendors") == ["Zyxel Networks"]
    vendor.name = "Quokka Systems"
    vendor.save()
    assert found("zyxel", "vendors") == [] and found("quokka", "vendors") == ["Quokka Systems"]
    vendor.is_published = False
    vendor.save()
    assert found("quokka", "vendors") == []
    vendor.is_published = True
    vendor.save()
    vendor.delete()
    assert found("quokka", "vendors") == []
    assert not SearchEntry.objects.filter(kind="vendors", object_id=vendor.pk).exists()


def test_renaming_a_person_reindexes_their_quotes():
    program = ProgramFactory(name="Frontline")
    person = PersonFactory(name="Don Proctor")
    QuoteFactory(person=person, program=program, vendor=None, text="de mettre le réseau hors du coup")
    assert found("proctor frontline", "quotes")
    person.name = "Donald Smithers"
    person.save()
    assert found("smithers", "quotes") and not found("proctor", "quotes")


def test_a_passage_makes_its_record_found_by_the_sources_words():
    program = ProgramFactory(name="Ladder program")
    assert not found("partenariat", "programs")
    passage = PassageFactory(target=program, exact="trois niveaux de partenariat")
    assert found("partenariat", "programs") == ["Ladder program"]
    assert found("partenariat", "passages") == ["Ladder program"]
    passage.delete()
    assert not found("partenariat", "programs") and not found("partenariat", "passages")


def test_many_to_many_changes_reindex():
    program = ProgramFactory(name="Alpha program", vendors=[])
    vendor = VendorFactory(name="Wombat")
    assert not found("wombat alpha", "programs")
    program.vendors.add(vendor)
    assert found("wombat alpha", "programs") == ["Alpha program"]


def test_a_draft_program_hides_its_tiers_and_quotes():
    program = ProgramFactory(name="Hush", is_published=False)
    TierFactory(program=program, name="Hushgold")
    assert found("hushgold", "tiers") == []
    program.is_published = True
    program.save()
    assert found("hushgold", "tiers") == ["Hushgold"]


def test_rebuild_command_and_load_knowledge_fill_the_index():
    VendorFactory(name="Numbat")
    SearchEntry.objects.all().delete()
    assert found("numbat", "vendors") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Search index rebuilt" in out.getvalue()
    assert found("numbat", "vendors") == ["Numbat"]
    call_command("load_knowledge", stdout=io.StringIO())
    assert found("services managés", "programs") == ["Managed Services Channel Program (MSCP)"]
    assert rebuild()["programs"] == 4


# -- matching and ranking -------------------------------------------------------------------


def test_name_matches_rank_first_then_titles_then_text():
    VendorFactory(name="Other", summary="Works with Cisco")
    VendorFactory(name="Cisco")
    VendorFactory(name="Third", description="cisco cisco cisco cisco, a long text that names Cisco often")
    assert found("cisco", "vendors")[0] == "Cisco"
    people = [PersonFactory(name="Anne Title", title="Cloud architect"), PersonFactory(name="Cloud Person")]
    assert found("cloud", "people") == [people[1].name, people[0].name]


def test_kinds_are_grouped_with_counts_best_match_first():
    cisco = VendorFactory(name="Chambers Corp")
    person = PersonFactory(name="John Chambers", employer=cisco)
    QuoteFactory(person=person, vendor=cisco, program=None, text="We compete with HP")
    results = search("chambers")
    keys = [g.kind.key for g in results.groups]
    assert keys[:2] == ["vendors", "people"] and "quotes" in keys
    assert {g.kind.key: g.total for g in results.groups}["quotes"] == 1
    assert results.total == sum(g.total for g in results.groups)


def test_counts_are_exact_beyond_the_rows_shown():
    program = ProgramFactory(name="Ladder")
    for i in range(25):
        TierFactory(program=program, name=f"Step {i}")
    group = next(g for g in search("step").groups if g.kind.key == "tiers")
    assert group.total == 25 and len(group.rows) == 20


def test_typos_are_corrected_with_a_suggestion():
    VendorFactory(name="Microsoft")
    results = search("Mircosoft")
    assert results.suggestion == "microsoft" and results.original == "Mircosoft"
    assert [r["title"] for r in results.groups[0].rows] == ["Microsoft"]
    assert search("Microsoft").suggestion == ""
    assert search("qqqqzzzz").groups == []


def test_engine_uses_the_full_text_index():
    VendorFactory(name="Cisco")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        q = parse("cisco")
        params = []
        expr = engine().expression(q, "", params)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN SELECT id FROM kb_searchentry WHERE vector @@ ({expr})", params)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        assert "kb_searchentry_vector" in plan, plan
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM kb_searchentry_fts WHERE kb_searchentry_fts MATCH %s",
                [engine().expression(parse("cisco"))],
            )
            plan = " ".join(str(r) for r in cursor.fetchall())
        assert "VIRTUAL TABLE INDEX" in plan, plan


# -- highlighting ---------------------------------------------------------------------


def test_highlight_marks_every_form_of_the_words_escaped():
    out = highlight("<b>Qualifications</b> : une qualification, l’année, Clôud", "qualification annee cloud")
    assert "<b>" not in out
    assert "<mark>Qualifications</mark>" in out and "<mark>qualification</mark>" in out
    assert "l’<mark>année</mark>" in out and "<mark>Clôud</mark>" in out


def test_highlight_marks_the_glossary_words_too():
    assert "<mark>managed</mark> <mark>services</mark>" in highlight("Cisco managed services", "services managés")


def test_snippet_shows_the_matched_part_of_a_long_text():
    text = "word " * 100 + "the embauche here " + "word " * 100
    out = snippet(text, "embauche")
    assert out.startswith("… ") and "<mark>embauche</mark>" in out and out.endswith(" …")


# -- the page ---------------------------------------------------------------------------


def test_page_shows_did_you_mean(client):
    VendorFactory(name="Microsoft")
    html = client.get("/search/?q=Mircosoft").content.decode()
    assert "Did you mean" in html and '<a href="?q=microsoft"><strong>microsoft</strong></a>' in html
    assert "<mark>Microsoft</mark>" in html


def test_page_says_which_words_were_left_out(client):
    html = client.get("/search/?q=" + "+".join(f"mot{i}x" for i in range(10))).content.decode()
    assert "Only the first 8 words were used; left out: mot8x mot9x." in html
    html = client.get("/search/?q=a+b+c").content.decode()
    assert "Nothing to search for." in html


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/search/?q=cloud&junk=1", "/search/?q=cloud"),
        ("/search/?junk=1", "/search/"),
        ("/search/?q=cloud&q=other", "/search/?q=cloud"),
        ("/search/?q=++cloud+++partner+", "/search/?q=cloud+partner"),
        ("/search/?q=", "/search/"),
        ("/search/?q=cloud%07x", "/search/?q=cloud+x"),
    ],
)
def test_junk_parameters_redirect_to_the_canonical_address(client, url, target):
    r = client.get(url)
    assert r.status_code == 302 and r["Location"] == target


def test_canonical_address_is_served(client):
    SourceFactory(title="Cloud article")
    r = client.get("/search/?q=cloud")
    assert r.status_code == 200 and "<mark>Cloud</mark> article" in r.content.decode()
