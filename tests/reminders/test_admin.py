import pytest
from django.core import mail
from django.urls import reverse

from reminders.models import Notification
from tests.reminders.factories import NotificationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reminders_notification_changelist")


def test_the_outbox_filters_by_status(admin_client):
    NotificationFactory(subject="已失败的邮件", status=Notification.Status.FAILED)
    NotificationFactory(subject="已发送的邮件", status=Notification.Status.SENT)
    response = admin_client.get(CHANGELIST, {"status__exact": "failed"})
    assert response.status_code == 200
    assert "已失败的邮件" in response.text and "已发送的邮件" not in response.text


def test_resend_sends_a_failed_notification_again(admin_client, django_capture_on_commit_callbacks):
    failed = NotificationFactory(status=Notification.Status.FAILED, attempts=6, last_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            CHANGELIST, {"action": "resend", "_selected_action": [failed.pk]}, follow=True
        )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


def test_a_supervisor_sees_their_teams_and_their_own_emails_only(
    client, supervisor, manager, other_manager
):
    NotificationFactory(recipient=manager.user, subject="团队成员的邮件")
    NotificationFactory(recipient=supervisor, subject="主管自己的邮件")
    other = NotificationFactory(recipient=other_manager.user, subject="别的团队的邮件")
    client.force_login(supervisor)
    text = client.get(CHANGELIST).text
    assert "团队成员的邮件" in text and "主管自己的邮件" in text
    assert "别的团队的邮件" not in text
    url = reverse("admin:reminders_notification_change", args=[other.pk])
    # Out of scope is "missing" to the admin: back to the admin index, nothing shown.
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))


def test_a_manager_sees_only_their_own_emails(manager, other_manager):
    mine = NotificationFactory(recipient=manager.user)
    NotificationFactory(recipient=other_manager.user)
    assert list(Notification.objects.for_user(manager.user)) == [mine]


@pytest.mark.parametrize(
    "model",
    ["notification", "reminderpreference", "stockepisode", "channel", "departmentcontact"],
)
def test_the_changelist_and_add_pages_load(admin_client, model):
    assert admin_client.get(reverse(f"admin:reminders_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:reminders_{model}_add")).status_code == 200


def test_an_email_written_in_the_admin_is_sent(
    admin_client, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:reminders_notification_add"),
            {
                "kind": "stock_digest",
                "recipient": manager.user.pk,
                "language": "zh-hans",
                "subject": "单证盘点通知",
                "body_text": "请于周五前盘点。",
                "body_html": "",
            },
        )
    assert response.status_code == 302
    assert mail.outbox[0].subject == "单证盘点通知"
    assert Notification.objects.get().dedupe_key.startswith("by-hand:")


def test_a_supervisor_cannot_write_emails_by_hand(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("admin:reminders_notification_add")).status_code == 403


def test_an_email_by_hand_needs_a_recipient_with_an_address(admin_client):
    response = admin_client.post(
        reverse("admin:reminders_notification_add"),
        {"kind": "stock_digest", "language": "zh-hans", "subject": "通知", "body_text": "正文"},
    )
    assert response.status_code == 200
    assert "请选择有邮箱地址的用户。" in response.text
    assert not Notification.objects.exists()
