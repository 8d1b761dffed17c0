"""Excel (xlsx) and CSV downloads of a page's rows, streamed so a big export never sits in memory.

A view builds the same queryset the page shows (its filters, the user's scope) and hands it
here with its columns. CSV streams row by row; xlsx is written by openpyxl in write-only mode
to a temporary file that the response streams and then closes (which deletes it).
"""

import csv
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone

from core.replica import bound

FORMATS = ("csv", "xlsx")
CHUNK = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable


def check_format(fmt):
    if fmt not in FORMATS:
        raise Http404
    return fmt


def _cell(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        # Excel has no time zones: show the local (Asia/Shanghai) wall time.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, Decimal) and value.is_finite():
        # A number cell (openpyxl writes Decimal as a number), not text: sums work.
        return value
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    # A cell starting like a formula would run in the spreadsheet: keep it as text.
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _rows(columns, rows):
    for row in rows:
        yield [_cell(column.value(row)) for column in columns]


def _iterate(rows):
    return rows.iterator(chunk_size=CHUNK) if hasattr(rows, "iterator") else iter(rows)


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to stream through."""

    def write(self, value):
        return value


def csv_response(filename, columns, rows):
    writer = csv.writer(_Echo())
    # The lines are produced after the view returned: keep the database the view read from.
    rows = bound(rows)

    def lines():
        # A byte-order mark so Excel opens the UTF-8 Chinese text correctly.
        yield "\ufeff" + writer.writerow([str(column.header) for column in columns])
        for values in _rows(columns, _iterate(rows)):
            yield writer.writerow(
                [v.strftime("%Y-%m-%d %H:%M") if hasattr(v, "strftime") else v for v in values]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename, columns, rows, sheet_title):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(sheet_title)[:31])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for values in _rows(columns, _iterate(rows)):
        sheet.append(values)
    # FileResponse closes the file once sent, and a TemporaryFile vanishes when closed.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export(fmt, *, filename, title, columns, rows):
    """The download in the asked format (``csv`` or ``xlsx``; anything else is a 404)."""
    check_format(fmt)
    stamped = f"{filename}-{timezone.localdate():%Y%m%d}"
    if fmt == "csv":
        return csv_response(stamped, columns, rows)
    return xlsx_response(stamped, columns, rows, title)


def export_urls(prefix, view, name):
    """``<prefix>export.csv`` and ``.xlsx``, named ``<name>_csv`` and ``<name>_xlsx``."""
    from django.urls import path

    return [
        path(f"{prefix}export.{fmt}", view, {"fmt": fmt}, name=f"{name}_{fmt}") for fmt in FORMATS
    ]
