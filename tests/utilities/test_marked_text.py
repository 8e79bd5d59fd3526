"""The helpers behind the source page: passages marked in a text (well nested,
text unchanged), sentences and coverage, text extracted from uploads."""

import pytest

from utilities.coverage import coverage, sentences
from utilities.documents import DocumentError, extract_document
from utilities.marked_text import Span, mark_paragraphs

TEXT = "Cisco lance le CPP. Il sera lancé partout.\n\n \n\nLe tout indirect & <b>gras</b>."


def strip_tags(html):
    import re

    return re.sub(r"<[^>]+>", "", html)


def test_paragraphs_keep_the_text_and_their_offsets():
    paragraphs = mark_paragraphs(TEXT, [])
    assert [(p.start, p.end) for p in paragraphs] == [(0, 42), (47, len(TEXT))]
    from html import unescape

    for p in paragraphs:
        assert unescape(strip_tags(p.html)) == TEXT[p.start : p.end]  # what the selection script counts on
    assert "&lt;b&gt;" in paragraphs[1].html  # escaped


def test_overlapping_and_crossing_spans_stay_well_nested_with_one_id_each():
    spans = [Span(6, 30, "passage-1"), Span(15, 45, "passage-2"), Span(0, 5, "passage-3", after="<sup>3</sup>")]
    html = "".join(p.html for p in mark_paragraphs(TEXT, spans))
    for n in (1, 2, 3):
        assert html.count(f'id="passage-{n}"') == 1
    assert html.count("<mark") == html.count("</mark>")
    assert 'data-continues="passage-2"' in html  # reopened across the paragraph break
    assert "Cisco</mark><sup>3</sup>" in html


def test_sentences_and_coverage():
    text = "M. Chambers parle. Il dit « We compete with HP ». Fin."
    found = sentences(text, "fr")
    assert [s.text for s in found] == ["M. Chambers parle.", "Il dit « We compete with HP ».", "Fin."]
    result = coverage(text, [(text.index("We"), text.index("HP") + 2)], "fr")
    assert (result.total, result.covered, result.percent) == (3, 1, 33)
    assert [s.text for s in result.uncovered] == ["M. Chambers parle.", "Fin."]


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("a.docx", b"PK", "is not a file type that can be read"),
        ("a.pdf", b"<html>", "is not a PDF"),
        ("a.txt", b"caf\xe9", "is not UTF-8 text"),
        ("a.txt", b"", "No text could be extracted"),
    ],
)
def test_bad_documents_are_named(settings, name, data, problem):
    with pytest.raises(DocumentError, match=problem):
        extract_document(name, data)


def test_document_over_the_limit(settings):
    with pytest.raises(DocumentError, match="the limit is"):
        extract_document("a.txt", b"x" * 20, max_size=10)


def test_text_document_lines_and_control_characters():
    extracted = extract_document("a.txt", "\ufeffUn\r\nDeux\x00\x07\r\n\r\n\r\n\r\nTrois".encode())
    assert extracted.text == "Un\nDeux\n\nTrois"
