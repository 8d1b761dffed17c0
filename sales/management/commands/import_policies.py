import sys

from django.core.management.base import BaseCommand, CommandError

from sales.feed import FeedFormatError
from sales.services import FeedError, import_policies


class Command(BaseCommand):
    help = "Import a policy feed file (CSV in UTF-8 or GBK, or xlsx): all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        counts = {"read": 0, "saved": 0}

        def progress(stage, count):
            counts[stage] = count if stage == "read" else counts[stage] + count
            sys.stderr.write(f"\r{counts['read']} rows read, {counts['saved']} policies saved")
            sys.stderr.flush()

        try:
            result = import_policies(source=file, progress=progress)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except FeedError as error:
            sys.stderr.write("\n")
            raise CommandError(f"Nothing imported.\n{error.report()}") from None
        except FeedFormatError as error:
            raise CommandError(f"Nothing imported. {error}") from None
        sys.stderr.write("\n")
        self.stdout.write(
            f"{result.rows} rows: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
