"""The demo data (`manage.py seed_demo`), built once for all the tests in this package.

Seeding takes seconds, so it runs once, inside a transaction opened before this package's
first test and rolled back after its last: no test elsewhere ever sees the demo rows. Each
test here runs in its own savepoint inside that transaction (pytest-django's ``db``), so a
test that writes (logging in, seeding again) leaves nothing behind for the next one.

Every module here sets ``pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]``:
the tests need the database, and under pytest-xdist (``--dist loadgroup``) they all go to one
worker, which builds the demo once.
Only non-transactional tests belong here: a ``transaction=True`` test would flush the
database, demo and all.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """What seed_demo printed; the demo rows are in the database for every test here."""
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)
