"""The records' text in English and French (kb.translation): pages, the
admin, search, exports and the API follow the reader's language; a missing
translation falls back to the other language, marked with its ``lang``."""

import csv
import html as htmllib
import io
import re

import pytest
from django.urls import reverse

from programs.models import Program
from tests.factories import ProgramFactory, SourceFactory

pytestmark = pytest.mark.django_db

CPP_FR = "tout en reposant sur le tout indirect de Cisco"
CPP_EN = "while resting on Cisco's all-indirect policy"


def page(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return htmllib.unescape(response.content.decode())


def words(html):
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_a_french_reader_sees_the_shipped_program_in_french(client, shipped_knowledge):
    html = page(client, "/programs/cpp/", "fr")
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    assert CPP_FR in lead and CPP_EN not in lead
    assert "Aux mois de mai, juin et juillet, 4e trimestre fiscal de Cisco" in html  # the launch window
    assert "Partenaires agissant en marque blanche." in html  # a tier's summary
    assert "Financement d'une infrastructure de cloud" in html  # a benefit's title
    assert 'lang="en"' not in lead  # nothing fell back to English


def test_an_english_reader_sees_the_shipped_program_in_english(client, shipped_knowledge):
    html = page(client, "/programs/cpp/", "en")
    lead = re.search(r'<p class="lead">(.*?)</p>', html, re.S).group(1)
    assert CPP_EN in lead and CPP_FR not in lead
    assert "May, June and July, Cisco's fiscal fourth quarter" in html


def test_quotes_stay_in_their_original_language(client, shipped_knowledge):
    quote = "l'accès à ce marché ne peut se faire qu'avec nos partenaires"
    for language in ("en", "fr"):
        assert quote in page(client, "/programs/cpp/", language)


def test_english_only_text_shows_in_a_french_page_marked_as_english(client):
    program = ProgramFactory(slug="english-only", summary="Only written in English.", description="")
    program.sources.add(SourceFactory())
    assert program.summary_fr in (None, "")
    html = page(client, "/programs/english-only/", "fr")
    assert '<p class="lead"><span lang="en">Only written in English.</span></p>' in html
    # An English reader gets it as their own language: no mark.
    html = page(client, "/programs/english-only/", "en")
    assert '<p class="lead">Only written in English.</p>' in html


def test_french_only_text_shows_in_an_english_page_marked_as_french(client):
    program = ProgramFactory(slug="french-only", summary="", description="")
    Program.objects.filter(pk=program.pk).update(description_fr="Écrit en français seulement.")
    program.sources.add(SourceFactory())
    html = page(client, "/programs/french-only/", "en")
    assert '<div lang="fr"><p>Écrit en français seulement.</p></div>' in html


def test_the_admin_change_form_shows_both_languages_side_by_side(admin_client, shipped_knowledge):
    cpp = Program.objects.get(slug="cpp")
    response = admin_client.get(reverse("admin:programs_program_change", args=[cpp.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    for name in ("summary", "description", "launch_window", "rollout_notes"):
        assert f"{name}_en" in form.fields and f"{name}_fr" in form.fields
        assert name not in form.fields
    assert form["summary_fr"].value().startswith("Le programme de Cisco pour le cloud")
    html = response.content.decode()
    # One after the other, English first.
    assert html.index('name="summary_en"') < html.index('name="summary_fr"')
    # The tiers' inline rows too.
    assert 'name="tiers-0-summary_fr"' in html


def test_staff_save_the_french_text_from_the_admin(admin_client):
    from utilities.testing import form_data

    program = ProgramFactory(slug="to-translate", summary="In English.")
    program.sources.add(SourceFactory())  # nothing is published without a source
    url = reverse("admin:programs_program_change", args=[program.pk])
    data = form_data(admin_client.get(url))
    data["summary_fr"] = "En français."
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    program.refresh_from_db()
    assert (program.summary_en, program.summary_fr) == ("In English.", "En français.")


def test_search_in_french_finds_a_record_by_its_french_text(client):
    program = ProgramFactory(slug="translated", summary="Partners get a discount on hardware.")
    program.sources.add(SourceFactory())
    program.summary_fr = "Les partenaires obtiennent une aubaine sur le matériel."
    program.save()  # re-indexed
    html = page(client, "/search/?q=aubaine", "fr")
    assert 'href="/programs/translated/"' in html
    assert "obtiennent une aubaine sur le matériel" in words(html)  # shown in French
    # The English words still find it, and the English reader reads English.
    html = page(client, "/search/?q=discount", "en")
    assert 'href="/programs/translated/"' in html and "Partners get a discount" in words(html)


def test_an_export_in_french_carries_the_french_text(client, shipped_knowledge):
    def rows(language):
        response = client.get("/programs/?export=csv&sep=,", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return {row[0]: row for row in csv.reader(io.StringIO(text))}

    fr, en = rows("fr"), rows("en")
    assert any(CPP_FR in cell for cell in fr["cpp"]) and not any(CPP_EN in cell for cell in fr["cpp"])
    assert any(CPP_EN in cell for cell in en["cpp"]) and not any(CPP_FR in cell for cell in en["cpp"])


def test_the_api_answers_in_the_readers_language(client, shipped_knowledge):
    fr = client.get("/api/programs/cpp/", HTTP_ACCEPT_LANGUAGE="fr").json()
    en = client.get("/api/programs/cpp/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert CPP_FR in fr["summary"] and CPP_EN in en["summary"]
    assert fr["launch_window"].startswith("Aux mois de mai, juin et juillet")
    assert en["launch_window"].startswith("May, June and July")


def test_the_shipped_french_states_nothing_the_english_does_not(shipped_knowledge):
    """Every shipped record that has English text has its French, and the
    numbers in the French are the English one's (no new figures)."""
    from kb.translation import localized, translated_fields

    models = [Program, *(t for t in (Program.tiers.rel.related_model, Program.benefits.rel.related_model))]
    for model in models:
        for obj in model.objects.all():
            for name in translated_fields(model):
                english, french = getattr(obj, localized(name, "en")), getattr(obj, localized(name, "fr"))
                if english:
                    assert french, f"{obj}: {name} has no French"
                    numbers = lambda text: sorted(re.findall(r"\d+", text))  # noqa: E731
                    assert numbers(french) == numbers(english), f"{obj}: {name}"
