"""The test database dump (tests/schema.sql) is built from today's migrations.

`make test` loads the migrated SQLite database from the dump instead of running every
migration in each worker (tests/schema.py). A dump older than the migrations is never loaded
(the workers migrate instead, slowly); this test says so and how to write a new one.
"""

from tests.schema import dump_hash, migrations_hash


def test_the_dump_was_written_from_todays_migrations():
    assert dump_hash() == migrations_hash(), (
        "a migration changed since tests/schema.sql was written: run `make test-schema` "
        "and commit tests/schema.sql"
    )
