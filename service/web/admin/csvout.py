"""CSV downloads, streamed row by row so a 20,000-household export never sits in memory."""

import csv
import io

from flask import Response, stream_with_context

from service.web.locale import gettext

FORMULA_STARTS = ("=", "@", "\t", "\r")
NUMBER_LIKE = frozenset("0123456789 .*")  # phone numbers, masked ones (+62812****7890), amounts


def safe_cell(value):
    """Text a spreadsheet will not run as a formula; phone numbers like +62... stay as they are."""
    if value is None:
        return ""
    text = str(value)
    risky = text.startswith(FORMULA_STARTS) or (
        text[:1] in ("+", "-") and not set(text[1:]) <= NUMBER_LIKE
    )
    return "'" + text if risky else text


def _lines(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(cell) for cell in row])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename, header, rows):
    """A streamed text/csv attachment, headers in the officer's language; `rows` any sequences."""
    header = [gettext(name) for name in header]
    return Response(
        stream_with_context(_lines(header, rows)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
