"""``__in`` on integer columns with ids no column can hold.

Django 5.2 already turns ``pk=<too large>`` into "no match", but not ``pk__in=[...]``: the
value reaches the database, which fails (SQLite: OverflowError; PostgreSQL: bigint out of
range). Every ModelMultipleChoiceField checks the posted ids with ``pk__in``, so a crafted
id such as 9223372036854775808 in a visit's "staff met" turned a form error into a 500.
Such an id can never match a row, so it is simply left out of the list.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class InWithinRange(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [value for value in self.rhs if _fits(value, low, high)]
        return super().process_rhs(compiler, connection)


def _fits(value, low, high):
    if not isinstance(value, int):
        return True
    return (low is None or value >= low) and (high is None or value <= high)


def register():
    IntegerField.register_lookup(InWithinRange)
