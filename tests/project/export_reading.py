"""Reading a download back as rows, for the export tests of every app."""

import csv
import io

from openpyxl import load_workbook


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def read_rows(response):
    """[[header...], [cells...], ...] of a CSV or xlsx download, cells as text."""
    assert response.status_code == 200, response.status_code
    body = _body(response)
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    sheet = workbook.worksheets[0]
    return [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]


def column(rows, header):
    """The values under one header, without the header."""
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]
