"""The extraction library on short texts: each rule a user relies on when
reviewing an article (exact offsets, matches, values)."""

import datetime

import pytest

from knowledge.ingest import Entry, Gazetteer, UnsupportedLanguage, detect_language, extract


def found(text, kind, language="fr", **kwargs):
    candidates = extract(text, language, **kwargs)
    for c in candidates:
        assert text[c.start : c.end] == c.text  # offsets are exact
    return [c for c in candidates if c.kind == kind]


def test_people_organisations_places_with_exact_offsets():
    text = "À Boston, John Chambers a rencontré les dirigeants de Microsoft et de HP."
    assert [c.text for c in found(text, "person")] == ["John Chambers"]
    assert [c.text for c in found(text, "organisation")] == ["Microsoft", "HP"]
    assert [c.text for c in found(text, "place")] == ["Boston"]


def test_typographic_apostrophes_are_not_people():
    text = "L’ancien conseiller n’était pas le premier. S’exprimant devant des revendeurs, Vince Menzione a parlé."
    assert [c.text for c in found(text, "person")] == ["Vince Menzione"]


def test_matches_known_records_despite_accents_case_typos_and_aliases():
    gazetteer = Gazetteer(
        [
            Entry("program", "Managed Services Channel Program", "mscp", "programs.program", aliases=["MSCP"]),
            Entry("organisation", "Cisco", "cisco", "vendors.vendor"),
            Entry("person", "Bruno Dutriaux", "bruno-dutriaux", "vendors.person"),
        ]
    )
    text = (
        "Cisco prépare un nouveau Managed Services Channel Programme. Le MSCP sera présenté "
        "par Bruno Dutriaus, de CISCO."
    )
    programs = found(text, "program", gazetteer=gazetteer)
    assert {(c.text, c.match) for c in programs} == {
        ("Managed Services Channel Programme", "mscp"),
        ("MSCP", "mscp"),
    }
    person = found(text, "person", gazetteer=gazetteer)
    assert [(c.text, c.match) for c in person] == [("Bruno Dutriaus", "bruno-dutriaux")]  # a typo
    assert [c.match for c in found(text, "organisation", gazetteer=gazetteer)] == ["cisco", "cisco"]


def test_unknown_names_have_no_match():
    (person,) = found("Selon Marie Curie, la chose est faite.", "person")
    assert person.match is None and person.value["name"] == "Marie Curie"


def test_quotes_with_speaker_after_before_and_earlier_in_the_paragraph():
    text = (
        "Bruno Dutriaux, expert chez Cisco, est venu. « Nous sommes un acteur important du cloud », note "
        "Bruno Dutriaux. « Le reste viendra plus tard avec nos partenaires. »\n"
        "Plus tard, Mark Lewis a déclaré « We compete with HP ». "
        "Il a ajouté, « La différence est dans notre approche. »"
    )
    quotes = found(text, "quote")
    assert [(q.text, q.value["speaker"]) for q in quotes] == [
        ("Nous sommes un acteur important du cloud", "Bruno Dutriaux"),
        ("Le reste viendra plus tard avec nos partenaires.", "Bruno Dutriaux"),
        ("We compete with HP", "Mark Lewis"),
        ("La différence est dans notre approche.", "Mark Lewis"),
    ]
    assert quotes[2].value["language"] == "en"


def test_quoted_names_are_not_quotes():
    text = "Ce programme comprend trois « branding » : « Builder » et « Provider »."
    assert found(text, "quote") == []


def test_english_quotes_and_reporting_verbs():
    text = 'The program is new. "We are an important player in the cloud market," said Jane Smith, head of channels.'
    (quote,) = found(text, "quote", language="en")
    assert quote.value["speaker"] == "Jane Smith"


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("du 11 au 15 juillet 2010", {"start": "2010-07-11", "end": "2010-07-15", "precision": "day"}),
        ("aux mois de mai-juin-juillet", {"start": "XXXX-05", "end": "XXXX-07", "precision": "month"}),
        ("dès la rentrée", {"start": "XXXX-09~", "precision": "month"}),
        ("dans un horizon de 18 à 24 mois", {"duration": "P18M/P24M", "precision": "span"}),
        ("les années 90", {"start": "199X", "precision": "decade"}),
    ],
)
def test_dates_and_periods_with_precision(words, value):
    text = f"Le programme sera lancé {words}, a-t-on appris."
    (date,) = found(text, "date")
    assert date.text.endswith(words.split()[-1])
    assert value.items() <= date.value.items()


