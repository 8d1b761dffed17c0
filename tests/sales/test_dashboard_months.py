"""The supervisor dashboard's chart of the team's months: premium and 达成率 per month."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sales.selectors import _months_before, month_windows
from tests.branches.factories import BranchFactory
from tests.grading.factories import AccountManagerFactory
from tests.sales.test_results import sale, target

URL = reverse("desk:dashboard")


def _month(back):
    first = _months_before(timezone.localdate().replace(day=1), back)
    last = _months_before(first, -1) - datetime.timedelta(days=1)
    return first, last


def test_month_windows_are_the_last_twelve_calendar_months():
    windows = month_windows(datetime.date(2026, 3, 15))
    assert [w.start for w in windows][:2] == [datetime.date(2025, 4, 1), datetime.date(2025, 5, 1)]
    assert windows[-1].start == datetime.date(2026, 3, 1)
    assert windows[-1].end == datetime.date(2026, 3, 31)
    assert len({w.kind for w in windows}) == 12


@pytest.fixture
def team(manager, supervisor):
    colleague = AccountManagerFactory(supervisor=supervisor)
    mine, theirs = BranchFactory(manager=manager), BranchFactory(manager=colleague)
    this_month, three_ago = _month(0), _month(3)
    target(mine, *this_month, "100000")
    target(theirs, *this_month, "100000")
    target(mine, *three_ago, "50000")
    sale(mine, this_month[0], "40000")
    sale(theirs, this_month[0], "20000")
    sale(mine, three_ago[0], "50000")
    return colleague


def _rows(page):
    import re

    found = re.findall(
        r'data-month="(\d{4}-\d\d)">.*?class="text-end premium">([\d,]+)</td>.*?'
        r'class="text-end rate">([^<]+)</td>',
        page,
    )
    return {month: (premium, rate) for month, premium, rate in found}


def test_the_chart_shows_the_teams_months_with_their_achievement(client, supervisor, manager, team):
    client.force_login(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(URL).text

    assert 'id="months"' in page and page.count('class="bar month-bar"') == 12
    rows = _rows(page)
    assert len(rows) == 12
    assert rows[f"{_month(0)[0]:%Y-%m}"] == ("60,000", "30.0%")  # 60,000 of 200,000
    assert rows[f"{_month(3)[0]:%Y-%m}"] == ("50,000", "100.0%")
    assert rows[f"{_month(1)[0]:%Y-%m}"] == ("0", "no target")


def test_the_chart_shows_one_managers_months_when_chosen(client, supervisor, manager, team):
    client.force_login(supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(URL, {"chart": team.pk}).text
    assert _rows(page)[f"{_month(0)[0]:%Y-%m}"] == ("20,000", "20.0%")
    # Someone outside the team is not chosen: the team's months show.
    page = client.get(URL, {"chart": "999999"}).text
    assert _rows(page)[f"{_month(0)[0]:%Y-%m}"] == ("60,000", "30.0%")


def test_the_chart_adds_no_query(client, supervisor, manager, team, django_assert_max_num_queries):
    client.force_login(supervisor)
    # 3: the dashboard's pinned count, the chart included (tests/project/test_home_dashboard.py).
    with django_assert_max_num_queries(3):
        assert client.get(URL, {"chart": manager.pk}).status_code == 200
