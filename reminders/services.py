"""Writes of the reminders app: the outbox, preferences, channels and the reminder runs.

Every message goes through the outbox (:class:`~reminders.models.Notification`). A reminder
is first *planned* (who gets what, under which dedupe key), then *queued* (rendered in the
recipient's language and saved once per dedupe key and channel: email, or each group robot
the recipient chose for that kind), then *delivered* by a Celery task that claims the row,
so that a doubled beat, a retried task or two workers send it only once. A channel that
still fails after the last retry falls back to email, once (the email's own dedupe key).
"""

import datetime
import logging
import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.validators import mask_personal_numbers
from reminders import channels, crypto
from reminders.models import (
    Channel,
    ChannelChoice,
    ChannelKind,
    DepartmentContact,
    Notification,
    ReminderKind,
    ReminderPreference,
)

if TYPE_CHECKING:
    from reminders.models import CalendarFeed

logger = logging.getLogger(__name__)

# Worth another try later: the mail server was down, slow or refused for now. Anything else
# (a malformed address, a bug) fails at once instead of retrying the same mistake.
# A group robot timing out or answering 5xx raises channels.ChannelUnavailable, an OSError.
RETRYABLE_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class PlannedReminder:
    """One email still to render: what a dry run prints and a real run queues."""

    kind: str
    recipient: object  # a User
    dedupe_key: str
    template: str  # e.g. "reminders/email/birthdays": _subject.txt, .txt and .html
    context: dict = field(default_factory=dict)

    def describe(self):
        user = self.recipient
        return f"{self.kind} → {user.get_username()} <{user.email}> [{self.dedupe_key}]"


def preference_for(user: AbstractBaseUser) -> ReminderPreference:
    """The user's preferences; an unsaved default (all on, Chinese) when they never chose."""
    try:
        return user.reminder_preference
    except ReminderPreference.DoesNotExist:
        return ReminderPreference(user=user, language=settings.LANGUAGE_CODE)


@transaction.atomic
def save_preference(
    *,
    user: AbstractBaseUser,
    language: str,
    channels_by_kind: dict[str, list[Channel | None]] | None = None,
    **kinds: bool,
) -> ReminderPreference:
    """Store the user's email language, their on/off switch for each reminder kind and, when
    given, where each kind goes (``None`` in a list: email; a Channel: that group robot).

    Rules: a user can only ever change their own rows (the user is never taken from input);
    a kind goes somewhere (an empty list means email) and only to channels available to
    the user (their own or their team's), else nothing is saved.
    """
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"language": language, **kinds}
    )
    if channels_by_kind:
        available = set(Channel.objects.available_to(user).values_list("pk", flat=True))
        for kind, targets in channels_by_kind.items():
            if kind not in ReminderKind.values:
                raise ValidationError(_("Unknown kind of message."))
            if any(t is not None and t.pk not in available for t in targets):
                raise ValidationError(_("Choose only channels of your own or of your team."))
            ChannelChoice.objects.filter(user=user, kind=kind).delete()
            ChannelChoice.objects.bulk_create(
                ChannelChoice(user=user, kind=kind, channel=target)
                for target in dict.fromkeys(targets or [None])
            )
    return preference


def targets_for(user: AbstractBaseUser, kind: str) -> list[Channel | None]:
    """Where the user wants this kind of message: ``None`` is email, a Channel a group robot.

    A kind without a choice, or whose chosen channels were all switched off, goes by email.
    """
    rows = ChannelChoice.objects.filter(user=user, kind=kind).select_related("channel")
    targets = [row.channel for row in rows if row.channel is None or row.channel.is_active]
    return targets or [None]


def channel_key(dedupe_key: str, channel: Channel | None) -> str:
    """A message's dedupe key on one channel: the key itself for email, plus the channel."""
    return dedupe_key if channel is None else f"{dedupe_key}@channel:{channel.pk}"


@transaction.atomic
def save_channel(
    *, channel: Channel, token: str | None = None, secret: str | None = None
) -> Channel:
    """Save a group-robot channel, encrypting a newly typed token or signing secret.

    Rules: the address must be https on an allowed webhook host (REMINDERS_WEBHOOK_HOSTS);
    a channel belongs to a user or a team; it needs a token, stored or from an environment
    variable. ``None`` (or an empty string) keeps what is stored; the stored value is never
    read back to a form.
    """
    errors = {}
    try:
        channels.check_url(channel.endpoint)
    except ValidationError as exc:
        errors["url"] = exc.messages
    if channel.user_id and channel.team_id:
        errors["team"] = [_("A channel belongs to a user or a team, not both.")]
    if token:
        channel.token_encrypted = crypto.encrypt(token.strip())
    if secret:
        channel.secret_encrypted = crypto.encrypt(secret.strip())
    if not (channel.token_encrypted or channel.token_env):
        errors["token_env"] = [_("Give the robot's key or token, or the variable that holds it.")]
    if channel.kind not in ChannelKind.values:
        errors["kind"] = [_("Choose WeCom or DingTalk.")]
    if errors:
        raise ValidationError(errors)
    channel.save()
    return channel


