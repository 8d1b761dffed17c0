"""Attendance (考勤) derived from events: visit check-ins, 打卡 with position, approved 补卡."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Branch
from duties.models import Attendance, AttendanceCorrection
from tests.duties.factories import AttendanceFactory

NEAR = {"latitude": "31.235100", "longitude": "121.475000", "accuracy": "25"}


def _visit(client, branch, **position):
    return client.post(
        reverse("branches:visit_create", args=[branch.pk]),
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "purposes": ["relationship"],
            **position,
        },
    )


def test_the_first_visit_check_in_makes_the_day_a_verified_field_day(manager_client, branch):
    Branch.objects.filter(pk=branch.pk).update(
        latitude=Decimal("31.235"), longitude=Decimal("121.475")
    )
    before = timezone.localtime().time().replace(second=0, microsecond=0)
    assert _visit(manager_client, branch, **NEAR).status_code == 302
    record = Attendance.objects.get()
    assert (record.date, record.status, record.source) == (
        timezone.localdate(),
        "field",
        "visit",
    )
    assert record.verified
    assert record.check_in_at >= before
    # A second visit keeps the first check-in time.
    first = record.check_in_at
    _visit(manager_client, branch)
    record.refresh_from_db()
    assert record.check_in_at == first and Attendance.objects.count() == 1


def test_a_visit_without_location_makes_an_unverified_day(manager_client, branch):
    _visit(manager_client, branch)
    record = Attendance.objects.get()
    assert record.status == "field" and not record.verified
    page = manager_client.get(reverse("duties:attendance")).content.decode()
    assert "未核实" in page


def test_a_typed_time_is_ignored_the_server_takes_now(manager_client, manager):
    # The old form took a typed check-in time: 08:00 typed at 22:07 was accepted.
    before = timezone.localtime().replace(second=0, microsecond=0).time()
    response = manager_client.post(
        reverse("duties:attendance"), {"status": "office", "check_in_at": "08:00", **NEAR}
    )
    after = timezone.localtime().time()
    assert response.status_code == 302
    record = Attendance.objects.get()
    assert before <= record.check_in_at <= after
    assert (record.status, record.source, record.verified) == ("office", "punch", True)
    assert record.latitude == Decimal("31.235100") and record.accuracy_m == 25


def test_punching_without_a_position_records_an_unverified_day(manager_client):
    manager_client.post(reverse("duties:attendance"), {})
    record = Attendance.objects.get()
    assert record.source == "punch" and not record.verified and record.latitude is None


def test_punching_twice_is_refused_with_a_message(manager_client):
    manager_client.post(reverse("duties:attendance"), NEAR)
    first = Attendance.objects.get().check_in_at
    response = manager_client.post(reverse("duties:attendance"), NEAR, follow=True)
    assert f"你今天已于 {first:%H:%M} 打卡。" in response.content.decode()
    assert Attendance.objects.count() == 1


def test_a_bad_position_is_refused_and_saves_nothing(manager_client):
    response = manager_client.post(
        reverse("duties:attendance"), {"latitude": "abc", "longitude": "1"}, follow=True
    )
    assert "手机发送的位置无效。" in response.content.decode()
    assert not Attendance.objects.exists()


def test_attendance_is_404_without_a_manager_profile(supervisor_client):
    assert supervisor_client.get(reverse("duties:attendance")).status_code == 404
    assert supervisor_client.get(reverse("duties:correction_create")).status_code == 404


def _ask(client, **data):
    return client.post(reverse("duties:correction_create"), data)


def test_a_correction_is_approved_by_the_supervisor_with_history(client, manager, supervisor):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AttendanceFactory(manager=manager, date=yesterday, status="field", verified=False)
    client.force_login(manager.user)
    response = _ask(
        client,
        date=yesterday.isoformat(),
        status="office",
        check_in_at="08:45",
        reason="手机没电，未能签到",
    )
    assert response.status_code == 302
    correction = AttendanceCorrection.objects.get()
    assert correction.state == "pending"
    assert Attendance.objects.get(date=yesterday).status == "field"

    # The manager cannot decide their own request: the button is not there and a POST fails.
    url = reverse("duties:correction_decide", args=[correction.pk])
    response = client.post(url, {"approve": "1"}, follow=True)
    assert "没有人可以审批自己的考勤。" in response.content.decode()

    client.force_login(supervisor)
    page = client.get(reverse("duties:correction_list")).content.decode()
    assert "手机没电，未能签到" in page and 'name="approve"' in page
    response = client.post(url, {"approve": "1", "note": "同意"}, follow=True)
    assert "已批准。" in response.content.decode()
    correction.refresh_from_db()
    assert (correction.state, correction.decided_by) == ("approved", supervisor)
    assert correction.previous == {"status": "field", "check_in_at": "", "source": "recorded"}
    record = Attendance.objects.get(date=yesterday)
    assert (record.status, record.check_in_at, record.source, record.verified) == (
        "office",
        datetime.time(8, 45),
        "correction",
        True,
    )
    response = client.post(url, {"reject": "1"}, follow=True)
    assert "这个申请已经处理过了。" in response.content.decode()


def test_a_rejected_correction_leaves_the_day_alone(client, manager, supervisor):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.force_login(manager.user)
    _ask(client, date=yesterday.isoformat(), status="leave", reason="事假")
    correction = AttendanceCorrection.objects.get()
    client.force_login(supervisor)
    client.post(reverse("duties:correction_decide", args=[correction.pk]), {"reject": "1"})
    correction.refresh_from_db()
    assert correction.state == "rejected"
    assert not Attendance.objects.exists()


def test_another_teams_supervisor_gets_404(client, manager, other_supervisor):
    client.force_login(manager.user)
    _ask(client, date=timezone.localdate().isoformat(), status="leave", reason="事假")
    correction = AttendanceCorrection.objects.get()
    client.force_login(other_supervisor)
    url = reverse("duties:correction_decide", args=[correction.pk])
    assert client.post(url, {"approve": "1"}).status_code == 404
    assert "事假" not in client.get(reverse("duties:correction_list")).content.decode()
    correction.refresh_from_db()
    assert correction.state == "pending"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "office"}, "check_in_at", "请填写那天开始工作的时间。"),
        (
            {"status": "leave", "check_in_at": "09:00"},
            "check_in_at",
            "只有在办公室或外勤的日子才有签到时间。",
        ),
        ({"status": "leave", "reason": " "}, "reason", "这个字段是必填项。"),
        (
            {"status": "office", "check_in_at": "09:00", "days": 2},
            "date",
            "只有请假或出差可以提前申请。",
        ),
    ],
)
def test_bad_correction_requests_are_refused(manager_client, data, field, message):
    data = dict(data)
    day = timezone.localdate() + datetime.timedelta(days=data.pop("days", 0))
    payload = {"date": day.isoformat(), "reason": "忘了打卡", **data}
    response = manager_client.post(reverse("duties:correction_create"), payload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not AttendanceCorrection.objects.exists()


def test_one_waiting_request_per_day(manager_client):
    day = timezone.localdate().isoformat()
    _ask(manager_client, date=day, status="leave", reason="事假")
    response = _ask(manager_client, date=day, status="trip", reason="出差")
    assert "这一天已有一个补卡申请在等待审批。" in response.content.decode()
    assert AttendanceCorrection.objects.count() == 1


def test_the_monthly_summary_counts_the_team_and_unverified_days(
    client, supervisor, manager, other_manager
):
    today = timezone.localdate()
    first = today.replace(day=1)
    AttendanceFactory(manager=manager, date=first, status="field", verified=True)
    if today != first:
        AttendanceFactory(manager=manager, date=first + datetime.timedelta(days=1), status="office")
    AttendanceFactory(manager=other_manager, date=first)
    client.force_login(supervisor)
    response = client.get(reverse("duties:attendance_summary"), {"month": first.isoformat()})
    assert manager.display_name in response.text
    assert other_manager.display_name not in response.text
    assert "未核实" in response.text
    rows = dict(response.context["rows"])
    # field, office, leave, trip, absent, unverified
    expected = [1, 1, 0, 0, 0, 1] if today != first else [1, 0, 0, 0, 0, 0]
    assert rows[manager] == expected


def test_the_monthly_summary_for_a_manager_shows_only_themself(other_client, manager):
    response = other_client.get(reverse("duties:attendance_summary"))
    assert response.status_code == 200
    assert manager.display_name not in response.text


def test_a_bad_month_falls_back_to_this_month(supervisor_client):
    response = supervisor_client.get(reverse("duties:attendance_summary"), {"month": "nonsense"})
    assert response.context["month"] == timezone.localdate().replace(day=1)


@pytest.mark.parametrize("size", [3, 30])
def test_the_corrections_page_runs_a_constant_number_of_queries(
    client, supervisor, django_assert_max_num_queries, size
):
    from tests.grading.factories import AccountManagerFactory

    day = timezone.localdate()
    for profile in AccountManagerFactory.create_batch(size, supervisor=supervisor):
        AttendanceCorrection.objects.create(
            manager=profile, date=day, status="leave", reason="事假", requested_by=profile.user
        )
    client.force_login(supervisor)
    with django_assert_max_num_queries(2):
        response = client.get(reverse("duties:correction_list"))
    assert response.content.decode().count('name="approve"') == size


def test_the_supervisors_summary_links_to_corrections_and_flagged_check_ins(supervisor_client):
    page = supervisor_client.get(reverse("duties:attendance_summary")).content.decode()
    assert reverse("duties:correction_list") in page
    assert reverse("branches:checkin_list") in page
