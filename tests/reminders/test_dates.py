import datetime

import pytest

from core.dates import birthday_ranges, local_today, next_birthday

D = datetime.date


@pytest.mark.parametrize(
    ("today", "days", "ranges"),
    [
        (D(2026, 5, 20), 7, [(520, 527)]),
        (D(2026, 5, 20), 0, [(520, 520)]),
        # The window crosses the year end: 28 Dec → 3 Jan.
        (D(2026, 12, 28), 6, [(1228, 1231), (101, 103)]),
        (D(2026, 12, 31), 7, [(1231, 1231), (101, 107)]),
        # Month ends: the range runs over monthday values no date has (132..200).
        (D(2026, 1, 28), 7, [(128, 204)]),
        # Common year: a window ending on 28 Feb also takes 29 Feb birthdays.
        (D(2026, 2, 21), 7, [(221, 229)]),
        (D(2026, 2, 28), 0, [(228, 229)]),
        # Leap year: 29 Feb is a day of its own.
        (D(2028, 2, 21), 7, [(221, 228)]),
        (D(2028, 2, 29), 0, [(229, 229)]),
        # Common year, 1 March onwards: the 29 Feb birthday was yesterday.
        (D(2026, 3, 1), 7, [(301, 308)]),
        (D(2026, 1, 1), 400, [(101, 1231)]),
    ],
)
def test_birthday_ranges(today, days, ranges):
    assert birthday_ranges(today, days) == ranges


@pytest.mark.parametrize(
    ("month", "day", "today", "expected"),
    [
        (5, 20, D(2026, 5, 20), D(2026, 5, 20)),
        (5, 20, D(2026, 5, 21), D(2027, 5, 20)),
        (1, 2, D(2026, 12, 28), D(2027, 1, 2)),
        (2, 29, D(2026, 2, 21), D(2026, 2, 28)),
        (2, 29, D(2028, 2, 21), D(2028, 2, 29)),
        (2, 29, D(2026, 3, 1), D(2027, 2, 28)),
        (2, 29, D(2027, 12, 30), D(2028, 2, 29)),
    ],
)
def test_next_birthday(month, day, today, expected):
    assert next_birthday(month, day, today) == expected


@pytest.mark.parametrize(
    ("utc", "shanghai_date"),
    [
        # 15:59 UTC is 23:59 in Shanghai: still the 31st.
        (datetime.datetime(2026, 12, 31, 15, 59, tzinfo=datetime.UTC), D(2026, 12, 31)),
        # 16:00 UTC is midnight in Shanghai: already the new year there.
        (datetime.datetime(2026, 12, 31, 16, 0, tzinfo=datetime.UTC), D(2027, 1, 1)),
    ],
)
def test_today_is_the_shanghai_date(utc, shanghai_date):
    assert local_today(utc) == shanghai_date


def test_a_negative_window_is_refused():
    with pytest.raises(ValueError):
        birthday_ranges(D(2026, 1, 1), -1)