def render(planned: PlannedReminder, language: str) -> tuple[str, str, str]:
    """Subject, text and HTML of a planned reminder, rendered in ``language``."""
    context = {"recipient": planned.recipient, "site_url": settings.SITE_URL, **planned.context}
    with translation.override(language):
        subject = render_to_string(f"{planned.template}_subject.txt", context)
        text = render_to_string(f"{planned.template}.txt", context)
        html = render_to_string(f"{planned.template}.html", context)
    # A header must be one line.
    return " ".join(subject.split())[:200], text, html


def queue_notification(
    *,
    kind: str,
    recipient: AbstractBaseUser | None,
    dedupe_key: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str,
    enqueue: bool = True,
    channel: Channel | None = None,
    address: str = "",
) -> tuple[Notification, bool]:
    """Save the notification once per dedupe key and send it after the transaction commits.

    Rule: a dedupe key is sent at most once. Calling again with the same key returns the
    existing row and enqueues nothing, also when two processes race (the unique constraint
    decides; the loser reads the winner's row). Without a channel it is an email, to the
    recipient or to ``address``; with one it is posted to that group robot (give it a key
    of its own: ``channel_key``). No message carries a full mobile or ID number: any left
    in the subject or bodies (a note typed by a user) is masked here. Returns
    ``(notification, created)``.
    """
    subject, body_text, body_html = (
        mask_personal_numbers(subject),
        mask_personal_numbers(body_text),
        mask_personal_numbers(body_html),
    )
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                dedupe_key=dedupe_key,
                defaults={
                    "kind": kind,
                    "recipient": recipient,
                    "channel": channel,
                    "address": address,
                    "subject": subject,
                    "body_text": body_text,
                    "body_html": body_html,
                    "language": language,
                },
            )
    except IntegrityError:
        notification, created = Notification.objects.get(dedupe_key=dedupe_key), False
    if created and enqueue:
        from reminders.tasks import send_notification

        # A rolled-back transaction enqueues nothing; the worker never sees an unsaved row.
        # Robust: in the embedded (eager) mode a failing SMTP server must not break the
        # caller's request; the row stays in the outbox for the admin's "resend".
        transaction.on_commit(lambda: send_notification.delay(notification.pk), robust=True)
    return notification, created


def queue_to_user(
    *,
    kind: str,
    recipient: AbstractBaseUser,
    dedupe_key: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str,
    enqueue: bool = True,
) -> list[Notification]:
    """Queue one message to a user on each channel they chose for its kind (email when they
    chose none). Returns the new rows.

    Rule: one row per message and channel (``channel_key``), so each is sent once; no email
    row for a user without an address (a channel still gets the message).
    """
    created_rows = []
    for target in targets_for(recipient, kind):
        if target is None and not recipient.email:
            continue
        notification, created = queue_notification(
            kind=kind,
            recipient=recipient,
            dedupe_key=channel_key(dedupe_key, target),
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            language=language,
            enqueue=enqueue,
            channel=target,
        )
        if created:
            created_rows.append(notification)
    return created_rows


def queue_planned(
    *, planned_reminders: Iterable[PlannedReminder], enqueue: bool = True
) -> list[Notification]:
    """Render and queue each planned reminder the recipient wants. Returns the new rows.

    Rule: nothing is queued for a user who switched the kind off or is inactive; each
    message is rendered in its recipient's language and queued on each channel they chose.
    """
    created_rows = []
    for planned in planned_reminders:
        recipient = planned.recipient
        preference = preference_for(recipient)
        if not recipient.is_active or not preference.wants(planned.kind):
            continue
        subject, text, html = render(planned, preference.language)
        created_rows += queue_to_user(
            kind=planned.kind,
            recipient=recipient,
            dedupe_key=planned.dedupe_key,
            subject=subject,
            body_text=text,
            body_html=html,
            language=preference.language,
            enqueue=enqueue,
        )
    return created_rows


def notify_department(
    *, department: str, dedupe_key: str, planned: PlannedReminder, enqueue: bool = True
) -> list[Notification]:
    """Tell a department (契约, 客服, 理赔: no user of ours) through its mailbox and channel.

    Rule: one row per message and target under ``dedupe_key`` (so a hand-over is told
    once); nothing when the department has no contact configured. The channel row keeps
    the mailbox as its fallback address.
    """
    contact = (
        DepartmentContact.objects.select_related("channel").filter(department=department).first()
    )
    if contact is None:
        logger.info("No contact configured for department %s: nobody told", department)
        return []
    subject, text, html = render(planned, contact.language)
    targets = []
    if contact.email:
        targets.append(None)
    if contact.channel and contact.channel.is_active:
        targets.append(contact.channel)
    created_rows = []
    for target in targets:
        notification, created = queue_notification(
            kind=planned.kind,
            recipient=None,
            address=contact.email,
            dedupe_key=channel_key(dedupe_key, target),
            subject=subject,
            body_text=text,
            body_html=html,
            language=contact.language,
            enqueue=enqueue,
            channel=target,
        )
        if created:
            created_rows.append(notification)
    return created_rows


