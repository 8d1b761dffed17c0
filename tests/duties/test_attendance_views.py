import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from duties.models import Attendance
from tests.duties.factories import AttendanceFactory


def test_a_manager_checks_in(manager_client, manager):
    response = manager_client.post(reverse("duties:attendance"), {"status": "office"}, follow=True)
    record = Attendance.objects.get()
    assert (record.manager, record.date, record.status) == (manager, timezone.localdate(), "office")
    assert record.check_in_at is not None
    assert 'id="current-status"' in response.text


def test_checking_in_again_updates_the_day(manager_client):
    manager_client.post(reverse("duties:attendance"), {"status": "office"})
    manager_client.post(reverse("duties:attendance"), {"status": "trip"})
    record = Attendance.objects.get()
    assert record.status == "trip" and record.check_in_at is None


@pytest.mark.parametrize(
    "data", [{"status": "holiday"}, {"status": "leave", "check_in_at": "09:00"}, {}]
)
def test_bad_attendance_input_saves_nothing(manager_client, data):
    response = manager_client.post(reverse("duties:attendance"), data)
    assert response.status_code == 200
    assert "invalid-feedback" in response.text
    assert not Attendance.objects.exists()


def test_attendance_is_404_without_a_manager_profile(supervisor_client):
    assert supervisor_client.get(reverse("duties:attendance")).status_code == 404


def test_the_monthly_summary_counts_the_team(client, supervisor, manager, other_manager):
    today = timezone.localdate()
    first = today.replace(day=1)
    AttendanceFactory(manager=manager, date=first, status="field")
    if today != first:
        AttendanceFactory(manager=manager, date=first + datetime.timedelta(days=1), status="leave")
    AttendanceFactory(manager=other_manager, date=first)
    client.force_login(supervisor)
    response = client.get(reverse("duties:attendance_summary"), {"month": first.isoformat()})
    assert manager.display_name in response.text
    assert other_manager.display_name not in response.text
    rows = dict(response.context["rows"])
    assert rows[manager][list(Attendance.Status.values).index("field")] == 1


def test_the_monthly_summary_for_a_manager_shows_only_themself(other_client, manager):
    response = other_client.get(reverse("duties:attendance_summary"))
    assert response.status_code == 200
    assert manager.display_name not in response.text


def test_a_bad_month_falls_back_to_this_month(supervisor_client):
    response = supervisor_client.get(reverse("duties:attendance_summary"), {"month": "nonsense"})
    assert response.context["month"] == timezone.localdate().replace(day=1)
