"""Spreadsheet safety for exported text."""

# Formula escaping lives in utilities/csv.py (OWASP's cases and more; the
# import undoes it); this name is kept for the export code.
from utilities.csv import formula_escape as csv_safe  # noqa: E402,F401
