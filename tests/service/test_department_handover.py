"""A case handed over to a department (契约, 客服, 理赔) tells it once; its answer is recorded."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from reminders import departments
from reminders import services as reminders_services
from reminders.models import Channel, ChannelKind, DepartmentContact, Notification
from service import services
from service.models import Case
from tests.reminders.robot import Robot
from tests.service.factories import CaseFactory

pytestmark = pytest.mark.django_db
S = Case.Status


@pytest.fixture
def robot():
    server = Robot().start()
    yield server
    server.stop()


@pytest.fixture
def claims(robot):
    channel = reminders_services.save_channel(
        channel=Channel(
            name="理赔部群", kind=ChannelKind.WECOM, url=f"{robot.base}/cgi-bin/webhook/send"
        ),
        token="claims-robot-key",
    )
    return DepartmentContact.objects.create(
        department=Case.Department.CLAIMS, email="claims@insurer.example", channel=channel
    )


def _hand_over(case, user, callbacks, department=Case.Department.CLAIMS):
    with callbacks(execute=True):
        return services.transition(
            case=case,
            action_name="hand_over",
            user=user,
            department=department,
            text="客户住院，请理赔部核实材料",
        )


def test_the_department_is_told_once_by_mail_and_robot(
    branch, claims, robot, django_capture_on_commit_callbacks
):
    case = CaseFactory(branch=branch, status=S.IN_PROGRESS, customer_mobile="13987654321")
    _hand_over(case, branch.manager.user, django_capture_on_commit_callbacks)
    [email] = mail.outbox
    assert email.to == ["claims@insurer.example"]
    assert f"#{case.pk}" in email.subject and "理赔" in email.subject
    assert "客户住院，请理赔部核实材料" in email.body
    assert "139****4321" in email.body and "13987654321" not in email.body
    assert reverse("service:detail", args=[case.pk]) in email.body
    [post] = robot.requests
    assert post["query"] == {"key": "claims-robot-key"}
    assert "139****4321" in post["json"]["markdown"]["content"]
    rows = Notification.objects.filter(kind="department_handover")
    assert {(row.recipient, row.address, row.status) for row in rows} == {
        (None, "claims@insurer.example", "sent")
    }
    # The same hand-over told again (a doubled signal, a retried task): nothing more.
    event = case.events.get(to_status=S.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        assert departments.tell_department(case=case, event=event) == []
    assert len(mail.outbox) == 1 and len(robot.requests) == 1


def test_each_hand_over_is_told_and_the_answer_moves_the_case_back(
    branch, claims, django_capture_on_commit_callbacks
):
    user = branch.manager.user
    case = CaseFactory(branch=branch, status=S.IN_PROGRESS)
    _hand_over(case, user, django_capture_on_commit_callbacks)
    case = services.record_department_answer(case=case, user=user, text="材料不全，需补充病历")
    assert case.status == S.IN_PROGRESS
    answer = case.events.get(from_status=S.WAITING)
    assert (answer.department, answer.text, answer.actor) == (
        "claims",
        "材料不全，需补充病历",
        user,
    )
    _hand_over(case, user, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2  # a second hand-over is news again


def test_an_answer_needs_text_and_a_waiting_case(branch):
    user = branch.manager.user
    waiting = CaseFactory(branch=branch, status=S.WAITING, department="claims")
    with pytest.raises(ValidationError) as raised:
        services.record_department_answer(case=waiting, user=user, text="  ")
    assert "text" in raised.value.message_dict
    waiting.refresh_from_db()
    assert waiting.status == S.WAITING
    with pytest.raises(ValidationError):
        services.record_department_answer(
            case=CaseFactory(branch=branch, status=S.IN_PROGRESS), user=user, text="答复"
        )


def test_no_contact_configured_tells_nobody_and_hands_over_all_the_same(
    branch, django_capture_on_commit_callbacks
):
    case = CaseFactory(branch=branch, status=S.NEW)
    case = _hand_over(
        case, branch.manager.user, django_capture_on_commit_callbacks, Case.Department.UNDERWRITING
    )
    assert case.status == S.WAITING
    assert mail.outbox == [] and not Notification.objects.exists()


def test_the_answer_is_recorded_on_the_case_page(branch, manager_client, claims):
    case = CaseFactory(branch=branch, status=S.WAITING, department="claims")
    page = manager_client.get(reverse("service:detail", args=[case.pk]))
    assert 'name="text" id="answer-' in page.text
    url = reverse("service:action", args=[case.pk])
    refused = manager_client.post(url, {"action": "department_replied", "text": ""})
    assert refused.status_code == 400
    assert "请填写部门的答复" in refused.text or "answer" in refused.text
    response = manager_client.post(url, {"action": "department_replied", "text": "已核保通过"})
    assert response.status_code == 302
    page = manager_client.get(reverse("service:detail", args=[case.pk]))
    assert "已核保通过" in page.text and "理赔" in page.text
    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS


def test_someone_elses_case_cannot_be_answered(branch, other_client):
    case = CaseFactory(branch=branch, status=S.WAITING, department="claims")
    url = reverse("service:action", args=[case.pk])
    response = other_client.post(url, {"action": "department_replied", "text": "答复"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == S.WAITING
