"""Evidence on the public pages: a source marker beside each fact opens (no
JavaScript) on the passage, verbatim, in its language, with its context, its
source and a link to it highlighted on the source page; disputed and derived
values say so; quotes say whose words they are; the source page shows its
text with every passage marked and its coverage; printed, the passages are
footnotes. In English and French."""

import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from programs.models import Program, ProgramEvent
from sources.models import Passage, Quote, Source
from tests.evidence_sample import add_sample_passages, passage

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(shipped_knowledge, db):
    """The shipped knowledge, loaded once for the session (tests/conftest.py)."""
    Passage.objects.all().delete()  # the tests' own passages only (the shipped ones: test_shipped_passages_...)
    Source.objects.update(text_public=True)
    return add_sample_passages()


def marker_of(html, dt_id):
    """The <dd> following <dt id=dt_id>: the fact with its marker."""
    start = html.index(f'<dt id="{dt_id}"')
    return html[start : html.index("</dd>", start)]


def get(client, url, language="en"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


def test_program_fact_has_its_passage_beside_it(client, shipped):
    p = shipped["cpp_route"]
    html = get(client, "/programs/cpp/")
    row = marker_of(html, "fact-route_to_market")
    assert "<details" in row and "<summary" in row  # opens without JavaScript
    assert "<mark>le tout indirect</mark>" in row  # verbatim
    assert 'lang="fr"' in row  # in its own language
    assert "la politique Cisco" in row and "Visiblement," in row  # a few words of context
    assert f'href="/sources/art-002/#passage-{p.pk}"' in row
    assert escape(Source.objects.get(slug="art-002").title) in row
    assert "evidence for: Route to market" in row  # the marker names its fact for screen readers


def test_every_passage_of_a_program_is_shown_on_its_page(client, shipped):
    html = get(client, "/programs/cpp/")
    for key in ("cpp_route", "cpp_launch", "cpp_record", "builder", "event"):
        assert f"#passage-{shipped[key].pk}" in html, key


def test_disputed_field_shows_each_side_with_who_claims_it(client, shipped):
    html = get(client, "/programs/frontline/")
    row = marker_of(html, "fact-route_to_market")
    assert "evidence-disputed" in row and "disputed" in row
    assert "claimed by Don Proctor (Cisco)" in row
    assert "claimed by Mark Lewis (HP)" in row
    assert "commercialisés en direct" in row and "le réseau des partenaires de HP" in row
    assert "supports" in row and "disputes" in row


def test_derived_value_says_so_with_the_reasoning(client, shipped):
    event = ProgramEvent.objects.get(slug="cpp-launch")
    event.date_derived = True
    event.date_derivation = "The year is not in the article; it follows from the fiscal quarter named."
    event.save()
    html = get(client, "/programs/events/cpp-launch/")
    row = marker_of(html, "fact-start_date")
    assert "evidence-derived" in row and ">derived<" in row
    assert "Derived:" in row and "it follows from the fiscal quarter named" in row
    assert "4ème trimestre fiscal Cisco" in row  # the passage it rests on


def test_quote_says_whose_words_they_are(client, shipped):
    Quote.objects.filter(text="We compete with HP").update(wording="own")
    lewis = Quote.objects.get(person__slug="mark-lewis")
    lewis.wording = "translation"
    lewis.save()
    html = get(client, "/vendors/cisco/")
    assert "speaker&#x27;s own words" in html or "speaker's own words" in html
    assert f"#passage-{shipped['quote'].pk}" in html
    html = get(client, "/programs/frontline/")
    assert "translation by the source" in html


def test_vendor_event_and_relation_markers(client, shipped):
    html = get(client, "/vendors/cisco/")
    assert f"#passage-{shipped['cisco_record'].pk}" in html
    relation = html[html.index('id="relation-') :]
    assert f"#passage-{shipped['relation'].pk}" in relation[: relation.index("</li>")]
    html = get(client, "/programs/events/cpp-launch/")
    assert f"#passage-{shipped['event'].pk}" in marker_of(html, "fact-start_date")


def test_compare_cells_have_their_markers(client, shipped):
    html = get(client, "/programs/compare/?p=cpp&p=frontline")
    table = html[html.index('<table class="data compare"') : html.index("</table>")]
    route_row = table[table.index("Route to market") :]
    route_row = route_row[: route_row.index("</tr>")]
    assert f"#passage-{shipped['cpp_route'].pk}" in route_row
    assert "evidence-disputed" in route_row  # Frontline's cell
    assert f"#passage-{shipped['builder'].pk}" in table  # the tier in the designations cell


def test_printed_page_has_its_passages_as_footnotes(client, shipped):
    html = get(client, "/programs/cpp/")
    notes = html[html.index('class="evidence-footnotes print-only"') :]
    notes = notes[: notes.index("</section>")]
    assert "le tout indirect" in notes
    assert f"http://testserver/sources/art-002/#passage-{shipped['cpp_route'].pk}" in notes  # absolute, for paper
    assert re.search(r'<sup class="footnote-ref print-only">\[\d+\]</sup>', html)


def test_source_page_marks_every_passage_in_the_text(client, shipped):
    html = get(client, "/sources/art-002/")
    text = html[html.index('class="source-text"') :]
    text = text[: text.index("</div>")]
    for key in ("cpp_route", "cpp_launch", "cpp_record", "builder", "event"):
        assert f'<mark class="passage" id="passage-{shipped[key].pk}">' in text, key
    # Each passage links to the fact it supports.
    supports = html[html.index(f'id="supports-{shipped["cpp_route"].pk}"') :]
    supports = supports[: supports.index("</li>")]
    assert 'href="/programs/cpp/#fact-route_to_market"' in supports
    assert "Route to market" in supports


def test_source_page_coverage_lists_the_sentences_not_used(client, shipped):
    html = get(client, "/sources/art-002/")
    line = re.search(r"(\d+) of its (\d+) sentences serve as evidence \((\d+)%\)", html)
    assert line, "coverage line"
    covered, total = int(line.group(1)), int(line.group(2))
    assert total == 16 and covered == 4  # two passages share the second sentence
    uncovered = html[html.index('class="uncovered-list"') :]
    uncovered = uncovered[: uncovered.index("</ol>")]
    assert "Dans un horizon de 18 à 24 mois" in uncovered
    assert "Il sera lancé" not in uncovered  # it holds a passage
    assert uncovered.count("<li>") == total - covered


def test_source_text_not_public_keeps_passages_public(client, shipped):
    Source.objects.filter(slug="art-002").update(text_public=False)
    html = get(client, "/sources/art-002/")
    assert 'class="source-text"' not in html
    assert "Dans un horizon de 18 à 24 mois" not in html  # the text itself stays private
    # The passage still has its address: the link from the program page lands.
    assert f'id="passage-{shipped["cpp_route"].pk}"' in html
    assert "le tout indirect" in html


def test_orphaned_passage_is_not_marked(client, shipped):
    source = Source.objects.get(slug="art-002")
    source.text = source.text.replace("le tout indirect", "la vente indirecte")
    source.save()
    html = get(client, "/sources/art-002/")
    assert f'id="passage-{shipped["cpp_route"].pk}"' not in html
    assert "<mark>le tout indirect</mark>" not in get(client, "/programs/cpp/")


def test_markers_and_source_page_in_french(client, shipped):
    html = get(client, "/programs/frontline/", "fr")
    row = marker_of(html, "fact-route_to_market")
    assert "contesté" in row and "selon Don Proctor" in row
    html = get(client, "/sources/art-002/", "fr")
    assert re.search(r"4 de ses 16 phrases servent de preuve", html)
    assert "Passages cités comme preuves" in html


def test_passages_do_not_add_a_query_per_fact(client, shipped):
    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/programs/cpp/", "/programs/compare/?p=cpp&p=frontline", "/sources/art-002/", "/vendors/cisco/"]
    ContentType.objects.get_for_models(*apps.get_models())  # warm, as after any earlier page
    before = {url: count(url) for url in urls}
    cpp = Program.objects.get(slug="cpp")
    for words in ("Il sera lancé", "partout dans le monde", "CPP correspond à la fois"):
        passage("art-002", words, cpp, "scope")
    passage("art-002", "trois qualifications", cpp.tiers.get(slug="provider"), "requirements")
    from django.core.cache import cache

    cache.clear()
    after = {url: count(url) for url in urls}
    assert after == before


def test_shipped_passages_are_beside_their_facts_and_marked_in_their_source(client, shipped_knowledge):
    """Every fact of the three articles: each shipped passage is linked from
    its record's page (focus areas: from their programs' pages) and marked in
    its source's text."""
    pages = {}

    def page(url):
        if url not in pages:
            pages[url] = get(client, url)
        return pages[url]

    shipped = list(Passage.objects.select_related("source", "content_type"))
    assert len(shipped) > 100
    # The same words backing two fields of a record (start and end date) are
    # shown once beside the fact, linked to one of them.
    same = {}
    for p in shipped:
        same.setdefault((p.source_id, p.start, p.end, p.content_type_id, p.object_id, p.stance, p.claim), []).append(
            p.pk
        )
    for p in shipped:
        ids = same[(p.source_id, p.start, p.end, p.content_type_id, p.object_id, p.stance, p.claim)]
        target = p.target
        if target._meta.model_name == "focusarea":
            urls = [program.get_absolute_url() for program in target.programs.all()]
        else:
            urls = [target.get_absolute_url().split("#")[0]]
        links = [f'href="/sources/{p.source.slug}/#passage-{pk}"' for pk in ids]
        assert any(link in page(url) for url in urls for link in links), (p.pk, str(p))
        assert f'<mark class="passage" id="passage-{p.pk}">' in page(p.source.get_absolute_url()), (p.pk, str(p))
