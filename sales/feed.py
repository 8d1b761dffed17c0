"""Reading a feed file into rows: CSV (UTF-8 or GBK/GB18030, BOM or not) or xlsx.

Only reading and parsing cells live here; what a row means is decided in ``sales.services``.
"""

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.lists import join_list

# The feed's columns: the English key, and the Chinese header the core system may use instead.
COLUMNS = {
    "policy_number": "保单号",
    "product_code": "险种代码",
    "bank": "银行",
    "branch_code": "网点代码",
    "manager": "客户经理工号",
    "staff": "网点人员",
    "applicant_name": "投保人",
    "applicant_id_number": "投保人证件号",
    "applicant_phone": "投保人电话",
    "premium": "保费",
    "payment_years": "缴费年期",
    "signed_on": "签单日期",
    "effective_on": "生效日期",
    "received_on": "回执日期",
    "status": "保单状态",
    "status_changed_on": "状态变更日期",
    "application_serial": "投保单号",
}
REQUIRED = (
    "policy_number",
    "product_code",
    "bank",
    "branch_code",
    "applicant_name",
    "premium",
    "signed_on",
)
_ALIASES = {chinese: key for key, chinese in COLUMNS.items()} | {key: key for key in COLUMNS}

XLSX_MAGIC = b"PK\x03\x04"


class FeedFormatError(Exception):
    """The file as a whole cannot be read (not CSV/xlsx, missing columns)."""


def _header_keys(header):
    keys = [_ALIASES.get(str(cell or "").strip().lstrip("\ufeff")) for cell in header]
    missing = [column for column in REQUIRED if column not in keys]
    if missing:
        raise FeedFormatError(
            _("The file lacks the columns: %(columns)s.") % {"columns": join_list(missing)}
        )
    return keys


def _decode(data):
    # UTF-8 first (a BOM is dropped); anything else from a Chinese core system is GBK, read
    # as GB18030, its superset.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise FeedFormatError(_("The file is neither UTF-8 nor GBK text.")) from None


def _csv_rows(data):
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    header = next(reader, None)
    if header is None:
        raise FeedFormatError(_("The file is empty."))
    keys = _header_keys(header)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            yield reader.line_num, None
            continue
        yield (
            reader.line_num,
            {key: cell.strip() for key, cell in zip(keys, cells, strict=False) if key},
        )


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise FeedFormatError(_("The Excel file cannot be read.")) from error
    try:
        rows = workbook.active.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise FeedFormatError(_("The file is empty."))
        keys = _header_keys(header)
        for line, cells in enumerate(rows, start=2):
            if not any(cell not in (None, "") for cell in cells):
                yield line, None
                continue
            yield line, {key: _cell(cell) for key, cell in zip(keys, cells, strict=False) if key}
    finally:
        workbook.close()


def _cell(value):
    return value if isinstance(value, datetime.date) else text(value)


def read_rows(data):
    """(line number, {column: cell}) for each data row; None for a blank row.

    Cells are stripped text, except the dates an Excel sheet holds as dates.
    """
    if data.startswith(XLSX_MAGIC):
        return _xlsx_rows(data)
    return _csv_rows(data)


def text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel turns codes like 0001234 into numbers
    return str(value).strip()


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")


def parse_date(value):
    """A date from a cell, or None for an empty cell; ValueError when it is not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raw = text(value)
    if len(raw) == 10 and raw[4] == "-":
        try:
            return datetime.date.fromisoformat(raw)  # the usual case, and ten times faster
        except ValueError:
            raise ValueError(raw) from None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(raw)


def parse_decimal(value):
    raw = text(value).replace(",", "")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not number.is_finite():
        raise ValueError(raw)
    return number.quantize(Decimal("0.01"))
