"""SQL functions Django does not ship."""

from django.db.models import Func, IntegerField


class JSONArrayLength(Func):
    """The number of items in a JSON array column, counted in the database: a list shows
    how many records a row holds without reading the records themselves."""

    output_field = IntegerField()
    function = "json_array_length"  # SQLite's (JSON1)

    def as_postgresql(self, compiler, connection, **extra_context):
        # JSONField is jsonb on PostgreSQL.
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra_context)
