"""French and English: the browser's language is chosen by default, the
switcher's cookie overrides it and keeps the page (path and filters), every
kind of page (public, admin, error) speaks the chosen language, dates are
written the language's way, knowledge keeps its own language (lang="fr" on
a French quote), and the committed French catalogue is complete.

The public templates are being rewritten: these tests rely only on what
every version keeps (base.html's <html lang>, its navigation labels, the
language switcher, the admin), not on a page's layout."""

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from programs.models import EventKind
from sources.models import Quote
from tests.factories import (
    MembershipFactory,
    PartnerFactory,
    PersonFactory,
    ProgramEventFactory,
    ProgramFactory,
    QuoteFactory,
    SourceFactory,
    TierFactory,
    VendorFactory,
)
from utilities import translations

FR = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def html_lang(response):
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", response.content.decode())
    return match and match.group(1)


def french(text):
    with translation.override("fr"):
        return translation.gettext(text)


# -- the public pages ---------------------------------------------------------


@pytest.fixture
def one_of_each(db):
    """One published record of each kind that has a public page."""
    vendor = VendorFactory(name="Cisco", slug="cisco")
    program = ProgramFactory(name="Partner Program", slug="pp", vendors=[vendor])
    tier = TierFactory(program=program, name="Gold", slug="gold")
    person = PersonFactory(name="Jean Dupont", slug="jean-dupont", employer=vendor)
    source = SourceFactory(title="Un article", slug="un-article")
    event = ProgramEventFactory(
        title="Lancement", slug="lancement", program=program, kind=EventKind.LAUNCH, start_date=dt.date(2010, 5, 1)
    )
    partner = PartnerFactory(name="Acme", slug="acme")
    MembershipFactory(partner=partner, tier=tier)
    QuoteFactory(person=person, source=source, program=program, vendor=vendor, text="Nous sommes prêts.")
    return {
        "home": reverse("kb:home"),
        "vendor list": reverse("vendors:list"),
        "vendor": vendor.get_absolute_url(),
        "program list": reverse("programs:list"),
        "program": program.get_absolute_url(),
        "tier": tier.get_absolute_url(),
        "event": event.get_absolute_url(),
        "person": person.get_absolute_url(),
        "partner list": reverse("partners:list"),
        "partner": partner.get_absolute_url(),
        "source list": reverse("sources:list"),
        "source": source.get_absolute_url(),
    }


PUBLIC_PAGES = [
    "home",
    "vendor list",
    "vendor",
    "program list",
    "program",
    "tier",
    "event",
    "person",
    "partner list",
    "partner",
    "source list",
    "source",
]


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_page_in_french_for_a_french_browser(client, one_of_each, page):
    response = client.get(one_of_each[page], **FR)
    assert response.status_code == 200
    assert html_lang(response) == "fr"
    assert response["Content-Language"] == "fr"
    html = response.content.decode()
    assert ">Programmes<" in html and ">Fournisseurs<" in html  # the navigation
    assert ">Programs<" not in html and ">Vendors<" not in html


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_page_in_english_for_an_english_browser(client, one_of_each, page):
    response = client.get(one_of_each[page], **EN)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    html = response.content.decode()
    assert ">Programs<" in html and ">Vendors<" in html
    assert ">Programmes<" not in html and ">Fournisseurs<" not in html


def test_english_without_accept_language(client, one_of_each):
    response = client.get(one_of_each["home"])
    assert html_lang(response) == "en"


