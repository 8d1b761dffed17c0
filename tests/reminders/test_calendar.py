"""The calendar feed: a valid iCalendar, only my scope, reachable by token alone, rotatable."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from reminders import services
from tests.branches.factories import BranchFactory, VisitFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db


def _feed_url(user):
    return reverse("reminders:calendar_feed", args=[services.calendar_feed_for(user=user).token])


def _events(client, user):
    response = client.get(_feed_url(user))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def mine(manager, other_manager):
    branch = BranchFactory(manager=manager, name="人民路支行")
    staff = BranchStaffFactory(branch=branch, name="李主任", birth_month=3, birth_day=14)
    leap = BranchStaffFactory(branch=branch, name="闰日", birth_month=2, birth_day=29)
    BranchStaffFactory(branch=branch, name="没生日", birth_month=None, birth_day=None)
    planned = timezone.localdate() + datetime.timedelta(days=3)
    VisitFactory(branch=branch, next_visit_on=planned)
    theirs = BranchFactory(manager=other_manager, name="别人的支行")
    BranchStaffFactory(branch=theirs, name="别人的员工")
    VisitFactory(branch=theirs, next_visit_on=planned)
    return {"branch": branch, "staff": staff, "leap": leap, "planned": planned}


def test_the_feed_lists_my_birthdays_and_planned_visits(client, manager, mine):
    events = _events(client, manager.user)  # no login: the token is enough
    birthday = events[f"birthday-{mine['staff'].pk}@branchdesk"]
    assert "李主任" in str(birthday["summary"])
    assert birthday["rrule"]["FREQ"] == ["YEARLY"]
    assert birthday.decoded("dtstart") == datetime.date(2000, 3, 14)
    leap = events[f"birthday-{mine['leap'].pk}@branchdesk"]
    assert leap["rrule"]["BYMONTHDAY"] == [-1]
    visit = events[f"visit-{mine['branch'].pk}-{mine['planned'].isoformat()}@branchdesk"]
    assert visit.decoded("dtstart") == mine["planned"]
    assert "人民路支行" in str(visit["summary"])
    assert len(events) == 3  # nobody without a birthday, nothing of the other manager's


def test_the_feed_shows_nothing_outside_my_scope(client, other_manager, mine):
    summaries = [str(event["summary"]) for event in _events(client, other_manager.user).values()]
    assert any("别人的员工" in summary for summary in summaries)
    assert not any("人民路支行" in summary or "李主任" in summary for summary in summaries)


def test_a_supervisor_gets_the_teams(client, supervisor, mine):
    summaries = " ".join(str(e["summary"]) for e in _events(client, supervisor).values())
    assert "李主任" in summaries and "别人的员工" not in summaries


def test_a_new_token_kills_the_old_address(client, manager, mine):
    old = _feed_url(manager.user)
    services.rotate_calendar_token(user=manager.user)
    assert client.get(old).status_code == 404
    assert client.get(_feed_url(manager.user)).status_code == 200


@pytest.mark.parametrize("token", ["nope", "x" * 64, "x" * 300])
def test_a_bad_token_is_404(client, token, mine):
    assert client.get(reverse("reminders:calendar_feed", args=[token])).status_code == 404


def test_an_inactive_users_feed_is_404(client, manager, mine):
    url = _feed_url(manager.user)
    manager.user.is_active = False
    manager.user.save()
    assert client.get(url).status_code == 404


def test_my_calendar_page_shows_my_address_and_rotates_it(manager_client, manager):
    page = manager_client.get(reverse("reminders:calendar")).text
    token = services.calendar_feed_for(user=manager.user).token
    assert token in page
    response = manager_client.post(reverse("reminders:calendar_rotate"))
    assert response.status_code == 302
    assert services.calendar_feed_for(user=manager.user).token != token
    assert token not in manager_client.get(reverse("reminders:calendar")).text


def test_the_calendar_page_needs_a_manager_or_supervisor(client, db):
    from tests.grading.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("reminders:calendar")).status_code == 404


def test_rotating_needs_post(manager_client):
    assert manager_client.get(reverse("reminders:calendar_rotate")).status_code == 405


def test_the_feed_runs_a_constant_number_of_queries(client, manager, django_assert_max_num_queries):
    for index in range(20):
        branch = BranchFactory(manager=manager)
        BranchStaffFactory(branch=branch, birth_month=1 + index % 12, birth_day=10)
        VisitFactory(branch=branch, next_visit_on=timezone.localdate())
    url = _feed_url(manager.user)
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
