"""Downloads a spreadsheet opens safely: CSV (UTF-8 with BOM, formulas
neutralised, streamed) and JSON."""

import csv
import io
import json

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def json_download(name, keys, rows):
    """``name.json``: a list of objects, one per row (``keys`` name the values)."""
    data = [dict(zip(keys, row, strict=True)) for row in rows]
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


def csv_download(name, labels, rows):
    """``name.csv``, streamed: a header row of ``labels``, then the rows."""

    def stream():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # BOM: spreadsheets then read UTF-8 correctly
        writer.writerow(labels)
        for i, row in enumerate(rows):
            writer.writerow([csv_safe(v) for v in row])
            if i % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
