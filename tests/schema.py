"""The migrated test database kept as an SQL dump (tests/schema.sql), loaded instead of migrating.

Building the test database by running every migration costs each pytest worker about 20 s of
CPU (Django renders the model states of ~100 migrations, most of it the related models it
re-renders at each step), a sixth of `make test` on two cores, before a single test runs.
Like Rails' schema file, the dump of a freshly migrated SQLite test database (schema, the
rows the data migrations ship: roles, permissions, levels, checklist items, case kinds…, and
the django_migrations table) is kept in the repository and loaded in milliseconds.

The dump names the hash of every installed app's migration files it was built from. When they
change (a new migration, a Django upgrade), the workers migrate as before, so a stale dump is
never used, and tests/project/test_schema_dump.py fails until `make test-schema` writes a new
one. .ci/run writes the dump again from the migrations and fails if it differs from the
committed one, and its PostgreSQL suite always migrates, so the migrations stay tested.
BRANCHDESK_TEST_MIGRATE=1 makes a run migrate anyway.
"""

import hashlib
import importlib.util
import os
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

DUMP = Path(__file__).with_name("schema.sql")
HEADER = "-- migrations "


def migrations_hash():
    """A hash of the name and text of every migration file of every installed app."""
    from django.apps import apps

    digest = hashlib.sha256()
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        spec = importlib.util.find_spec(f"{config.module.__name__}.migrations")
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(next(iter(spec.submodule_search_locations)))
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}\n".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def dump_hash():
    """The migrations hash the committed dump was built from (None without a dump)."""
    if not DUMP.exists():
        return None
    with DUMP.open(encoding="utf-8") as dump:
        first = dump.readline()
    return first[len(HEADER) :].strip() if first.startswith(HEADER) else None


def usable(connection):
    """Whether this test database may be loaded from the dump instead of migrated."""
    return (
        connection.vendor == "sqlite"
        and not os.environ.get("BRANCHDESK_TEST_MIGRATE")
        and dump_hash() == migrations_hash()
    )


@contextmanager
def loaded_instead_of_migrating(connection):
    """While this lasts, creating ``connection``'s test database (Django's setup_databases, as
    pytest-django calls it) loads the dump where Django would run ``migrate``; every other
    ``migrate`` (a test migrating on purpose) runs as usual."""
    from django.core import management
    from django.test import utils

    if not usable(connection):
        yield
        return
    real_setup_databases = utils.setup_databases
    real_call_command = management.call_command

    def call_command(name, *args, **options):
        if name == "migrate" and options.get("database", connection.alias) == connection.alias:
            connection.ensure_connection()
            # The dump creates tables by name, so a row may come before the table its foreign
            # key names: the checks are off while it loads (it was dumped consistent).
            connection.connection.execute("PRAGMA foreign_keys = OFF")
            connection.connection.executescript(DUMP.read_text(encoding="utf-8"))
            connection.connection.execute("PRAGMA foreign_keys = ON")
            return None
        return real_call_command(name, *args, **options)

    def setup_databases(*args, **kwargs):
        with mock.patch.object(management, "call_command", call_command):
            return real_setup_databases(*args, **kwargs)

    with mock.patch.object(utils, "setup_databases", setup_databases):
        yield


def write():
    """Migrate a fresh in-memory test database and write its dump (``make test-schema``)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    os.environ["BRANCHDESK_TEST_MIGRATE"] = "1"
    state = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        # When each migration ran is the only thing that differs between two runs: fixed, so
        # the same migrations always write the same dump (.ci/run compares them).
        with connection.cursor() as cursor:
            cursor.execute("UPDATE django_migrations SET applied = '2000-01-01 00:00:00'")
        lines = [f"{HEADER}{migrations_hash()}"]
        lines.append("-- Written by `make test-schema` (tests/schema.py); do not edit.")
        lines.extend(connection.connection.iterdump())
    finally:
        teardown_databases(state, verbosity=0)
    DUMP.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return DUMP


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    print(f"wrote {write()}")
