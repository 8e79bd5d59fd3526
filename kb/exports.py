"""Exports of the public lists and of the comparison, for spreadsheets and
programs: ``?export=csv`` / ``xlsx`` / ``json``.

- The header row is in the reader's language; values are labels ("annoncé",
  not ``announced``), with the codes in their own ``*_code`` columns where a
  program needs them.
- Links are absolute (``https://host/programs/cpp/``), so they are clickable
  in a spreadsheet; in XLSX they are real hyperlinks.
- Dates are dates: real date cells in XLSX, ISO ``YYYY-MM-DD`` in CSV/JSON.
- CSV separator: ``;`` when the reader's language is French (French Excel
  splits on it), ``,`` otherwise; ``sep=comma|semicolon|tab`` chooses.
- Every text cell goes through ``csv_safe`` (text a spreadsheet would run as
  a formula is neutralised), in CSV and XLSX alike.

Columns are declared once per list as :class:`ExportColumn`; the rows come
from the view (``FilteredListView.export_rows``), so how rows are fetched is
the view's business, not the writers'.
"""

import csv
import datetime as dt
import io
import json
import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from utilities.spreadsheets import csv_safe

EXPORT_FORMATS = ("csv", "xlsx", "json")
SEPARATORS = {"comma": ",", ",": ",", "semicolon": ";", ";": ";", "tab": "\t", "\t": "\t"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters XML 1.0 (hence XLSX) cannot hold; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExportColumn:
    """One exported column. ``get`` is an attribute name or ``callable(obj)``;
    ``kind`` is ``text``, ``date``, ``number`` or ``link`` (a site path,
    written as an absolute URL, a hyperlink in XLSX)."""

    def __init__(self, key, label, get, kind="text"):
        self.key, self.label, self.kind = key, label, kind
        self.get = get if callable(get) else (lambda obj, attr=get: getattr(obj, attr))

    def raw(self, obj):
        """The value as Python: date, number, text or None."""
        value = self.get(obj)
        if value is None or value == "":
            return None
        if isinstance(value, dt.date | int | float | bool):
            return value
        return str(value)

    def value(self, obj):
        """The value as the JSON and CSV exports write it (dates in ISO)."""
        value = self.raw(obj)
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, dt.date) else value


def joined(attr, field="name"):
    """Export helper: a many-to-many as 'A; B' (uses the prefetch)."""
    return lambda obj: "; ".join(str(getattr(x, field)) for x in getattr(obj, attr).all())


def label_of(field):
    """Export helper: the display label of a choice field ("annoncé")."""
    return lambda obj: getattr(obj, f"get_{field}_display")()


def code_column(field, label):
    """The code of a choice field, in its own ``<field>_code`` column."""
    return ExportColumn(f"{field}_code", label, field)


def source_titles(obj):
    """The titles of a record's published sources ('A; B'): uses the prefetch
    of ``sources.models.published_sources()`` (the export queryset adds it)."""
    return "; ".join(s.title for s in obj.sources.all())


def sources_column():
    return ExportColumn("sources", _("sources"), source_titles)


def page_column():
    return ExportColumn("url", _("page"), lambda obj: obj.get_absolute_url(), kind="link")


# -- parameters ----------------------------------------------------------------


def separator(request):
    """The CSV separator asked for (``sep``), else by the reader's language.
    ``None`` for a value we do not know."""
    raw = request.GET.get("sep")
    if raw is None or raw == "":
        return ";" if (get_language() or "").startswith("fr") else ","
    return SEPARATORS.get(raw.lower()) or SEPARATORS.get(raw.strip().lower())


def unknown_format_message():
    return gettext("Unknown export format. Use export=csv, export=xlsx or export=json.")


def unknown_separator_message():
    return gettext("Unknown separator. Use sep=comma, sep=semicolon or sep=tab.")


# -- writers ---------------------------------------------------------------------


def _absolute(request, value):
    return request.build_absolute_uri(value) if value else value


def _cells(request, columns, obj):
    """(column, value) of one row, links made absolute."""
    for col in columns:
        value = col.raw(obj)
        if col.kind == "link" and value:
            value = _absolute(request, value)
        yield col, value


def headers(columns):
    return [capfirst(str(c.label)) for c in columns]


def json_response(request, columns, objects, name):
    rows = []
    for obj in objects:
        row = {}
        for col, value in _cells(request, columns, obj):
            row[col.key] = "" if value is None else (value.isoformat() if isinstance(value, dt.date) else value)
        rows.append(row)
    response = HttpResponse(
        json.dumps(rows, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


def csv_response(request, columns, objects, name, sep=","):
    """Streams: the rows are written in chunks as they are read."""

    def stream():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=sep)
        buffer.write("\ufeff")  # BOM: spreadsheets then read UTF-8 correctly
        writer.writerow(headers(columns))
        for i, obj in enumerate(objects):
            writer.writerow(
                [
                    "" if v is None else (v.isoformat() if isinstance(v, dt.date) else csv_safe(v))
                    for _c, v in _cells(request, columns, obj)
                ]
            )
            if i % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8; header=present")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def xlsx_text(value):
    """Text for an XLSX cell: no character XML cannot hold, formulas neutralised."""
    return csv_safe(_XML_ILLEGAL.sub("", value))


def sheet_title(title):
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\)."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip() or "Export"
    return cleaned[:31]


def xlsx_workbook(title, header, rows, widths=None):
    """A one-sheet write-only workbook: a bold, frozen header row, then
    ``rows`` of (kind, value) pairs. Returns the file's bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(title))
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths or [min(max(len(h) + 2, 12), 40) for h in header], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    head = []
    for text in header:
        cell = WriteOnlyCell(ws, value=xlsx_text(text))
        cell.font = bold
        head.append(cell)
    ws.append(head)
    link_font = Font(color="0563C1", underline="single")
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        cells = []
        for kind, value in row:
            if value is None:
                cells.append(None)
                continue
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, bool | int | float):
                cell = WriteOnlyCell(ws, value=value)
            elif kind == "link":
                url = xlsx_text(value)
                cell = WriteOnlyCell(ws, value=url)
                cell.hyperlink = url
                cell.font = link_font
            else:
                cell = WriteOnlyCell(ws, value=xlsx_text(value))
                if "\n" in value:
                    cell.alignment = wrap
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_file_response(content, name):
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def xlsx_response(request, columns, objects, name, title):
    rows = ([(col.kind, value) for col, value in _cells(request, columns, obj)] for obj in objects)
    return xlsx_file_response(xlsx_workbook(title, headers(columns), rows), name)


def grid_response(fmt, request, title, header, rows, name):
    """An export of a grid that is not one row per record (the comparison:
    one row per attribute, one column per program). ``rows`` are lists of
    (kind, value); links are made absolute. CSV or XLSX."""
    rows = [[(kind, _absolute(request, v) if kind == "link" else v) for kind, v in row] for row in rows]
    if fmt == "xlsx":
        widths = [28] + [40] * (len(header) - 1)
        return xlsx_file_response(xlsx_workbook(title, header, rows, widths=widths), name)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=separator(request) or ",")
    writer.writerow([csv_safe(h) for h in header])
    for row in rows:
        writer.writerow(
            ["" if v is None else (v.isoformat() if isinstance(v, dt.date) else csv_safe(v)) for _k, v in row]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8; header=present")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
