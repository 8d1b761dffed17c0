"""On PostgreSQL the day index of VisitDay also carries the manager and the count, so the unit
pages' reads of a period's days come from the index alone (EXPLAIN on the scale-1 database: the
twelve weeks 5.0 -> 4.5 ms, this week 0.5-0.9 -> 0.25 ms). Same name and key as the model's
Index, so Django's state and a later RemoveIndex still match it. SQLite has no such indexes
(and Django warns of an Index(include=...) there): nothing to do. Its own migration: 0015's
indexes are created at the end of that migration, after its RunPython steps."""

from django.db import migrations


def cover(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX "visitday_day"')
        schema_editor.execute(
            'CREATE INDEX "visitday_day" ON "branches_visitday" ("day") '
            'INCLUDE ("manager_id", "visits")'
        )


def uncover(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX "visitday_day"')
        schema_editor.execute('CREATE INDEX "visitday_day" ON "branches_visitday" ("day")')


class Migration(migrations.Migration):
    dependencies = [("branches", "0015_visit_days")]

    operations = [migrations.RunPython(cover, uncover)]
