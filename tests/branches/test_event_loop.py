"""Abnormal events answered: reported → acknowledged → responded → closed, each move by the
right person and recorded; the supervisor told at once; an overdue event sent up a level once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from branches import services
from branches.models import AbnormalEvent, EventAction, EventResponseTime
from config.celery_app import app
from reminders.models import Notification, ReminderKind
from tests.branches.factories import BranchFactory

S = AbnormalEvent.Status


def _report(branch, **extra):
    fields = {
        "category": AbnormalEvent.Category.BANK_POLICY,
        "description": "支行调整考核口径，联系人手机13812345678。",
        "reported_by": branch.manager.user,
    }
    fields.update(extra)
    return services.report_event(branch=branch, **fields)


def _at(event, status):
    AbnormalEvent.objects.filter(pk=event.pk).update(status=status)
    event.refresh_from_db()
    return event


ACT = {
    "acknowledge": lambda event, user: services.acknowledge_event(event=event, user=user),
    "respond": lambda event, user: services.respond_to_event(
        event=event, user=user, response="总公司已与支行沟通，下月恢复原口径。"
    ),
    "close": lambda event, user: services.close_event(event=event, user=user),
    "reopen": lambda event, user: services.reopen_event(
        event=event, user=user, reason="支行仍未执行"
    ),
}


# (status before, action, who, status after or None when refused)
TABLE = [
    (S.REPORTED, "acknowledge", "supervisor", S.ACKNOWLEDGED),
    (S.REPORTED, "acknowledge", "city_head", S.ACKNOWLEDGED),
    (S.REPORTED, "acknowledge", "superuser", S.ACKNOWLEDGED),
    (S.REPORTED, "acknowledge", "manager", None),
    (S.REPORTED, "acknowledge", "other_supervisor", None),
    (S.REPORTED, "acknowledge", "other_city_head", None),
    (S.REPORTED, "respond", "supervisor", None),
    (S.REPORTED, "close", "supervisor", None),
    (S.REPORTED, "reopen", "supervisor", None),
    (S.ACKNOWLEDGED, "respond", "supervisor", S.RESPONDED),
    (S.ACKNOWLEDGED, "respond", "province_head", S.RESPONDED),
    (S.ACKNOWLEDGED, "respond", "manager", None),
    (S.ACKNOWLEDGED, "acknowledge", "supervisor", None),
    (S.ACKNOWLEDGED, "close", "supervisor", None),
    (S.ACKNOWLEDGED, "reopen", "supervisor", None),
    (S.RESPONDED, "close", "supervisor", S.CLOSED),
    (S.RESPONDED, "close", "manager", None),
    (S.RESPONDED, "reopen", "supervisor", S.ACKNOWLEDGED),
    (S.RESPONDED, "respond", "supervisor", None),
    (S.CLOSED, "reopen", "supervisor", S.ACKNOWLEDGED),
    (S.CLOSED, "reopen", "manager", None),
    (S.CLOSED, "close", "supervisor", None),
    (S.CLOSED, "acknowledge", "supervisor", None),
]


@pytest.mark.parametrize(("before", "action", "who", "after"), TABLE)
def test_the_status_machine(org, branch, superuser, before, action, who, after):
    users = {
        "supervisor": branch.manager.supervisor,
        "manager": branch.manager.user,
        "other_supervisor": org.other_team.head,
        "city_head": org.city_head,
        "other_city_head": org.other_city_head,
        "province_head": org.province_head,
        "superuser": superuser,
    }
    event = _at(_report(branch), before)
    if after is None:
        with pytest.raises(ValidationError):
            ACT[action](event, users[who])
        event.refresh_from_db()
        assert event.status == before
        assert not event.actions.exclude(kind=EventAction.Kind.REPORT).exists()
    else:
        ACT[action](event, users[who])
        event.refresh_from_db()
        assert event.status == after
        step = event.actions.exclude(kind=EventAction.Kind.REPORT).get()
        assert (step.kind, step.from_status, step.to_status, step.actor) == (
            action,
            before,
            after,
            users[who],
        )


def test_a_refusal_says_why(branch, supervisor):
    event = _report(branch)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.close_event(event=event, user=supervisor)
    assert refused.value.messages == ["该异常情况当前为“已上报”，不能关闭。"]


def test_the_whole_loop_is_in_the_history(branch, supervisor):
    event = _report(branch)
    services.acknowledge_event(event=event, user=supervisor)
    services.respond_to_event(event=event, user=supervisor, response="已协调")
    services.close_event(event=event, user=supervisor, note="网点确认")
    rows = list(event.actions.order_by("at", "pk"))
    assert [(r.kind, r.from_status, r.to_status) for r in rows] == [
        ("report", "", "reported"),
        ("acknowledge", "reported", "acknowledged"),
        ("respond", "acknowledged", "responded"),
        ("close", "responded", "closed"),
    ]
    assert rows[0].actor == branch.manager.user
    assert rows[2].note == "已协调" and rows[3].note == "网点确认"
    event.refresh_from_db()
    assert event.company_response == "已协调" and event.responded_by == supervisor


def test_an_empty_response_is_refused(branch, supervisor):
    event = services.acknowledge_event(event=_report(branch), user=supervisor)
    with pytest.raises(ValidationError):
        services.respond_to_event(event=event, user=supervisor, response="  ")
    event.refresh_from_db()
    assert event.status == S.ACKNOWLEDGED


# --- Response time and the supervisor's email -------------------------------------------------


def test_the_response_time_comes_from_the_category_table(branch):
    assert EventResponseTime.objects.get(category="bank_policy").response_hours == 24
    event = _report(branch)
    assert event.respond_by - event.created_at < datetime.timedelta(hours=24, seconds=5)
    assert event.respond_by - event.created_at > datetime.timedelta(hours=23, minutes=59)
    EventResponseTime.objects.filter(category="other").update(response_hours=2)
    later = _report(branch, category="other")
    assert later.respond_by - later.created_at < datetime.timedelta(hours=2, seconds=5)


def test_reporting_tells_the_supervisor_once_without_the_phone_number(branch, supervisor):
    event = _report(branch)
    note = Notification.objects.get()
    assert note.kind == ReminderKind.EVENT_REPORTED
    assert note.recipient == supervisor
    assert note.dedupe_key == f"event_reported:{event.pk}"
    assert branch.name in note.subject
    assert "138****5678" in note.body_text and "138****5678" in note.body_html
    assert "13812345678" not in note.body_text + note.body_html + note.subject
    assert reverse("branches:event_detail", args=[event.pk]) in note.body_text
    # The signal again (a retried request, say): still one email.
    from branches.signals import event_reported

    event_reported.send(sender=AbnormalEvent, event=event)
    assert Notification.objects.count() == 1


def test_a_supervisor_who_switched_the_kind_off_gets_nothing(branch, supervisor):
    from reminders.services import save_preference

    save_preference(user=supervisor, language="zh-hans", event_reported=False)
    _report(branch)
    assert not Notification.objects.exists()


# --- Escalation -------------------------------------------------------------------------------


def test_escalation_waits_for_the_response_time(org, branch):
    event = _report(branch)
    assert (
        services.escalate_overdue_events(now=event.respond_by - datetime.timedelta(minutes=1)) == []
    )
    event.refresh_from_db()
    assert event.escalated_at is None
    assert not Notification.objects.filter(kind=ReminderKind.EVENT_ESCALATED).exists()


def test_an_overdue_event_goes_to_the_head_above_the_team_once(org, branch):
    event = _report(branch)
    services.acknowledge_event(event=event, user=org.team.head)
    later = event.respond_by + datetime.timedelta(minutes=1)
    assert [e.pk for e in services.escalate_overdue_events(now=later)] == [event.pk]
    assert services.escalate_overdue_events(now=later + datetime.timedelta(hours=5)) == []
    event.refresh_from_db()
    assert event.escalated_to == org.city_head and event.status == S.ACKNOWLEDGED
    step = event.actions.get(kind=EventAction.Kind.ESCALATE)
    assert step.actor is None and step.at == later
    note = Notification.objects.get(kind=ReminderKind.EVENT_ESCALATED)
    assert note.recipient == org.city_head
    assert note.dedupe_key == f"event_escalated:{event.pk}"
    assert "13812345678" not in note.body_text + note.body_html


def test_an_answered_event_is_not_escalated(org, branch, supervisor):
    event = _report(branch)
    services.acknowledge_event(event=event, user=supervisor)
    services.respond_to_event(event=event, user=supervisor, response="已答复")
    assert services.escalate_overdue_events(now=event.respond_by + datetime.timedelta(days=3)) == []


def test_without_a_unit_above_nothing_is_escalated(branch):
    event = _report(branch)  # the manager is in no team: no unit above to tell
    assert services.escalate_overdue_events(now=event.respond_by + datetime.timedelta(days=1)) == []
    event.refresh_from_db()
    assert event.escalated_at is None


def test_a_city_without_a_head_goes_to_the_province(org, branch):
    org.city.head = None
    org.city.save(update_fields=["head"])
    event = _report(branch)
    services.escalate_overdue_events(now=event.respond_by + datetime.timedelta(minutes=1))
    event.refresh_from_db()
    assert event.escalated_to == org.province_head


def test_the_beat_runs_the_escalation_task(org, branch):
    from django.conf import settings

    import branches.tasks  # noqa: F401  (autodiscovery imports it in a worker)

    entry = settings.CELERY_BEAT_SCHEDULE["branches-escalate-events"]
    assert entry["task"] in app.tasks
    event = _report(branch)
    AbnormalEvent.objects.filter(pk=event.pk).update(
        respond_by=timezone.now() - datetime.timedelta(hours=1)
    )
    assert app.tasks[entry["task"]].delay().get() == 1


# --- Pages ------------------------------------------------------------------------------------


def test_the_supervisor_follows_up_from_the_page(client, branch, supervisor):
    event = _report(branch)
    client.force_login(supervisor)
    page = client.get(reverse("branches:event_detail", args=[event.pk]))
    assert page.status_code == 200
    assert reverse("branches:event_acknowledge", args=[event.pk]) in page.text
    response = client.post(reverse("branches:event_acknowledge", args=[event.pk]))
    assert response.status_code == 302
    assert response.url == reverse("branches:event_detail", args=[event.pk])
    response = client.post(reverse("branches:event_respond", args=[event.pk]), {"response": ""})
    assert response.status_code == 400
    assert "请填写公司的答复" in response.text
    response = client.post(
        reverse("branches:event_respond", args=[event.pk]),
        {"response": "总公司已与支行沟通"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == S.RESPONDED
    branch_page = client.get(reverse("branches:detail", args=[branch.pk]))
    assert branch_page.text.count("总公司已与支行沟通") == 2  # the events list and the timeline
    assert 'data-kind="event_response"' in branch_page.text


def test_the_manager_sees_the_event_but_cannot_move_it(manager_client, branch):
    event = _report(branch)
    page = manager_client.get(reverse("branches:event_detail", args=[event.pk]))
    assert page.status_code == 200
    assert "event-actions" not in page.text
    response = manager_client.post(
        reverse("branches:event_acknowledge", args=[event.pk]), follow=True
    )
    assert response.redirect_chain == [(reverse("branches:event_detail", args=[event.pk]), 302)]
    assert "只有该网点的主管或上级机构负责人可以操作" in response.text
    event.refresh_from_db()
    assert event.status == S.REPORTED


def test_another_team_gets_404(other_client, client, branch, other_supervisor):
    event = _report(branch)
    assert other_client.get(reverse("branches:event_detail", args=[event.pk])).status_code == 404
    client.force_login(other_supervisor)
    url = reverse("branches:event_acknowledge", args=[event.pk])
    assert client.post(url).status_code == 404
    event.refresh_from_db()
    assert event.status == S.REPORTED


def test_an_unknown_action_is_404(supervisor_client, branch):
    event = _report(branch)
    url = f"/branches/events/{event.pk}/delete/"
    assert supervisor_client.post(url).status_code == 404


def test_the_event_page_costs_the_same_with_a_long_history(
    supervisor_client, branch, supervisor, django_assert_max_num_queries
):
    event = _report(branch)
    services.acknowledge_event(event=event, user=supervisor)
    for _ in range(5):
        services.respond_to_event(event=event, user=supervisor, response="答复")
        services.reopen_event(event=event, user=supervisor, reason="未解决")
    with django_assert_max_num_queries(4):
        page = supervisor_client.get(reverse("branches:event_detail", args=[event.pk]))
    assert page.status_code == 200


def test_the_admin_acknowledges_through_the_service(admin_client, branch):
    event = _report(branch)
    response = admin_client.post(
        reverse("admin:branches_abnormalevent_changelist"),
        {"action": "acknowledge", "_selected_action": [event.pk]},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == S.ACKNOWLEDGED
    assert event.actions.filter(kind="acknowledge").exists()


def test_the_dashboard_and_the_weekly_digest_list_overdue_events(
    org, branch, supervisor_client, supervisor
):
    from reminders import weekly

    event = _report(branch)
    AbnormalEvent.objects.filter(pk=event.pk).update(
        respond_by=timezone.now() - datetime.timedelta(hours=2)
    )
    page = supervisor_client.get(reverse("desk:dashboard"))
    assert page.status_code == 200
    assert f'data-event="{event.pk}"' in page.text
    planned = {
        p.recipient: p for p in weekly.plan(today=timezone.localdate() + datetime.timedelta(days=1))
    }
    assert [e.pk for e in planned[branch.manager.user].context["events"]] == [event.pk]
    assert planned[supervisor].context["total_events"] == 1


def test_a_late_event_in_another_team_stays_off_the_dashboard(
    org, other_manager, supervisor_client
):
    other = _report(BranchFactory(manager=other_manager))
    AbnormalEvent.objects.filter(pk=other.pk).update(
        respond_by=timezone.now() - datetime.timedelta(hours=2)
    )
    page = supervisor_client.get(reverse("desk:dashboard"))
    assert f'data-event="{other.pk}"' not in page.text
