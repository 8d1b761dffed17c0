"""Group-robot channels (WeCom, DingTalk) against a robot the test starts on 127.0.0.1."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from reminders import channels, crypto, services
from reminders.models import Channel, ChannelChoice, ChannelKind, Notification, ReminderKind
from reminders.tasks import send_notification
from tests.grading.factories import UserFactory
from tests.reminders.robot import Robot

pytestmark = pytest.mark.django_db

WECOM_KEY = "wecom-key-0123456789abcdef"
DINGTALK_TOKEN = "dingtalk-token-0123456789abcdef"
DINGTALK_SECRET = "SECdingtalk-secret-0123456789abcdef"


@pytest.fixture
def robot():
    server = Robot().start()
    yield server
    server.stop()


@pytest.fixture
def retries_in_process(settings):
    """Run a task's retries one after the other in-process, as a worker would (see
    test_outbox: eager retries re-raise unless propagation is off for the whole chain)."""
    settings.CELERY_TASK_EAGER_PROPAGATES = False


def _wecom(robot, **fields):
    channel = Channel(
        name="周敏团队群",
        kind=ChannelKind.WECOM,
        url=f"{robot.base}/cgi-bin/webhook/send",
        **fields,
    )
    return services.save_channel(channel=channel, token=WECOM_KEY)


def _dingtalk(robot, **fields):
    channel = Channel(
        name="钉钉群", kind=ChannelKind.DINGTALK, url=f"{robot.base}/robot/send", **fields
    )
    return services.save_channel(channel=channel, token=DINGTALK_TOKEN, secret=DINGTALK_SECRET)


def _send_to(user, channel, key="birthday:1:2026-05-20", kind=ReminderKind.BIRTHDAYS):
    services.save_preference(user=user, language="zh-hans", channels_by_kind={kind: [channel]})
    return services.queue_to_user(
        kind=kind,
        recipient=user,
        dedupe_key=key,
        subject="生日提醒：1 位网点人员",
        body_text="李娜 今天生日\n电话：138****5678",
        body_html="<p>李娜</p>",
        language="zh-hans",
    )


def test_wecom_gets_the_exact_json(robot, django_capture_on_commit_callbacks):
    user = UserFactory(email="wang@example.com")
    channel = _wecom(robot, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _send_to(user, channel)
    assert robot.requests == [
        {
            "path": "/cgi-bin/webhook/send",
            "query": {"key": WECOM_KEY},
            "json": {
                "msgtype": "markdown",
                "markdown": {
                    "content": "**生日提醒：1 位网点人员**\n李娜 今天生日\n电话：138****5678"
                },
            },
            "content_type": "application/json",
        }
    ]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 1)
    assert notification.dedupe_key == f"birthday:1:2026-05-20@channel:{channel.pk}"
    assert mail.outbox == []  # the user chose the robot only


def test_dingtalk_gets_the_exact_json_with_a_valid_signature(
    robot, django_capture_on_commit_callbacks
):
    robot.dingtalk_secret = DINGTALK_SECRET
    user = UserFactory(email="wang@example.com")
    channel = _dingtalk(robot, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _send_to(user, channel)
    [request] = robot.requests
    assert request["path"] == "/robot/send"
    assert request["query"]["access_token"] == DINGTALK_TOKEN
    assert set(request["query"]) == {"access_token", "timestamp", "sign"}
    assert request["json"] == {
        "msgtype": "markdown",
        "markdown": {
            "title": "生日提醒：1 位网点人员",
            "text": "#### 生日提醒：1 位网点人员\n\n李娜 今天生日  \n电话：138****5678",
        },
    }
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT  # the robot checked the sign


def test_a_wrong_dingtalk_secret_is_refused_at_once_and_falls_back_to_email(
    robot, django_capture_on_commit_callbacks
):
    robot.dingtalk_secret = "SECanother-secret"
    user = UserFactory(email="wang@example.com")
    channel = _dingtalk(robot, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _send_to(user, channel)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert len(robot.requests) == 1  # errcode 310000 is no reason to try again
    assert "310000" in notification.last_error
    assert [m.subject for m in mail.outbox] == ["生日提醒：1 位网点人员"]


@pytest.mark.usefixtures("retries_in_process")
def test_a_500_is_retried_and_a_doubled_task_sends_nothing_more(robot):
    robot.script = [(500, {"errmsg": "busy"})]
    user = UserFactory(email="wang@example.com")
    channel = _wecom(robot, user=user)
    [notification] = _send_to(user, channel)  # no commit callbacks: the task runs below
    send_notification.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
    assert len(robot.requests) == 2
    # The same task delivered twice (acks late, a worker lost): nothing more is posted.
    assert send_notification.apply(args=[notification.pk]).get() == "skipped"
    assert len(robot.requests) == 2
    assert mail.outbox == []


@pytest.mark.usefixtures("retries_in_process")
def test_a_timeout_is_retried(robot, monkeypatch):
    user = UserFactory(email="wang@example.com")
    channel = _wecom(robot, user=user)
    [notification] = _send_to(user, channel)
    calls = []

    def slow_then_fine(*args, **kwargs):
        calls.append(kwargs["timeout"])
        if len(calls) == 1:
            raise channels.requests.Timeout("read timed out")
        return real_post(*args, **kwargs)

    real_post = channels.requests.post
    monkeypatch.setattr(channels.requests, "post", slow_then_fine)
    send_notification.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert calls == [2, 2]  # REMINDERS_WEBHOOK_TIMEOUT in the test settings
    assert len(robot.requests) == 1


@pytest.mark.usefixtures("retries_in_process")
def test_a_channel_that_keeps_failing_is_failed_and_falls_back_to_email_once(
    robot, django_capture_on_commit_callbacks
):
    robot.script = [(503, {})] * (send_notification.max_retries + 1)
    user = UserFactory(email="wang@example.com")
    channel = _wecom(robot, user=user)
    [notification] = _send_to(user, channel)
    with django_capture_on_commit_callbacks(execute=True):
        send_notification.apply(args=[notification.pk])
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == send_notification.max_retries + 1
    assert "HTTP 503" in notification.last_error
    assert WECOM_KEY not in notification.last_error
    fallback = Notification.objects.get(dedupe_key="birthday:1:2026-05-20")
    assert fallback.channel is None
    assert [m.to for m in mail.outbox] == [["wang@example.com"]]
    # Failing again (a resend that fails too) queues no second email.
    with django_capture_on_commit_callbacks(execute=True):
        services.fall_back_to_email(notification=notification)
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(recipient=user).count() == 2


def test_the_fallback_sends_nothing_more_to_a_user_who_also_chose_email(
    robot, django_capture_on_commit_callbacks
):
    robot.script = [(400, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    user = UserFactory(email="wang@example.com")
    channel = _wecom(robot, user=user)
    services.save_preference(
        user=user, language="zh-hans", channels_by_kind={ReminderKind.BIRTHDAYS: [None, channel]}
    )
    rows = services.queue_to_user(
        kind=ReminderKind.BIRTHDAYS,
        recipient=user,
        dedupe_key="birthday:1:2026-05-20",
        subject="生日提醒",
        body_text="正文",
        language="zh-hans",
        enqueue=False,
    )
    assert {row.channel for row in rows} == {None, channel}
    with django_capture_on_commit_callbacks(execute=True):
        for row in rows:
            send_notification.apply(args=[row.pk])
    assert len(mail.outbox) == 1
    assert Notification.objects.get(channel=channel).status == Notification.Status.FAILED


def test_resend_posts_a_failed_channel_message_again(robot, django_capture_on_commit_callbacks):
    robot.script = [(404, {})]
    user = UserFactory(email="")
    channel = _wecom(robot, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _send_to(user, channel)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert mail.outbox == []  # no address to fall back to
    with django_capture_on_commit_callbacks(execute=True):
        services.resend(notifications=[notification])
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(robot.requests) == 2


def test_resend_from_the_admin_action(robot, admin_client, django_capture_on_commit_callbacks):
    robot.script = [(404, {})]
    user = UserFactory(email="")
    channel = _wecom(robot, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _send_to(user, channel)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:reminders_notification_changelist"),
            {"action": "resend", "_selected_action": [notification.pk]},
        )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT


def test_each_kind_goes_where_the_user_chose(robot, manager):
    user = manager.user
    channel = _wecom(robot, user=user)
    services.save_preference(
        user=user,
        language="zh-hans",
        channels_by_kind={ReminderKind.BIRTHDAYS: [channel], ReminderKind.WEEKLY: [None]},
    )
    planned = [
        services.PlannedReminder(
            kind=kind,
            recipient=user,
            dedupe_key=f"{kind}:test",
            template="reminders/email/birthdays",
            context={"manager": manager, "birthdays": [], "days": 7},
        )
        for kind in (ReminderKind.BIRTHDAYS, ReminderKind.WEEKLY, ReminderKind.STOCK_DIGEST)
    ]
    rows = services.queue_planned(planned_reminders=planned, enqueue=False)
    assert {(row.kind, row.channel_id) for row in rows} == {
        (ReminderKind.BIRTHDAYS, channel.pk),
        (ReminderKind.WEEKLY, None),
        (ReminderKind.STOCK_DIGEST, None),  # never chosen: email
    }


def test_the_settings_page_offers_the_team_channel_and_saves_the_choice(
    robot, org, manager, manager_client
):
    team_channel = _wecom(robot, team=org.team)
    other_team = _wecom(robot, team=org.other_team)
    url = reverse("reminders:preferences")
    page = manager_client.get(url)
    assert page.status_code == 200
    assert "周敏团队群" in page.text
    assert f'value="{other_team.pk}"' not in page.text
    data = {
        "language": "zh-hans",
        "birthdays": "on",
        "weekly": "on",
        "channels_birthdays": [str(team_channel.pk), "email"],
        "channels_weekly": ["email"],
    }
    response = manager_client.post(url, data)
    assert response.status_code == 302
    assert set(ChannelChoice.objects.filter(user=manager.user).values_list("kind", "channel")) >= {
        ("birthdays", team_channel.pk),
        ("birthdays", None),
        ("weekly", None),
    }
    # Another team's channel is refused with a message, nothing saved.
    data["channels_weekly"] = [str(other_team.pk)]
    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert not ChannelChoice.objects.filter(channel=other_team).exists()


def test_a_user_without_channels_sees_no_channel_choice(manager_client):
    page = manager_client.get(reverse("reminders:preferences"))
    assert "channels_birthdays" not in page.text


@override_settings(
    REMINDERS_WEBHOOK_ALLOW_HTTP=False, REMINDERS_WEBHOOK_HOSTS=["qyapi.weixin.qq.com"]
)
@pytest.mark.parametrize(
    "url",
    [
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send",
        "https://169.254.169.254/latest/meta-data",
        "https://qyapi.weixin.qq.com.evil.example/send",
        "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send",
        "file:///etc/passwd",
    ],
)
def test_only_https_to_the_allowed_hosts_is_ever_called(url):
    with pytest.raises(ValidationError):
        channels.check_url(url)
    with pytest.raises(ValidationError):
        services.save_channel(channel=Channel(name="x", kind="wecom", url=url), token="k")
    channels.check_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send")


def test_the_token_is_stored_encrypted_and_can_come_from_the_environment(robot, monkeypatch):
    channel = _wecom(robot)
    assert WECOM_KEY not in channel.token_encrypted
    assert crypto.decrypt(channel.token_encrypted) == WECOM_KEY
    monkeypatch.setenv("BRANCHDESK_TEST_ROBOT_KEY", "key-from-env")
    env_channel = services.save_channel(
        channel=Channel(
            name="env",
            kind=ChannelKind.WECOM,
            url=f"{robot.base}/cgi-bin/webhook/send",
            token_env="BRANCHDESK_TEST_ROBOT_KEY",
        )
    )
    channels.post(env_channel, subject="s", body="b")
    assert robot.requests[-1]["query"] == {"key": "key-from-env"}


def test_the_admin_never_shows_a_secret_in_full(robot, admin_client):
    add = reverse("admin:reminders_channel_add")
    response = admin_client.post(
        add,
        {
            "name": "钉钉群",
            "kind": "dingtalk",
            "url": f"{robot.base}/robot/send",
            "token": DINGTALK_TOKEN,
            "secret": DINGTALK_SECRET,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert crypto.decrypt(channel.secret_encrypted) == DINGTALK_SECRET
    pages = [
        admin_client.get(reverse("admin:reminders_channel_changelist")).text,
        admin_client.get(reverse("admin:reminders_channel_change", args=[channel.pk])).text,
    ]
    for text in pages:
        assert DINGTALK_TOKEN not in text and DINGTALK_SECRET not in text
        assert channel.token_encrypted not in text
        assert "••••cdef" in text
    # Saving the form again without typing the secrets keeps them.
    response = admin_client.post(
        reverse("admin:reminders_channel_change", args=[channel.pk]),
        {
            "name": "钉钉群2",
            "kind": "dingtalk",
            "url": f"{robot.base}/robot/send",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.name, crypto.decrypt(channel.token_encrypted)) == ("钉钉群2", DINGTALK_TOKEN)


def test_the_admin_refuses_another_host(admin_client):
    response = admin_client.post(
        reverse("admin:reminders_channel_add"),
        {"name": "x", "kind": "wecom", "url": "https://example.com/hook", "token": "k"},
    )
    assert response.status_code == 200
    assert not Channel.objects.exists()


def test_the_settings_page_lists_recent_messages_with_their_channel(robot, manager, manager_client):
    channel = _wecom(robot, user=UserFactory())  # someone else's robot: not offered to choose
    Notification.objects.create(
        kind=ReminderKind.WEEKLY,
        recipient=manager.user,
        channel=channel,
        dedupe_key="weekly:x@channel:1",
        subject="每周提醒",
        body_text="正文",
        language="zh-hans",
        status=Notification.Status.FAILED,
    )
    page = manager_client.get(reverse("reminders:preferences"))
    assert page.status_code == 200
    assert "每周提醒" in page.text and "周敏团队群" in page.text and "失败" in page.text
    assert 'name="channels_weekly"' not in page.text
