"""Anchoring words in a text (W3C TextQuoteSelector + TextPositionSelector)."""

import pytest

from utilities.anchoring import (
    AmbiguousQuote,
    Anchor,
    AnchoringError,
    EmptyQuote,
    QuoteNotFound,
    anchor,
    reanchor,
    selector_from_offsets,
)

TEXT = "Le programme compte trois niveaux. Chez Cisco, le programme compte trois niveaux aussi, dont un « Master »."


def test_found_words_give_both_selectors():
    found = anchor("Il sera lancé, partout dans le monde, en mai.", "partout dans le monde")
    assert (found.start, found.end) == (15, 36)
    assert found.exact == "partout dans le monde"
    assert found.prefix == "Il sera lancé, "
    assert found.suffix == ", en mai."
    assert found.quote_selector() == {
        "type": "TextQuoteSelector",
        "exact": "partout dans le monde",
        "prefix": "Il sera lancé, ",
        "suffix": ", en mai.",
    }
    assert found.position_selector() == {"type": "TextPositionSelector", "start": 15, "end": 36}


def test_stored_words_are_the_texts_own_even_when_typed_with_other_spacing_and_quote_marks():
    text = "partout dans le monde,\u00a0 aux mois de mai-juin-juillet ; l’éditeur"
    found = anchor(text, "partout dans le monde, aux mois de mai-juin-juillet ; l'éditeur")
    assert found.exact == text  # the non-breaking space, the double space and the curly apostrophe kept


def test_repeated_phrase_is_anchored_by_its_prefix_or_suffix():
    first = TEXT.index("le programme compte trois niveaux")
    by_prefix = anchor(TEXT, "programme compte trois niveaux", prefix="Chez Cisco, le ")
    assert by_prefix.start == first + 3
    by_suffix = anchor(TEXT, "programme compte trois niveaux", suffix=". Chez")
    assert by_suffix.start == 3


def test_repeated_phrase_without_context_is_ambiguous():
    with pytest.raises(AmbiguousQuote) as info:
        anchor(TEXT, "programme compte trois niveaux")
    assert info.value.count == 2


def test_position_breaks_the_tie():
    second = TEXT.rindex("programme compte trois niveaux")
    assert anchor(TEXT, "programme compte trois niveaux", start=second - 2).start == second


@pytest.mark.parametrize("words", ["", "   ", None])
def test_empty_words_are_refused(words):
    with pytest.raises(EmptyQuote):
        anchor(TEXT, words)


def test_words_not_in_the_text_are_named():
    with pytest.raises(QuoteNotFound) as info:
        anchor(TEXT, "quatre niveaux")
    assert "quatre niveaux" in str(info.value)


def test_selector_from_offsets_of_a_selection():
    selected = selector_from_offsets(TEXT, 20, 33)
    assert selected.exact == "trois niveaux"
    assert selected.prefix == TEXT[:20]
    assert selected.suffix == TEXT[33:65]
    with pytest.raises(AnchoringError):
        selector_from_offsets(TEXT, 10, 5)
    with pytest.raises(AnchoringError):
        selector_from_offsets(TEXT, 0, len(TEXT) + 1)


def test_reanchor_after_words_are_inserted_before():
    old = anchor(TEXT, "un « Master »")
    edited = "Chapeau ajouté. " + TEXT
    new = reanchor(edited, old)
    assert new.start == old.start + len("Chapeau ajouté. ")
    assert edited[new.start : new.end] == "un « Master »"


def test_reanchor_keeps_the_right_one_of_repeated_words():
    old = anchor(TEXT, "programme compte trois niveaux", prefix="Chez Cisco, le ")
    edited = TEXT.replace("Le programme compte", "Le tout nouveau programme compte")
    new = reanchor(edited, old)
    assert new.prefix.endswith("Chez Cisco, le ")


def test_reanchor_returns_none_when_the_words_are_gone():
    old = anchor(TEXT, "un « Master »")
    assert reanchor(TEXT.replace("Master", "Gold"), old) is None


def test_anchor_is_a_value():
    assert Anchor("a", "", "", 0, 1) == Anchor("a", "", "", 0, 1)
