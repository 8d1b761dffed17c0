"""SQL for local days and weeks that costs no time-zone conversion per row.

Counting a province's visits per local week with ``TruncWeek``/``TruncDate`` converts every
visit's time to Asia/Shanghai, and the unit pages' membership join did it twice more per
row (issue 22: 85 ms of the province page's 115 at scale 1). The expressions here move the
conversion to the few constant or per-membership values instead:

- :class:`WeekNumber` numbers the weeks a datetime falls in by comparing it with the weeks'
  first instants (``width_bucket`` on PostgreSQL, a CASE elsewhere), :class:`DayWeekNumber`
  those of a date column with the weeks' first days;
- :class:`LocalMidnight` turns a date column into the first instant of that local day, so
  "its local date is on or after ``started``" becomes ``visited_at >= LocalMidnight(started)``
  (PostgreSQL only: SQLite has no time-zone arithmetic in SQL; callers keep ``TruncDate``).
"""

import datetime

from django.db.models import DateField, DateTimeField, Func, IntegerField, Value
from django.utils import timezone

from core.dates import local_midnight


def week_starts(first_monday, weeks):
    """The first instant of each of ``weeks`` local weeks from ``first_monday``, and of the
    week after them (``weeks + 1`` instants)."""
    return [local_midnight(first_monday + datetime.timedelta(weeks=n)) for n in range(weeks + 1)]


class WeekNumber(Func):
    """Which of ``weeks`` local weeks from ``first_monday`` a datetime falls in: 1 for the
    first, ``weeks`` for the last; 0 before them, ``weeks + 1`` after them."""

    output_field = IntegerField()
    bound_field, bound_type = DateTimeField, "timestamptz"

    def __init__(self, expression, *, first_monday, weeks):
        self.starts = self.week_starts(first_monday, weeks)
        super().__init__(expression)

    @staticmethod
    def week_starts(first_monday, weeks):
        return week_starts(first_monday, weeks)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        bounds = ", ".join(["%s"] * len(self.starts))
        return (
            f"width_bucket({sql}, ARRAY[{bounds}]::{self.bound_type}[])",
            (*params, *self.starts),
        )

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        cases, case_params = [], []
        for number, start in enumerate(self.starts):
            bound, bound_params = compiler.compile(Value(start, output_field=self.bound_field()))
            cases.append(f"WHEN {sql} < {bound} THEN {number}")
            case_params += [*params, *bound_params]
        return f"CASE {' '.join(cases)} ELSE {len(self.starts)} END", tuple(case_params)


class DayWeekNumber(WeekNumber):
    """:class:`WeekNumber`'s numbers for a date column (a local day already): its week's
    first day compared with dates, no time zone involved."""

    bound_field, bound_type = DateField, "date"

    @staticmethod
    def week_starts(first_monday, weeks):
        return [first_monday + datetime.timedelta(weeks=n) for n in range(weeks + 1)]


class LocalMidnight(Func):
    """The first instant, in the current time zone, of the day in a date column."""

    output_field = DateTimeField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::timestamp AT TIME ZONE %s)", (
            *params,
            timezone.get_current_timezone_name(),
        )

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError("LocalMidnight is written for PostgreSQL only")
