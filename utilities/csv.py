"""Spreadsheet formula escaping ("CSV injection", OWASP).

A cell whose text a spreadsheet would read as a formula (``=HYPERLINK(...)``,
``+cmd|' /C calc'!A0``, ``-2+3``, ``@SUM(1)``) is written with a leading
apostrophe, in CSV and in XLSX alike, so Excel, LibreOffice and Google Sheets
show it as text. ``formula_unescape`` undoes it on import, so an exported file
imports back unchanged: ``formula_unescape(formula_escape(x)) == x`` for
every string.

What counts as dangerous (see ``is_formula_like``), beyond OWASP's list
(``= + - @``, tab, carriage return at the start):

- any leading whitespace or control character (line feed, space, no-break
  space...) before one of those signs: spreadsheets skip it;
- the full-width and small forms (``＝ ＋ － ＠``, ``﹦ ﹢ ﹣ ﹫``), which
  some spreadsheets fold to the ASCII sign (found through NFKC);
- a ``|`` anywhere: the separator of DDE links (``cmd|' /C calc'!A0``);
- a text that starts with an apostrophe followed by any of the above (so
  that such a text is escaped too and the import gives it back exactly).
"""

import unicodedata

#: Signs that start a formula, once folded with NFKC (＝ -> =, ﹢ -> +).
FORMULA_SIGNS = frozenset("=+-@")
#: Characters that are dangerous as the very first character of a cell.
LEADING_CONTROLS = frozenset("\t\r\n")
DDE_SEPARATOR = "|"
ESCAPE = "'"


def _first_significant(value):
    """The first character that is neither whitespace nor a control
    character, or '' when there is none."""
    for char in value:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs"):
            continue
        return char
    return ""


def is_formula_like(value):
    """Would a spreadsheet (maybe) read this text as a formula?"""
    if not isinstance(value, str) or not value:
        return False
    if value[0].isalnum():  # the common case, decided at once (NFKC keeps letters and digits so)
        return DDE_SEPARATOR in value or "\uff5c" in value
    if value[0] in LEADING_CONTROLS or DDE_SEPARATOR in value or "\uff5c" in value:
        return True
    first = _first_significant(value)
    if first and unicodedata.normalize("NFKC", first)[:1] in FORMULA_SIGNS:
        return True
    if value.startswith(ESCAPE):
        return is_formula_like(value[1:])
    return False


def formula_escape(value):
    """The cell to write: ``value`` with a leading apostrophe when a
    spreadsheet would run it as a formula; anything else as it is."""
    if is_formula_like(value):
        return ESCAPE + value
    return value


def formula_unescape(value):
    """The value an imported cell stands for: the apostrophe
    ``formula_escape`` added is removed; anything else is left alone."""
    if isinstance(value, str) and value.startswith(ESCAPE) and is_formula_like(value[1:]):
        return value[1:]
    return value


# The name the public export has always used.
csv_safe = formula_escape
