"""Evidence for staff: the Source admin shows its text with the passages
highlighted; a passage is added by selecting words (offsets) or pasting them
(checked against the text); each record lists its passages inline; "Needs
evidence" lists what has none; nothing is published without a source; the
source text is pasted or uploaded (.txt, .html, .pdf), bad uploads are
refused with a message and nothing saved; a text edit lists the passages
that no longer anchor; passages are in history and revertible."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from programs.models import Program
from sources.models import Passage, Source
from tests.evidence_sample import add_sample_passages, passage

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(shipped_knowledge, db):
    """The shipped knowledge, loaded once for the session (tests/conftest.py)."""
    Passage.objects.all().delete()  # the tests' own passages only (the shipped ones: test_shipped_passages_...)
    return add_sample_passages()


def source_form_data(source, **changes):
    data = {
        "title_en": source.title_en,
        "title_fr": source.title_fr or "",
        "slug": source.slug,
        "outlet": source.outlet,
        "language": source.language,
        "published_on": "",
        "url": source.url,
        "seed_file": source.seed_file,
        "is_published": "on",
        "summary_en": source.summary_en or "",
        "summary_fr": source.summary_fr or "",
        "text": source.text,
        "_version": source.version,
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "1000",
    }
    if source.text_public:
        data["text_public"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def add_passage_url(source):
    return reverse("admin:sources_source_add_passage", args=[source.pk])


def test_source_change_page_shows_the_text_with_passages_highlighted(admin_client, shipped):
    source = Source.objects.get(slug="art-002")
    html = admin_client.get(reverse("admin:sources_source_change", args=[source.pk])).content.decode()
    assert 'class="kb-source-text source-text"' in html
    assert f'<mark class="passage" id="passage-{shipped["cpp_route"].pk}">le tout indirect</mark>' in html
    assert "sentences serve as evidence" in html
    assert add_passage_url(source) in html


def test_add_a_passage_from_selected_words(admin_client, shipped):
    source = Source.objects.get(slug="art-002")
    cpp = Program.objects.get(slug="cpp")
    # "Cloud partner program" occurs twice; the selection's offsets say which.
    second = source.text.index("Cloud partner program", source.text.index("Cloud partner program") + 1)
    page = admin_client.get(add_passage_url(source)).content.decode()
    assert 'id="kb-selectable-text"' in page and "kb/passage-select.js" in page and "kb-source-text-data" in page
    response = admin_client.post(
        add_passage_url(source),
        {
            "record": f"programs.program:{cpp.pk}",
            "field": "name",
            "exact": "Cloud partner program",
            "start": second,
            "end": second + len("Cloud partner program"),
            "stance": "supports",
        },
    )
    assert response.status_code == 302
    added = Passage.objects.latest("pk")
    assert (added.start, added.end, added.target, added.field) == (second, second + 21, cpp, "name")
    assert added.prefix == source.text[second - 32 : second]
    assert added.history.first().history_user.username == "admin"
    assert f"#passage-{added.pk}" in response["Location"]


def test_add_a_passage_by_pasting_words(admin_client, shipped):
    source = Source.objects.get(slug="art-002")
    cpp = Program.objects.get(slug="cpp")
    response = admin_client.post(
        add_passage_url(source),
        {
            "record": f"programs.program:{cpp.pk}",
            "field": "scope",
            "exact": "partout  dans le monde",
            "stance": "supports",
        },
    )
    assert response.status_code == 302
    added = Passage.objects.latest("pk")
    assert source.text[added.start : added.end] == added.exact  # the text's own words are stored


def test_pasted_words_not_in_the_text_are_refused_by_name(admin_client, shipped):
    source = Source.objects.get(slug="art-002")
    cpp = Program.objects.get(slug="cpp")
    before = Passage.objects.count()
    response = admin_client.post(
        add_passage_url(source),
        {"record": f"programs.program:{cpp.pk}", "exact": "lancé sur la Lune", "stance": "supports"},
    )
    assert response.status_code == 200
    assert "lancé sur la Lune" in response.content.decode() and "are not in the text" in response.content.decode()
    assert Passage.objects.count() == before
    # And an empty passage.
    response = admin_client.post(add_passage_url(source), {"record": f"programs.program:{cpp.pk}", "exact": "  "})
    assert response.status_code == 200 and Passage.objects.count() == before


def test_each_record_lists_its_passages_inline(admin_client, shipped):
    cpp = Program.objects.get(slug="cpp")
    html = admin_client.get(reverse("admin:programs_program_change", args=[cpp.pk])).content.decode()
    assert "sources-passage-content_type-object_id-TOTAL_FORMS" in html
    assert "le tout indirect" in html
    tier = cpp.tiers.get(slug="builder")
    html = admin_client.get(reverse("admin:programs_tier_change", args=[tier.pk])).content.decode()
    assert "aptes à créer une infrastructure de cloud" in html


def test_needs_evidence_lists_records_and_stated_fields_without_passages(admin_client, shipped):
    html = admin_client.get(reverse("admin:needs_evidence")).content.decode()
    mscp = Program.objects.get(slug="mscp")
    assert reverse("admin:programs_program_change", args=[mscp.pk]) in html  # no passage at all
    programs = html[html.index("<h2>Programs</h2>") :]
    programs = programs[: programs.index("</div>")]
    fields = programs[programs.index("Fields without their passage") :]
    assert "Cloud Partner Program (CPP)</a></td><td>Scope" in fields  # stated, no passage
    assert "Cloud Partner Program (CPP)</a></td><td>Route to market" not in fields  # it has its passage
    # Once quoted, a field leaves the list.
    passage("art-002", "partout dans le monde", Program.objects.get(slug="cpp"), "scope")
    html = admin_client.get(reverse("admin:needs_evidence")).content.decode()
    assert "Cloud Partner Program (CPP)</a></td><td>Scope" not in html


def test_needs_evidence_is_empty_on_the_shipped_knowledge(admin_client, shipped_knowledge):
    """The list applies the rule the shipped knowledge is checked against
    (tests/knowledge/test_shipped_evidence.py): bookkeeping columns such as
    the timeline's told order are not facts wanting a passage."""
    html = admin_client.get(reverse("admin:needs_evidence")).content.decode()
    assert "Every published record and every stated field has its passage." in html
    assert "First source telling it" not in html and "Fields without their passage" not in html
    # A shipped passage deleted: its field is listed, and only it.
    alone = [p for p in Passage.objects.filter(field="start_date") if len(p.target.passages_for("start_date")) == 1]
    start = alone[0]
    record = start.target
    start.delete()
    assert record.passages_for("start_date") == []
    html = admin_client.get(reverse("admin:needs_evidence")).content.decode()
    assert "1 field without its passage" in html and "0 records without any passage" in html
    assert reverse("admin:programs_programevent_change", args=[record.pk]) in html


