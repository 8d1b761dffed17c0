"""Dates as our users count them: local (Asia/Shanghai) days, weeks, months, birthdays.

Pure functions, free of the database, so each is tested as a table.

Birthday date logic:

Birthdays are stored as month and day, and as ``birth_monthday = month * 100 + day`` (an
indexed column). A window of days is turned into one or two monthday ranges, so the query is
an index range scan. Ranges may span impossible values such as 132..200: no row has them.
"""

import calendar
import datetime

from django.utils import timezone

FEB_28 = 228
FEB_29 = 229


def local_today(now=None):
    """Today's date in the site's time zone (Asia/Shanghai), not the server's UTC date."""
    return timezone.localdate(now) if now is not None else timezone.localdate()


def local_midnight(day):
    """The first instant of ``day`` in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def week_start(day):
    """The Monday of ``day``'s week (weeks run Monday to Sunday, as in China)."""
    return day - datetime.timedelta(days=day.weekday())


def month_bounds(day):
    """The first and last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def parse_day(value, default=None):
    """A date from a query-string value, or ``default`` when it is missing or malformed."""
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def monthday(date):
    return date.month * 100 + date.day


def birthday_ranges(today, days):
    """Inclusive monthday ranges for birthdays falling on ``today`` .. ``today + days``.

    Someone born on 29 February celebrates on 28 February in a common year, so when a
    range of a common year ends on 28 February it is stretched to include 229.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if days >= 365:
        return [(101, 1231)]
    end = today + datetime.timedelta(days=days)
    if end.year == today.year:
        pieces = [(today, end)]
    else:
        pieces = [(today, datetime.date(today.year, 12, 31)), (datetime.date(end.year, 1, 1), end)]
    ranges = []
    for first, last in pieces:
        upper = monthday(last)
        if upper == FEB_28 and not calendar.isleap(last.year):
            upper = FEB_29
        ranges.append((monthday(first), upper))
    return ranges


def next_birthday(month, day, today):
    """The date of the next birthday on or after ``today`` (29 Feb → 28 Feb in common years)."""
    for year in (today.year, today.year + 1):
        if month == 2 and day == 29 and not calendar.isleap(year):
            candidate = datetime.date(year, 2, 28)
        else:
            candidate = datetime.date(year, month, day)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: a birthday recurs within a year")
