"""Formula escaping (CSV injection, OWASP): what a spreadsheet would run is
written as text, and the import gives back exactly what was exported."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from utilities.csv import formula_escape, formula_unescape, is_formula_like

DANGEROUS = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",  # a leading line feed
    " =1+1",  # a space, then =
    "\u00a0=1+1",  # a no-break space, then =
    "\uff1d1+1",  # full-width ＝
    "\uff0bcmd",  # full-width ＋
    "\ufe6bSUM(1)",  # small ＠
    "cmd|' /C calc'!A0",  # a DDE link without a sign
    "'=1+1",  # an apostrophe already, then a formula
]
HARMLESS = ["Cisco", "Programme Frontline", "2010", "e-mail", "O'Brien", "'quoted'", "", "Q&A"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_text_gets_an_apostrophe(value):
    assert is_formula_like(value)
    assert formula_escape(value) == "'" + value
    assert formula_unescape(formula_escape(value)) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_plain_text_is_left_alone(value):
    assert formula_escape(value) == value
    assert formula_unescape(value) == value


def test_other_values_pass_through():
    assert formula_escape(3) == 3 and formula_escape(None) is None and formula_unescape(2.5) == 2.5


@given(st.text(alphabet=st.sampled_from("=+-@'| \t\n\r\uff1dab1"), max_size=8) | st.text(max_size=20))
def test_round_trip_is_exact(value):
    escaped = formula_escape(value)
    assert formula_unescape(escaped) == value
    assert not is_formula_like(escaped) or escaped.startswith("'")
