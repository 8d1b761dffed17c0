"""Emails about abnormal events, fed by the branches app's signals:

- ``branches.signals.event_reported(sender=AbnormalEvent, event)``: the branch manager's
  supervisor is told at once (``event_reported:<event id>``, once per event);
- ``branches.signals.event_escalated(sender=AbnormalEvent, event, head)``: the head of the unit
  above is told that the event passed its response time (``event_escalated:<event id>``).

Both are sent inside the transaction that saved the event: the email is queued with it, and a
rolled-back report sends nothing. The description is free text a manager typed; phone and ID
numbers in it are masked before it goes into an email.
"""

import re

from branches.signals import event_escalated, event_reported
from core.validators import mask_phone
from reminders.models import ReminderKind
from reminders.services import PlannedReminder, queue_planned

# Mainland mobiles, and 15/18-character ID numbers, wherever they appear in the text.
_NUMBERS = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?![\dXx])")


def mask_numbers(text):
    """Free text with every mobile or ID number in it masked (138****5678)."""
    return _NUMBERS.sub(lambda match: mask_phone(match.group(0)), text or "")


def connect_signals():
    """Listen to branches' event signals (called from RemindersConfig.ready)."""
    event_reported.connect(_on_reported, dispatch_uid="reminders.event_reported")
    event_escalated.connect(_on_escalated, dispatch_uid="reminders.event_escalated")


def _on_reported(sender, event, **kwargs):
    planned = plan_reported(event)
    if planned is not None:
        queue_planned(planned_reminders=[planned])


def _on_escalated(sender, event, head, **kwargs):
    queue_planned(planned_reminders=[plan_escalated(event, head)])


def _context(event):
    return {
        "event": event,
        "branch": event.branch,
        "manager": event.branch.manager,
        "description": mask_numbers(event.description),
    }


def plan_reported(event):
    """The supervisor's email about a new event; None when there is no one else to tell
    (no supervisor, or the supervisor reported it themselves)."""
    supervisor = event.branch.manager.supervisor
    if supervisor is None or supervisor.pk == event.reported_by_id:
        return None
    return PlannedReminder(
        kind=ReminderKind.EVENT_REPORTED,
        recipient=supervisor,
        dedupe_key=f"event_reported:{event.pk}",
        template="reminders/email/event_reported",
        context=_context(event),
    )


def plan_escalated(event, head):
    return PlannedReminder(
        kind=ReminderKind.EVENT_ESCALATED,
        recipient=head,
        dedupe_key=f"event_escalated:{event.pk}",
        template="reminders/email/event_escalated",
        context=_context(event),
    )