def deliver(*, notification_id: int, final_attempt: bool = True) -> str:
    """Send one queued notification (an email or a group-robot post), exactly once.

    Rule: the row is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and only a *queued*
    row is sent, so a second worker or a redelivered task finds nothing to do. On an error
    the attempt and the error are recorded; the caller retries unless this was the final
    attempt, in which case the row is marked failed and, for a channel, the message falls
    back to email (under the email's own key: sent once, and not at all when the user
    already gets this kind by email). Returns "sent", "skipped" or "failed"; re-raises the
    error when another attempt should follow.
    """
    error = None
    with transaction.atomic():
        notification = (
            # of=self: lock the notification only, not the recipient's user row.
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "channel")
            .filter(pk=notification_id, status=Notification.Status.QUEUED)
            .first()
        )
        if notification is None:
            return "skipped"
        notification.attempts += 1
        try:
            if notification.channel_id:
                channels.post(
                    notification.channel,
                    subject=notification.subject,
                    body=notification.body_text,
                )
            else:
                _send_email(notification)
        except Exception as exc:  # SMTP, socket, DNS: whatever the backend raises
            error = exc
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            final_attempt = final_attempt or not isinstance(exc, RETRYABLE_ERRORS)
            if final_attempt:
                notification.status = Notification.Status.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
        else:
            notification.status = Notification.Status.SENT
            notification.sent_at = timezone.now()
            notification.save(update_fields=["attempts", "status", "sent_at"])
            return "sent"
    if final_attempt:
        logger.error("Notification %s failed for good: %s", notification_id, error)
        if notification.channel_id:
            fall_back_to_email(notification=notification)
        return "failed"
    raise error


def fall_back_to_email(*, notification: Notification) -> Notification | None:
    """Queue the email a failed channel message falls back to, once.

    Rule: the email gets the message's own key (the channel's key less its suffix), so it
    is queued once however often the channel fails or is resent, and not at all when the
    recipient already gets this message by email; nothing without an address.
    """
    address = notification.email_address
    if not address:
        return None
    suffix = f"@channel:{notification.channel_id}"
    fallback, _created = queue_notification(
        kind=notification.kind,
        recipient=notification.recipient,
        address=notification.address,
        dedupe_key=notification.dedupe_key.removesuffix(suffix),
        subject=notification.subject,
        body_text=notification.body_text,
        body_html=notification.body_html,
        language=notification.language,
    )
    return fallback


def _send_email(notification):
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email_address],
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    message.send(fail_silently=False)


@transaction.atomic
def send_by_hand(*, notification: Notification) -> Notification:
    """Queue an email written in the admin (a one-off notice to one user).

    Rule: it gets a dedupe key of its own, so it never collides with a reminder, and is
    sent after commit like every other notification.
    """
    from reminders.tasks import send_notification

    notification.dedupe_key = f"by-hand:{uuid.uuid4().hex}"
    notification.status = Notification.Status.QUEUED
    notification.save()
    transaction.on_commit(lambda: send_notification.delay(notification.pk), robust=True)
    return notification


@transaction.atomic
def resend(*, notifications: Iterable[Notification]) -> int:
    """Put notifications back in the queue and send them again, e.g. from the admin.

    Rule: an explicit resend sends even a row already sent (the admin asked for it); the
    row keeps its dedupe key, its attempts and error are reset, and one send is enqueued
    after commit. Returns how many were requeued.
    """
    from reminders.tasks import send_notification

    ids = [n.pk for n in notifications]
    Notification.objects.filter(pk__in=ids).update(
        status=Notification.Status.QUEUED, attempts=0, last_error="", sent_at=None
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: send_notification.delay(pk), robust=True)
    return len(ids)


def requeue_stale(*, older_than_minutes: int = 15) -> int:
    """Enqueue again queued notifications whose task was lost (e.g. the broker was down).

    Safe to run any time: delivery claims the row and skips anything no longer queued.
    """
    from reminders.tasks import send_notification

    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    # Rows already attempted have a retry in flight (acks late): leave them to it.
    ids = list(
        Notification.objects.filter(
            status=Notification.Status.QUEUED, attempts=0, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        send_notification.delay(pk)
    return len(ids)


def calendar_feed_for(*, user: AbstractBaseUser) -> "CalendarFeed":
    """The user's calendar feed, created with a fresh token the first time it is asked for."""
    from reminders.models import CalendarFeed

    feed = CalendarFeed.objects.filter(user=user).first()
    return feed or rotate_calendar_token(user=user)


@transaction.atomic
def rotate_calendar_token(*, user: AbstractBaseUser) -> "CalendarFeed":
    """Give the user's calendar feed a new secret token; the old address answers 404 at once.

    The token is 256 random bits (URL-safe), the only credential the feed accepts.
    """
    import secrets

    from reminders.models import CalendarFeed

    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if not _created:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])
    return feed
