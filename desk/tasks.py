"""The monthly unit report by email (to each unit's head), and the unit pages' figures."""

import datetime

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import OrgUnit
from core.dates import first_working_day
from desk.services import refresh_team_figures
from desk.units import monthly_report
from reminders.models import ReminderKind
from reminders.services import preference_for, queue_to_user


def send_unit_reports(*, today: datetime.date, enqueue: bool = True) -> int:
    """Queue last month's report to the head of every unit, on the first working day only.

    Rule: sent once per unit and month (dedupe key ``unit-report:<unit>:<YYYY-MM>``), in the
    head's email language; other days queue nothing. Returns how many were newly queued.
    """
    if today != first_working_day(today):
        return 0
    month = today.replace(day=1) - datetime.timedelta(days=1)
    queued = 0
    units = OrgUnit.objects.exclude(head=None).exclude(head__email="").select_related("head")
    for unit in units.order_by("path"):
        language = preference_for(unit.head).language
        data = monthly_report(unit, month)
        link = settings.SITE_URL.rstrip("/") + reverse("desk:unit_report", args=[unit.pk])
        context = {**data, "link": f"{link}?month={data['first']:%Y-%m}", "recipient": unit.head}
        with translation.override(language):
            subject = " ".join(
                render_to_string("desk/email/unit_report_subject.txt", context).split()
            )
            body_text = render_to_string("desk/email/unit_report.txt", context)
            body_html = render_to_string("desk/email/unit_report.html", context)
        # On each channel the head chose for this kind (email unless they chose otherwise).
        created = queue_to_user(
            kind=ReminderKind.UNIT_REPORT,
            recipient=unit.head,
            dedupe_key=f"unit-report:{unit.pk}:{data['first']:%Y-%m}",
            subject=subject[:200],
            body_text=body_text,
            body_html=body_html,
            language=language,
            enqueue=enqueue,
        )
        queued += bool(created)
    return queued


@shared_task(name="desk.send_monthly_unit_reports", acks_late=True)
def send_monthly_unit_reports(date=None):
    """The daily 08:15 run; ``date`` (ISO) replays a given day, the dedupe key makes it safe."""
    today = datetime.date.fromisoformat(date) if date else timezone.localdate()
    return send_unit_reports(today=today)


@shared_task(name="desk.refresh_unit_figures", acks_late=True, ignore_result=True)
def refresh_unit_figures():
    """Every five minutes: the unit pages' stored figures, counted as of now. A doubled or
    retried run counts again and stores the same rows: it sends nothing."""
    refresh_team_figures()
