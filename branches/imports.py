"""Spreadsheet imports run as background jobs: reading the file safely, running the resource.

Reading refuses what would hurt the server before any row is parsed: a file over
IMPORT_MAX_BYTES, an xlsx whose parts unpack to more than IMPORT_MAX_UNPACKED_BYTES (a "zip
bomb": 1 MB that unpacks to 250 MB), a CSV that is neither UTF-8 (with or without the BOM
Excel writes) nor GB18030 (which covers GBK, what Chinese Excel saves as "CSV"). Every refusal
is a ValidationError with a message in the user's language; nothing is saved.

Running imports all or nothing, as the admin always did: one transaction, and any bad row
rolls the whole file back. Progress is written every few hundred rows through the
"progress" database connection when there is one (PostgreSQL: a second connection, outside
the import's transaction, so the browser sees it move); on SQLite it goes through the
import's own connection and shows at the end.
"""

import io
import logging
import zipfile

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.resources import Resource

from branches.models import ImportJob

logger = logging.getLogger("branchdesk.imports")

FORMATS = {"csv": base_formats.CSV, "xlsx": base_formats.XLSX}
MAX_REPORTED_ROWS = 1000
_MB = 1024 * 1024


def progress_alias():
    return "progress" if "progress" in connections.databases else DEFAULT_DB_ALIAS


def check_size(size):
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB. Split it in parts.")
            % {"size": _megabytes(size), "limit": _megabytes(limit)}
        )


def check_xlsx(data):
    """Refuse a file that is not an xlsx workbook or whose parts unpack to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # ZipFile never returns more than an entry's declared size, so the sum of the
            # declared sizes bounds what reading the workbook can unpack.
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(
            _("This is not an Excel workbook (.xlsx). Save it as .xlsx or as CSV and try again.")
        ) from None
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise ValidationError(
            _(
                "This workbook unpacks to %(size)s MB, more than the %(limit)s MB allowed. "
                "Remove unused sheets, pictures and formatting, or save it as CSV."
            )
            % {"size": _megabytes(unpacked), "limit": _megabytes(limit)}
        )


def decode_csv(data):
    """The text of a CSV file: UTF-8 with or without a BOM, else GB18030 (GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _(
            "The file's characters could not be read. In Excel choose “Save as” and the type "
            "“CSV UTF-8 (comma delimited)”, then import that file."
        )
    )


def check_file(data, file_format):
    """The checks the upload view makes before queuing (cheap: no row is parsed)."""
    if file_format not in FORMATS:
        raise ValidationError(_("Import a CSV or an Excel (.xlsx) file."))
    check_size(len(data))
    if file_format == "xlsx":
        check_xlsx(data)
    else:
        decode_csv(data)


def read_dataset(data, file_format):
    check_file(data, file_format)
    fmt = FORMATS[file_format]()
    try:
        if file_format == "csv":
            return fmt.create_dataset(decode_csv(data))
        return fmt.create_dataset(data)
    except Exception:
        logger.warning("import file unreadable", exc_info=True)
        raise ValidationError(
            _("The file could not be read as %(format)s. Check that it is not damaged.")
            % {"format": file_format.upper()}
        ) from None


def resource_class(path):
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, Resource)):
        raise ValueError(f"not an import resource: {path}")
    return cls


def run(job, *, on_progress=None):
    """Import the job's file for its user, all or nothing, recording progress and the report."""
    with translation.override(job.language):
        try:
            _run(job, on_progress)
        except ValidationError as error:
            _finish(job, ImportJob.Status.FAILED, message=" ".join(error.messages))
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            logger.exception("import job %s failed", job.pk)
            _finish(
                job,
                ImportJob.Status.FAILED,
                message=_("The import stopped on an unexpected error; nothing was saved."),
            )
    return job


def _run(job, on_progress):
    from branches.services import import_summary

    dataset = read_dataset(bytes(job.data), job.file_format)
    if not len(dataset):
        raise ValidationError(_("The file has no rows to import."))
    job.total = len(dataset)
    ImportJob.objects.filter(pk=job.pk).update(total=job.total, progress=0)
    resource = resource_class(job.resource)(user=job.created_by)
    step = max(100, job.total // 100)

    def progress(done):
        if done % step and done != job.total:
            return
        job.progress = done
        ImportJob.objects.using(progress_alias()).filter(pk=job.pk).update(progress=done)
        if on_progress is not None:
            on_progress(done, job.total)

    resource.on_progress = progress
    result = resource.import_data(
        dataset,
        dry_run=job.dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=job.created_by,
    )
    summary = import_summary(result)
    if job.dry_run:
        summary["saved"] = False
    errors = _report(result)
    status = ImportJob.Status.DONE
    message = ""
    if errors or result.has_errors():
        status = ImportJob.Status.FAILED
        message = _("Nothing was saved: correct the rows below and import the file again.")
    job.progress = job.total
    _finish(job, status, summary=summary, errors=errors, message=message)


def _report(result):
    """The bad rows as [{"row": n, "messages": [...]}], messages only: never a traceback."""
    rows = []
    for error in result.base_errors:
        logger.error("import failed before the rows: %s\n%s", error.error, error.traceback)
        rows.append(
            {
                "row": None,
                "messages": [
                    _("The file does not fit this import: %(error)s") % {"error": error.error}
                ],
            }
        )
    for invalid in result.invalid_rows:
        messages = []
        for field, field_messages in invalid.error_dict.items():
            for text in field_messages:
                messages.append(text if field == NON_FIELD_ERRORS else f"{field}: {text}")
        rows.append({"row": invalid.number, "messages": messages})
    for number, errors in result.row_errors():
        for error in errors:
            logger.warning("import row %s failed: %s\n%s", number, error.error, error.traceback)
        rows.append(
            {
                "row": number,
                "messages": [
                    _("This row could not be saved: %(error)s") % {"error": str(e.error)[:200]}
                    for e in errors
                ],
            }
        )
    rows.sort(key=lambda item: item["row"] or 0)
    return rows[:MAX_REPORTED_ROWS]


def _finish(job, status, *, summary=None, errors=None, message=""):
    job.status = status
    job.summary = summary or {}
    job.errors = errors or []
    job.message = message
    job.finished_at = timezone.now()
    job.data = b""
    if status == ImportJob.Status.FAILED and not job.total:
        job.progress = 0
    job.save(
        update_fields=[
            "status",
            "summary",
            "errors",
            "message",
            "finished_at",
            "data",
            "progress",
        ]
    )


def finish_failed(job, message):
    _finish(job, ImportJob.Status.FAILED, message=message)


def _megabytes(size):
    return f"{size / _MB:.1f}".rstrip("0").rstrip(".")
