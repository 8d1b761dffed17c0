"""Writes of the reminders app: the outbox, preferences and the reminder runs.

Every email goes through the outbox (:class:`~reminders.models.Notification`). A reminder is
first *planned* (who gets what, under which dedupe key), then *queued* (rendered in the
recipient's language and saved once per dedupe key), then *delivered* by a Celery task that
claims the row, so that a doubled beat, a retried task or two workers send it only once.
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
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reminders.models import Notification, ReminderPreference

if TYPE_CHECKING:
    from reminders.models import CalendarFeed

logger = logging.getLogger(__name__)

# Worth another try later: the mail server was down, slow or refused for now. Anything else
# (a malformed address, a bug) fails at once instead of retrying the same mistake.
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
def save_preference(*, user: AbstractBaseUser, language: str, **kinds: bool) -> ReminderPreference:
    """Store the user's email language and their on/off switch for each reminder kind.

    Rule: a user can only ever change their own row (the user is never taken from input).
    """
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"language": language, **kinds}
    )
    return preference


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
    recipient: AbstractBaseUser,
    dedupe_key: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str,
    enqueue: bool = True,
) -> tuple[Notification, bool]:
    """Save the notification once per dedupe key and send it after the transaction commits.

    Rule: a dedupe key is sent at most once. Calling again with the same key returns the
    existing row and enqueues nothing, also when two processes race (the unique constraint
    decides; the loser reads the winner's row). Returns ``(notification, created)``.
    """
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                dedupe_key=dedupe_key,
                defaults={
                    "kind": kind,
                    "recipient": recipient,
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


def queue_planned(
    *, planned_reminders: Iterable[PlannedReminder], enqueue: bool = True
) -> list[Notification]:
    """Render and queue each planned reminder the recipient wants. Returns the new rows.

    Rule: nothing is queued for a user who switched the kind off or has no email address;
    each email is rendered in its recipient's language.
    """
    created_rows = []
    for planned in planned_reminders:
        recipient = planned.recipient
        preference = preference_for(recipient)
        if not recipient.email or not recipient.is_active or not preference.wants(planned.kind):
            continue
        subject, text, html = render(planned, preference.language)
        notification, created = queue_notification(
            kind=planned.kind,
            recipient=recipient,
            dedupe_key=planned.dedupe_key,
            subject=subject,
            body_text=text,
            body_html=html,
            language=preference.language,
            enqueue=enqueue,
        )
        if created:
            created_rows.append(notification)
    return created_rows


def deliver(*, notification_id: int, final_attempt: bool = True) -> str:
    """Send one queued notification, exactly once.

    Rule: the row is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and only a *queued*
    row is sent, so a second worker or a redelivered task finds nothing to do. On an error
    the attempt and the error are recorded; the caller retries unless this was the final
    attempt, in which case the row is marked failed. Returns "sent", "skipped" or "failed";
    re-raises the error when another attempt should follow.
    """
    error = None
    with transaction.atomic():
        notification = (
            # of=self: lock the notification only, not the recipient's user row.
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, status=Notification.Status.QUEUED)
            .first()
        )
        if notification is None:
            return "skipped"
        notification.attempts += 1
        try:
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
        return "failed"
    raise error


def _send_email(notification):
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
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
