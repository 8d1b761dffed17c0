"""Migration operations shared by the apps' migrations."""

from django.db import migrations


def include_on_postgresql(*, table: str, index: str, columns: tuple, include: tuple):
    """A RunPython that makes the model's Index ``index`` on ``columns`` also carry
    ``include`` on PostgreSQL (INCLUDE), so reads of those columns come from the index alone.

    Rule: the index keeps the model Index's name and key, so Django's state and a later
    RemoveIndex still match it; reversed, it is the plain index again. SQLite has no such
    indexes (and Django warns of an Index(include=...) there): nothing happens there.
    """

    def quoted(names):
        return ", ".join(f'"{name}"' for name in names)

    def recreate(schema_editor, carried):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX "{index}"')
            schema_editor.execute(
                f'CREATE INDEX "{index}" ON "{table}" ({quoted(columns)})'
                + (f" INCLUDE ({quoted(carried)})" if carried else "")
            )

    return migrations.RunPython(
        lambda apps, schema_editor: recreate(schema_editor, include),
        lambda apps, schema_editor: recreate(schema_editor, ()),
    )
