"""Telling a department (契约 underwriting, 客服 customer service, 理赔 claims) that a case
was handed over to it, through its mailbox and/or group robot (DepartmentContact).

The service app sends ``case_handed_over`` inside the hand-over's transaction; the message is
queued with the hand-over event in its dedupe key, so each hand-over is told once (a
rolled-back hand-over tells nobody, a doubled signal finds the same rows).
"""

from django.conf import settings
from django.urls import reverse

from reminders.models import ReminderKind
from reminders.services import PlannedReminder, notify_department
from service.signals import case_handed_over


def connect_signals():
    case_handed_over.connect(_on_case_handed_over, dispatch_uid="reminders.department_handover")


def _on_case_handed_over(sender, case, event, **kwargs):
    tell_department(case=case, event=event)


def plan_handover(case, event):
    return PlannedReminder(
        kind=ReminderKind.DEPARTMENT_HANDOVER,
        recipient=None,
        dedupe_key=dedupe_key(event),
        template="reminders/email/department_handover",
        context={
            "case": case,
            "event": event,
            "manager": case.assigned_manager,
            "link": settings.SITE_URL.rstrip("/") + reverse("service:detail", args=[case.pk]),
        },
    )


def dedupe_key(event):
    return f"department-handover:{event.pk}"


def tell_department(*, case, event, enqueue=True):
    """Queue the hand-over message to the event's department. Returns the new rows."""
    return notify_department(
        department=event.department,
        dedupe_key=dedupe_key(event),
        planned=plan_handover(case, event),
        enqueue=enqueue,
    )
