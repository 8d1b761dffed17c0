"""Room on each page of documents_branchstock for a row's next version (PostgreSQL only).

The nightly usage refresh rewrites every branch item (175,000 at scale 5). With pages
packed full, each new row version lands on another page and all five indexes get a new
entry; with a fifth of each page free, PostgreSQL updates in place (a HOT update: the
usage columns are in no index). Scale 5: about 3 s -> under 2 s (bench/RESULTS.md).
Existing pages take the setting as they are rewritten.
"""

from django.db import migrations


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE documents_branchstock SET (fillfactor = 80)")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE documents_branchstock RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("documents", "0007_stored_usage_30d")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False)]
