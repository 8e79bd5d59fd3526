"""Reading documents (utilities.documents, through knowledge.ingest.documents):
text and metadata from .txt, .html and .pdf, and a clear message for what
cannot be ingested."""

import datetime

import pytest

from knowledge.ingest.documents import DocumentError, content_hash, read_document

from .documents import pdf_with_text, pdf_without_text

FRENCH = (
    "Cisco lancera son Cloud Partner Program partout dans le monde aux mois de mai-juin-juillet. "
    "« Nous sommes un acteur important du cloud », note Bruno Dutriaux."
)
HTML = f"""<!doctype html><html lang="fr"><head><title>Cisco lance son CPP | LeMagIT</title>
<meta property="og:site_name" content="LeMagIT"><meta name="author" content="Jean Dupont">
<meta property="article:published_time" content="2010-05-12"></head>
<body><nav>Accueil · Réseaux · Cloud</nav><article><h1>Cisco lance son CPP</h1><p>{FRENCH}</p>
<p>Le programme comprend trois qualifications : builder, provider, services reseller. Un partenaire peut en
mobiliser une, deux ou trois, et un financement particulier est envisageable.</p></article>
<footer>© 2010 Tous droits réservés</footer></body></html>"""


def test_plain_text_utf8_and_pasted_text():
    doc = read_document("article.txt", FRENCH.encode("utf-8"))
    assert doc.text == FRENCH and doc.language == "fr" and doc.kind == "text"
    assert doc.title.startswith("Cisco lancera son Cloud Partner Program")
    pasted = read_document("", FRENCH + "\r\n")
    assert pasted.text == FRENCH and pasted.kind == "text"


def test_text_that_is_not_utf8_is_refused_like_a_source_upload():
    with pytest.raises(DocumentError, match="not UTF-8"):
        read_document("article.txt", FRENCH.encode("cp1252"))


def test_html_main_text_and_metadata():
    doc = read_document("cpp.html", HTML.encode("utf-8"))
    assert "Bruno Dutriaux" in doc.text and "Accueil" not in doc.text and "droits" not in doc.text
    assert doc.title == "Cisco lance son CPP"
    assert doc.outlet == "LeMagIT"
    assert doc.author == "Jean Dupont"
    assert doc.published_on == datetime.date(2010, 5, 12)


def test_pdf_text_layer_and_metadata():
    doc = read_document("cpp.pdf", pdf_with_text(["Cisco lancera son programme partout dans le monde.", FRENCH[:80]]))
    assert doc.kind == "pdf" and "Cisco lancera son programme" in doc.text
    assert doc.title == "Test PDF" and doc.author == "Jane Reporter"
    assert doc.published_on == datetime.date(2010, 7, 5)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "No text could be extracted"),
        ("blank.txt", b"   \n\n ", "No text could be extracted"),
        ("scan.pdf", pdf_without_text(), "scanned PDF"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "PDF cannot be read|No text could be extracted"),
        ("picture.png", b"\x89PNG\r\n\x1a\n....", "not a file type that can be read"),
        ("short.txt", b"Bonjour.", "no readable text"),
        ("binary.txt", b"\x00\x01\x02\x03 hello", "binary"),
        ("german.txt", b"Das neue Partnerprogramm startet im Juli weltweit mit drei Stufen.", "language"),
    ],
)
def test_bad_documents_get_a_message(name, data, message):
    with pytest.raises(DocumentError, match=message):
        read_document(name, data)


def test_over_the_size_limit(settings):
    settings.SOURCE_UPLOAD_MAX_SIZE = 100
    with pytest.raises(DocumentError, match="the limit is"):
        read_document("long.txt", FRENCH.encode() * 3)


def test_language_given_overrides_detection():
    assert read_document("a.txt", FRENCH.encode(), language="en").language == "en"


def test_content_hash_ignores_line_breaks_and_spacing():
    assert content_hash("Un texte\r\n\ncourt.  ") == content_hash("Un texte court.")
    assert content_hash("Un texte court.") != content_hash("Un autre texte.")