def test_publishing_a_record_without_any_source_is_refused(admin_client, shipped):
    data = {
        "name": "Sourceless program",
        "slug": "sourceless",
        "vendors": [Program.objects.get(slug="cpp").vendors.first().pk],
        "status": "announced",
        "is_published": "on",
        "announced_precision": "unknown",
        "tiers-TOTAL_FORMS": "0",
        "tiers-INITIAL_FORMS": "0",
        "benefits-TOTAL_FORMS": "0",
        "benefits-INITIAL_FORMS": "0",
        "sources-passage-content_type-object_id-TOTAL_FORMS": "0",
        "sources-passage-content_type-object_id-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:programs_program_add"), data)
    assert response.status_code == 200
    assert "cites no source at all" in response.content.decode()
    assert not Program.objects.filter(slug="sourceless").exists()
    # As a draft it is saved; with a source it may be published.
    draft = dict(data, is_published="")
    assert admin_client.post(reverse("admin:programs_program_add"), draft).status_code == 302
    program = Program.objects.get(slug="sourceless")
    assert not program.is_published
    # The bulk action leaves it a draft, with a message naming it.
    changelist = reverse("admin:programs_program_changelist")
    response = admin_client.post(
        changelist, {"action": "make_published", "_selected_action": [program.pk], "post": "yes"}, follow=True
    )
    assert "Sourceless program" in response.content.decode() and "cites no source at all" in response.content.decode()
    program.refresh_from_db()
    assert not program.is_published
    program.sources.add(Source.objects.get(slug="art-002"))
    admin_client.post(changelist, {"action": "make_published", "_selected_action": [program.pk], "post": "yes"})
    program.refresh_from_db()
    assert program.is_published


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("article.exe", b"MZ\x90\x00", "is not a file type that can be read"),
        ("article.pdf", b"not a pdf at all", "This file is not a PDF"),
        ("article.pdf", b"%PDF-1.4\n garbage", "This PDF cannot be read"),
        ("article.txt", b"\xff\xfe\x00bad", "is not UTF-8 text"),
        ("article.txt", b"   \n\n  ", "No text could be extracted"),
        ("page.html", b"<html><head><title>Empty</title></head><body>  </body></html>", "No text could be extracted"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_saved(admin_client, shipped, name, content, message):
    source = Source.objects.get(slug="art-002")
    before = (source.text, source.version)
    data = source_form_data(source, title="Changed title", upload=SimpleUploadedFile(name, content))
    response = admin_client.post(reverse("admin:sources_source_change", args=[source.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    source.refresh_from_db()
    assert (source.text, source.version, source.title) == (*before, Source.objects.get(slug="art-002").title)
    assert source.title != "Changed title"


@override_settings(SOURCE_UPLOAD_MAX_SIZE=100)
def test_upload_over_the_size_limit_is_refused(admin_client, shipped):
    source = Source.objects.get(slug="art-002")
    data = source_form_data(source, upload=SimpleUploadedFile("big.txt", b"mot " * 100))
    response = admin_client.post(reverse("admin:sources_source_change", args=[source.pk]), data)
    assert response.status_code == 200 and "the limit is 100" in response.content.decode()


def minimal_pdf(text):
    """A one-page PDF whose text layer is ``text`` (ASCII), written by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.mark.parametrize(
    "name, content, expected",
    [
        (
            "article.txt",
            b"Premier paragraphe.\r\n\r\nSecond paragraphe.",
            "Premier paragraphe.\n\nSecond paragraphe.",
        ),
        (
            "page.html",
            (
                "<html><head><title>Titre</title></head><body><nav>Menu du site</nav><article><h1>Titre</h1>"
                "<p>" + "Cisco lance un programme de partenariat pour le cloud. " * 5 + "</p>"
                "<p>Les partenaires pourront obtenir trois qualifications distinctes.</p></article>"
                "<footer>Mentions légales</footer></body></html>"
            ).encode(),
            "Les partenaires pourront obtenir trois qualifications distinctes.",
        ),
        ("scan.pdf", minimal_pdf("Cisco announces a cloud partner program"), "Cisco announces a cloud partner program"),
    ],
)
def test_upload_fills_the_text(admin_client, name, content, expected):
    source = Source.objects.create(title="Uploaded", slug="uploaded", language="fr")
    assert not source.text_public  # a new source's text is staff-only by default
    data = source_form_data(source, upload=SimpleUploadedFile(name, content))
    response = admin_client.post(reverse("admin:sources_source_change", args=[source.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    source.refresh_from_db()
    assert expected in source.text
    if name.endswith(".html"):
        assert "Menu du site" not in source.text and "Mentions légales" not in source.text


def test_upload_fills_the_title_and_date_staff_left_empty(admin_client):
    """An HTML page's own metadata (trafilatura) fills an empty title and
    publication date; a typed title is kept; with no title anywhere, the
    form says the title is required and nothing is saved."""
    page = (
        "<html><head><title>Cisco lance le CPP</title>"
        '<meta property="article:published_time" content="2010-05-04T09:00:00+02:00"></head>'
        "<body><article><h1>Cisco lance le CPP</h1><p>"
        + "Cisco lance un programme de partenariat pour le cloud. " * 5
        + "</p></article></body></html>"
    ).encode()
    source = Source.objects.create(title="Placeholder", slug="uploaded", language="fr")
    data = source_form_data(source, title_en="", title_fr="", upload=SimpleUploadedFile("page.html", page))
    response = admin_client.post(reverse("admin:sources_source_change", args=[source.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    source.refresh_from_db()
    assert source.title_en == "Cisco lance le CPP"
    assert source.published_on == dt.date(2010, 5, 4)

    data = source_form_data(source, title_en="Typed title", upload=SimpleUploadedFile("page.html", page))
    admin_client.post(reverse("admin:sources_source_change", args=[source.pk]), data)
    source.refresh_from_db()
    assert source.title_en == "Typed title"

    text = SimpleUploadedFile("a.txt", b"Un texte sans titre.")
    data = source_form_data(source, title_en="", title_fr="", upload=text)
    response = admin_client.post(reverse("admin:sources_source_change", args=[source.pk]), data)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    source.refresh_from_db()
    assert source.title_en == "Typed title" and "sans titre" not in source.text


def test_editing_the_text_lists_passages_that_no_longer_anchor(admin_client, shipped):
    source = Source.objects.get(slug="art-002")
    route = shipped["cpp_route"]
    data = source_form_data(source, text=source.text.replace("le tout indirect", "la vente indirecte"))
    response = admin_client.post(reverse("admin:sources_source_change", args=[source.pk]), data, follow=True)
    assert response.status_code == 200
    assert "le tout indirect" in response.content.decode()  # named in the message
    route.refresh_from_db()
    assert route.is_orphaned  # flagged, not dropped
    html = admin_client.get(reverse("admin:sources_source_change", args=[source.pk])).content.decode()
    orphans = html[html.index('class="kb-orphaned"') :]
    assert "le tout indirect" in orphans[: orphans.index("</div>")]


def test_passages_are_in_history_and_revertible(admin_client, shipped):
    route = shipped["cpp_route"]
    route.note = "First note"
    route.save()
    route.note = "Second note"
    route.save()
    history = admin_client.get(reverse("admin:sources_passage_history", args=[route.pk]))
    assert history.status_code == 200 and "Second note" in history.content.decode()
    first = route.history.filter(note="First note").first()
    url = reverse("admin:sources_passage_simple_history", args=[route.pk, first.history_id])
    form = admin_client.get(url)
    assert form.status_code == 200 and "First note" in form.content.decode()
    # Reverting: the form shows the old values; saved, the passage has them again.
    fields = form.context["adminform"].form
    data = {}
    for name in fields.fields:
        value = fields[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    reverted = admin_client.post(url, data)
    assert reverted.status_code == 302, reverted.content.decode()[:3000]
    route.refresh_from_db()
    assert route.note == "First note"
    assert route.history.first().note == "First note"  # the revert is itself in history


def test_admin_evidence_pages_in_french(admin_client, shipped):
    source = Source.objects.get(slug="art-002")
    html = admin_client.get(add_passage_url(source), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ajouter un passage" in html
    html = admin_client.get(reverse("admin:needs_evidence"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Preuves manquantes" in html
