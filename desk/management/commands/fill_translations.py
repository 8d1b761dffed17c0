"""Fill a catalogue's translations from a JSON table {msgid: msgstr}.

Developer tool: `python manage.py fill_translations branches/locale/zh_Hans/LC_MESSAGES/django.po
table.json` after `make messages APP=branches`. Prints the msgids still untranslated.
"""

import json

from babel.messages.pofile import read_po, write_po
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Fill msgstr entries of a .po file from a JSON object of msgid -> msgstr."

    def add_arguments(self, parser):
        parser.add_argument("po")
        parser.add_argument("table")

    def handle(self, po, table, **options):
        with open(po, "rb") as handle:
            catalog = read_po(handle)
        with open(table, encoding="utf-8") as handle:
            translations = json.load(handle)
        missing = []
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in translations:
                value = translations[key]
                message.string = tuple(value) if isinstance(value, list) else value
                message.flags.discard("fuzzy")
            elif not message.string or "fuzzy" in message.flags:
                missing.append(key)
        with open(po, "wb") as handle:
            write_po(handle, catalog, width=100)
        self.stdout.write(json.dumps({"untranslated": missing}, ensure_ascii=False, indent=1))