def test_an_unsupported_browser_language_falls_back_to_english(client, one_of_each):
    response = client.get(one_of_each["home"], HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert html_lang(response) == "en"


def test_the_page_varies_on_accept_language_and_cookie(client, one_of_each):
    """Both choose the language, so a shared cache must key on both."""
    response = client.get(one_of_each["home"], **FR)
    vary = {v.strip() for v in response.get("Vary", "").split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_locale_middleware_sits_after_sessions_and_before_common():
    middleware = settings.MIDDLEWARE
    locale = middleware.index("portal.language.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")


def test_a_french_quote_is_marked_french_on_an_english_page(client, one_of_each):
    quote = Quote.objects.get()
    response = client.get(one_of_each["person"], **EN)
    html = response.content.decode()
    assert html_lang(response) == "en"
    # The quote is shown as written, and its element says it is French.
    assert re.search(r"<[^>]+lang=\"fr\"[^>]*>(?:(?!</?(?:blockquote|q)\b).)*Nous sommes prêts\.", html, re.S), html
    assert quote.text in html


def test_page_not_found_in_each_language(client, db):
    fr = client.get("/no-such-page/", **FR)
    en = client.get("/no-such-page/", **EN)
    assert fr.status_code == en.status_code == 404
    assert html_lang(fr) == "fr" and html_lang(en) == "en"
    assert "Page introuvable" in fr.content.decode()
    assert "Page not found" in en.content.decode()


@pytest.mark.parametrize("language, text", [("fr", "Erreur du serveur"), ("en", "Server error")])
def test_server_error_page_in_each_language(rf, language, text):
    from django.views.defaults import server_error

    with translation.override(language):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert text in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()


# -- the language switcher ----------------------------------------------------


def switcher_links(html):
    """The switcher's links: {language: href}."""
    links = {}
    for match in re.finditer(r"<a [^>]*href=\"([^\"]*/i18n/setlang/[^\"]*)\"[^>]*>", html):
        href = match.group(1).replace("&amp;", "&")
        links[parse_qs(urlsplit(href).query)["language"][0]] = href
    return links


def test_every_public_page_offers_the_other_language_and_keeps_its_filters(client, one_of_each):
    url = one_of_each["program list"] + "?status=active&sort=-name&page=1"
    response = client.get(url, **EN)
    links = switcher_links(response.content.decode())
    assert set(links) == {"fr"}  # the current language is not a link
    assert parse_qs(urlsplit(links["fr"]).query)["next"] == [url]
    french_page = client.get(links["fr"], **EN)
    assert french_page.status_code == 302
    assert french_page["Location"] == url


def test_switcher_cookie_overrides_the_browser_language(client, one_of_each):
    response = client.get(reverse("kb:set_language"), {"language": "fr", "next": one_of_each["vendor list"]}, **EN)
    assert response.status_code == 302
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    page = client.get(one_of_each["vendor list"], **EN)  # the client sends the cookie back
    assert html_lang(page) == "fr"
    client.get(reverse("kb:set_language"), {"language": "en", "next": "/"}, **FR)
    assert html_lang(client.get(one_of_each["vendor list"], **FR)) == "en"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "http://evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_switcher_refuses_an_off_site_next(client, db, next_url):
    response = client.get(reverse("kb:set_language"), {"language": "fr", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


def test_switcher_ignores_an_unknown_language(client, db):
    response = client.get(reverse("kb:set_language"), {"language": "xx", "next": "/vendors/"})
    assert response.status_code == 302
    assert response["Location"] == "/vendors/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_switcher_needs_no_post_and_refuses_one(client, db):
    response = client.post(reverse("kb:set_language"), {"language": "fr"})
    assert response.status_code == 405


def test_switcher_names_each_language_in_itself(client, one_of_each):
    html = client.get(one_of_each["home"], **FR).content.decode()
    assert re.search(r'<a [^>]*lang="en"[^>]*>English</a>', html)
    assert re.search(r'<span [^>]*lang="fr"[^>]*>Français</span>', html)


# -- the admin ------------------------------------------------------------------


def test_admin_login_in_each_language(client, db):
    fr = client.get(reverse("admin:login"), **FR)
    en = client.get(reverse("admin:login"), **EN)
    assert "Base de connaissances des programmes partenaires" in fr.content.decode()
    assert "Nom d’utilisateur" in fr.content.decode()
    assert "Partner-program knowledge base" in en.content.decode()
    assert "Username" in en.content.decode()
    assert switcher_links(fr.content.decode()).keys() == {"en"}


def test_admin_changelist_in_french_with_french_labels_filters_and_dates(admin_client, one_of_each):
    ProgramEventFactory(title="Conférence", slug="conf", kind=EventKind.CONFERENCE, start_date=dt.date(2010, 7, 11))
    html = admin_client.get(reverse("admin:programs_programevent_changelist"), **FR).content.decode()
    assert "Événements" in html  # verbose_name_plural
    assert "Précision de la date" in html  # a column header (field verbose_name)
    assert "conférence" in html  # a choice label
    assert "11 juillet 2010" in html  # a date, the French way
    assert "Fiches supprimées" in html  # the project's own admin template
    assert "Publier les fiches sélectionnées" in html  # an action
    assert switcher_links(html).keys() == {"en"}


def test_admin_changelist_in_english(admin_client, one_of_each):
    ProgramEventFactory(title="Conference", slug="conf", kind=EventKind.CONFERENCE, start_date=dt.date(2010, 7, 11))
    html = admin_client.get(reverse("admin:programs_programevent_changelist"), **EN).content.decode()
    assert "Date precision" in html
    assert "July 11, 2010" in html
    assert "Deleted records" in html


def test_admin_change_form_fieldsets_in_french(admin_client, one_of_each):
    program = ProgramFactory()
    html = admin_client.get(reverse("admin:programs_program_change", args=[program.pk]), **FR).content.decode()
    for label in ("Périmètre", "Provenance", "Modèle de distribution", "Période de lancement", "Échelons"):
        assert label in html


def test_admin_validation_message_in_french(admin_client, one_of_each):
    response = admin_client.post(
        reverse("admin:vendors_vendorrelation_add"),
        {"vendor": VendorFactory().pk, "other_vendor": "", "kind": "alliance", "summary": ""},
        **FR,
    )
    assert "Ce champ est obligatoire." in response.content.decode()
    vendor = VendorFactory()
    response = admin_client.post(
        reverse("admin:vendors_vendorrelation_add"),
        {"vendor": vendor.pk, "other_vendor": vendor.pk, "kind": "alliance", "summary": ""},
        **FR,
    )
    assert "Un fournisseur ne peut pas être en relation avec lui-même." in response.content.decode()


def test_import_error_in_french(admin_client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("vendors.csv", b"slug,name,colour\nx,X,blue\n", content_type="text/csv")
    response = admin_client.post(
        reverse("admin:vendors_vendor_import"), {"import_file": upload, "resource": "0", "format": ""}, **FR
    )
    html = response.content.decode()
    assert "Colonnes inconnues\u00a0: colour." in html
    assert "Aperçu" in html


# -- the catalogue ----------------------------------------------------------------


def test_every_model_label_is_translated():
    from django.apps import apps

    same_in_both = {"description", "version", "slug", "sources", "source", "url", "passage", "passages", "note"}
    untranslated = []
    for model in apps.get_models():
        if model._meta.app_label not in {"kb", "vendors", "programs", "partners", "sources"}:
            continue
        if model.__name__.startswith("Historical"):
            continue
        for text in [model._meta.verbose_name, model._meta.verbose_name_plural] + [
            f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name") and not f.auto_created
        ]:
            with translation.override("en"):
                english = str(text)
            with translation.override("fr"):
                # A translated field's columns: "description [fr]" (kb.translation).
                if str(text) == english and english.lower().split(" [")[0] not in same_in_both:
                    untranslated.append(f"{model.__name__}: {english}")
    assert not untranslated


def gettext_tools_or_skip():
    missing = translations.gettext_tools_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs GNU gettext to check the catalogue (missing {', '.join(missing)}).")
        pytest.skip(f"GNU gettext not installed (missing {', '.join(missing)}): apt-get install gettext")


def test_committed_french_catalogue_is_complete_and_compiled():
    """What `make i18n-check` checks: nothing untranslated or fuzzy, nothing
    makemessages would add, and a .mo compiled from the current .po."""
    pytest.importorskip("polib")
    gettext_tools_or_skip()
    assert translations.check_catalogue() == []


@pytest.fixture
def tiny_project(tmp_path):
    """A project with one translatable string and a catalogue that has it."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "strings.py").write_text(
        'from django.utils.translation import gettext as _\n\nHELLO = _("Hello")\n'
    )
    (tmp_path / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    po_file = translations.po_path(tmp_path)
    po_file.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Hello"\nmsgstr "Bonjour"\n'
    )
    translations.compile_mo(po_file)
    with override_settings(BASE_DIR=tmp_path):
        yield tmp_path, po_file


def test_the_check_passes_on_a_complete_catalogue(tiny_project):
    pytest.importorskip("polib")
    gettext_tools_or_skip()
    assert translations.check_catalogue() == []


def test_the_check_finds_a_message_makemessages_would_add(tiny_project):
    pytest.importorskip("polib")
    gettext_tools_or_skip()
    base, _po = tiny_project
    (base / "app" / "more.py").write_text('from django.utils.translation import gettext as _\n\nX = _("Goodbye")\n')
    problems = translations.check_catalogue()
    assert len(problems) == 1 and "'Goodbye'" in problems[0] and "app/more.py" in problems[0]


def test_the_check_finds_untranslated_fuzzy_and_stale(tiny_project):
    pytest.importorskip("polib")
    gettext_tools_or_skip()
    _base, po_file = tiny_project
    text = po_file.read_text()
    po_file.write_text(text + '\n#, fuzzy\nmsgid "Hi"\nmsgstr "Salut"\n\nmsgid "Bye"\nmsgstr ""\n')
    problems = translations.check_catalogue(extract=False)
    assert any(p.startswith("fuzzy") and "'Hi'" in p for p in problems)
    assert any(p.startswith("untranslated") and "'Bye'" in p for p in problems)
    po_file.write_text(text.replace("Bonjour", "Bonjour !"))
    problems = translations.check_catalogue(extract=False)
    assert len(problems) == 1 and "stale" in problems[0]


def test_the_shipped_mo_needs_no_gettext_tools():
    """The site reads the committed .mo: French works without gettext installed."""
    mo_file = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.mo"
    assert mo_file.exists()
    assert french("Programs") == "Programmes"
    assert french("vendor relations") == "relations entre fournisseurs"
    with translation.override("fr"):
        assert translation.ngettext("%d record published.", "%d records published.", 2) % 2 == "2 fiches publiées."
        assert translation.ngettext("%d record published.", "%d records published.", 1) % 1 == "1 fiche publiée."