def test_relative_dates_from_the_source_date():
    text = "Son année commence le 1er juillet prochain."
    (date,) = found(text, "date", source_date=datetime.date(2010, 7, 20))
    assert date.value["start"] == "2011-07-01" and "derived" in date.value
    (date,) = found(text, "date", source_date=datetime.date(2010, 3, 2))
    assert date.value["start"] == "2010-07-01"


def test_year_from_a_fiscal_year_named_in_the_sentence():
    text = "L'année fiscale 2010-2011 de Microsoft, qui débute le 1er juillet prochain, sera importante."
    dates = found(text, "date")
    assert [d.value.get("start") for d in dates if d.value["precision"] == "day"] == ["2010-07-01"]


def test_fiscal_quarter_through_the_vendor_fiscal_calendar():
    gazetteer = Gazetteer(
        [Entry("organisation", "Cisco", "cisco", "vendors.vendor", extra={"fiscal_year_start_month": 8})]
    )
    text = "Il sera lancé au 4ème trimestre fiscal Cisco."
    (date,) = found(text, "date", gazetteer=gazetteer)
    assert date.value["months"] == [5, 6, 7] and date.value["vendor"] == "Cisco"
    (unknown,) = found(text, "date")  # the calendar is not known: no months invented
    assert "months" not in unknown.value and unknown.value["fiscal_quarter"] == 4


def test_english_dates():
    text = "The conference runs from 11 to 15 July 2010 and the program starts in May 2011."
    values = [d.value for d in found(text, "date", language="en")]
    assert values[0]["start"] == "2010-07-11" and values[0]["end"] == "2010-07-15"
    assert values[1] == {"start": "2011-05", "precision": "month"}


@pytest.mark.parametrize(
    ("text", "exact", "value"),
    [
        ("avec l'embauche de 300 à 500 personnes supplémentaires", "300 à 500 personnes", {"min": 300, "max": 500}),
        ("auraient séduit moins de 10% de ses partenaires.", "moins de 10% de ses partenaires", {"value": 10}),
        ("avec trois niveaux de partenariat", "trois niveaux", {"value": 3, "unit": "niveaux"}),
    ],
)
def test_figures(text, exact, value):
    (figure,) = found(text, "figure")
    assert figure.text == exact
    assert value.items() <= figure.value.items()


def test_candidate_programs_and_tiers():
    text = (
        "Ce Cloud partner program comprend trois éléments : builder, provider, services reseller. "
        "Il s'agit de trois qualifications. « Builder » correspond aux partenaires. Le CPP est mondial."
    )
    programs = found(text, "program")
    assert {c.text for c in programs} == {"Cloud partner program", "CPP"}
    assert all(c.value["acronym"] == "CPP" for c in programs)
    tiers = found(text, "tier")
    assert [c.text for c in tiers] == ["builder", "provider", "services reseller", "Builder"]
    assert {c.value["kind"] for c in tiers} == {"designation"}
    assert {c.value["program"] for c in tiers} == {"Cloud partner program"}


def test_named_and_unnamed_programs():
    text = (
        "« Frontline » le programme de partenariat signé entre Microsoft et HP. L'éditeur a annoncé un nouveau "
        "programme de partenariat axé sur le cloud computing. "
        "Cisco aura trois niveaux de partenariat, dont un « Master »."
    )
    programs = found(text, "program")
    assert programs[0].value["name"] == "Frontline"
    assert programs[1].value["unnamed"] is True
    (tier,) = found(text, "tier")
    assert tier.text == "Master" and tier.value["kind"] == "level"


def test_language_detection_and_unsupported_languages():
    assert detect_language("Le programme de partenariat sera lancé partout dans le monde en juillet.") == "fr"
    assert detect_language("The partner program will launch worldwide in July with three levels.") == "en"
    assert detect_language("Das Partnerprogramm wird im Juli weltweit mit drei Stufen gestartet.") == "de"
    assert detect_language("...") is None
    with pytest.raises(UnsupportedLanguage, match="de"):
        extract("Das Partnerprogramm wird im Juli gestartet.", "de")
