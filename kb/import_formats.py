"""The spreadsheet formats of the admin import (CSV, XLSX), with the limits
that keep one upload from taking a worker down.

Checked before any row is processed (a file over a limit is refused with a
message naming the limit; nothing is written):

- ``IMPORT_MAX_FILE_SIZE``: the upload itself (the import form checks it);
- ``IMPORT_MAX_UNZIPPED_SIZE`` and ``IMPORT_MAX_COMPRESSION_RATIO``: an XLSX
  is a zip; its members' declared sizes are read from the zip directory
  before anything is unzipped, so a "zip bomb" (a 1 MB file holding one 1 GB
  cell) is refused without inflating it;
- ``IMPORT_MAX_ROWS``: rows are counted while the file is read, and reading
  stops at the first row over the limit;
- ``IMPORT_MAX_CELL_LENGTH``: characters in one cell.

CSV files may be separated by commas, semicolons (what a French Excel writes)
or tabs: the separator is taken from the header line.
"""

import csv
import io
import zipfile

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

SEPARATORS = (",", ";", "\t")

DEFAULTS = {
    "IMPORT_MAX_FILE_SIZE": 5 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 2000,
    "IMPORT_MAX_CELL_LENGTH": 50_000,
    "IMPORT_MAX_UNZIPPED_SIZE": 50 * 1024 * 1024,
    "IMPORT_MAX_COMPRESSION_RATIO": 100,
}


def limit(name):
    return int(getattr(settings, name, DEFAULTS[name]))


class ImportFileError(ValueError):
    """The file cannot be read as a table; the message says why."""


class ImportLimitExceeded(ImportFileError):
    """The file is over one of the limits; the message names it."""


def fit_row(index, row, width):
    """``row`` padded to the header's ``width``; trailing empty cells beyond
    it are dropped, a value beyond it is an error (it has no column)."""
    row = list(row)
    if len(row) > width:
        if any(value not in (None, "") for value in row[width:]):
            raise ImportFileError(
                _("Line %(line)d has more cells (%(cells)d) than the first line has column names (%(columns)d).")
                % {"line": index + 1, "cells": len(row), "columns": width}
            )
        row = row[:width]
    return row + [None] * (width - len(row))


def check_zip(data):
    """Refuse an XLSX whose unzipped size or compression ratio is over the
    limits, from the sizes the zip directory declares (Python's zipfile never
    inflates a member past its declared size)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return  # not a zip: the reader will say the file cannot be read
    unzipped = sum(m.file_size for m in members)
    zipped = sum(m.compress_size for m in members) or 1
    max_size = limit("IMPORT_MAX_UNZIPPED_SIZE")
    if unzipped > max_size:
        raise ImportLimitExceeded(
            _("Unzipped, this XLSX file would be %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(unzipped), "limit": filesizeformat(max_size)}
        )
    max_ratio = limit("IMPORT_MAX_COMPRESSION_RATIO")
    if unzipped > 1024 * 1024 and unzipped / zipped > max_ratio:
        raise ImportLimitExceeded(
            _(
                "This XLSX file unzips to %(ratio)d times its size (the limit is %(limit)d times): "
                "it is not an ordinary spreadsheet."
            )
            % {"ratio": unzipped // zipped, "limit": max_ratio}
        )


class RowLimiter:
    """Counts rows and measures cells as a file is read."""

    def __init__(self):
        self.max_rows = limit("IMPORT_MAX_ROWS")
        self.max_cell = limit("IMPORT_MAX_CELL_LENGTH")

    def check(self, index, row):
        """``index``: 0 for the header line."""
        if index > self.max_rows:
            raise ImportLimitExceeded(
                _("This file has more than %(limit)s rows, the most one import takes. Split it into smaller files.")
                % {"limit": number_format(self.max_rows, force_grouping=True)}
            )
        for column, value in enumerate(row, start=1):
            if value is not None and len(str(value)) > self.max_cell:
                raise ImportLimitExceeded(
                    _(
                        "Line %(line)d, column %(column)d holds %(length)s characters; a cell may hold "
                        "at most %(limit)s."
                    )
                    % {
                        "line": index + 1,
                        "column": column,
                        "length": number_format(len(str(value)), force_grouping=True),
                        "limit": number_format(self.max_cell, force_grouping=True),
                    }
                )


def detect_separator(text):
    """The separator of a CSV text, from its header line: the one of ``,``
    ``;`` and tab found most often (outside quotes); a comma when none is."""
    header = text.split("\n", 1)[0]
    counts = {}
    for sep in SEPARATORS:
        try:
            counts[sep] = len(next(csv.reader([header], delimiter=sep))) - 1
        except (csv.Error, StopIteration):
            counts[sep] = 0
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


class KBCSV(CSV):
    """CSV, any of the usual separators, read within the limits."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        in_stream = in_stream.lstrip("\ufeff")
        separator = detect_separator(in_stream)
        limiter = RowLimiter()
        dataset = tablib.Dataset()
        for index, row in enumerate(csv.reader(io.StringIO(in_stream, newline=""), delimiter=separator)):
            limiter.check(index, row)
            if index == 0:
                dataset.headers = row
            elif row:
                dataset.append([("" if v is None else v) for v in fit_row(index, row, dataset.width)])
        dataset.separator = separator
        return dataset


class KBXLSX(XLSX):
    """XLSX, its zip checked before it is opened, read within the limits."""

    def create_dataset(self, in_stream):
        import openpyxl

        check_zip(in_stream)
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        limiter = RowLimiter()
        dataset = tablib.Dataset()
        try:
            for index, row in enumerate(book.active.iter_rows(values_only=True)):
                limiter.check(index, row)
                if index == 0:
                    dataset.headers = list(row)
                else:
                    dataset.append(fit_row(index, row, dataset.width))
        finally:
            book.close()
        return dataset
