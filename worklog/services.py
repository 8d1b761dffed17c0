"""Writes for the work log. Views call these; they never save models themselves."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccountManager
from duties.services import tick_for_work_log
from worklog.models import WorkLog
from worklog.providers import entries_for


def _check(manager, day, user):
    if user.pk != manager.user_id:
        raise ValidationError(_("Only the manager writes their own work log."))
    if day > timezone.localdate():
        raise ValidationError({"date": _("A work log cannot be written for a future day.")})


def _open_log(manager, day):
    log, _created = WorkLog.objects.select_for_update().get_or_create(manager=manager, date=day)
    if log.is_submitted:
        raise ValidationError(_("This work log was submitted and can no longer be changed."))
    return log


@transaction.atomic
def save_draft(
    *,
    manager: AccountManager,
    day: datetime.date,
    notes: str,
    tomorrow_plan: str,
    user: AbstractBaseUser,
) -> WorkLog:
    """Keep the notes and tomorrow's plan without submitting.

    Rules: only the manager themself; not a future day; not after submission.
    """
    _check(manager, day, user)
    log = _open_log(manager, day)
    log.notes = notes.strip()
    log.tomorrow_plan = tomorrow_plan.strip()
    log.save(update_fields=["notes", "tomorrow_plan", "updated_at"])
    return log


@transaction.atomic
def submit(
    *,
    manager: AccountManager,
    day: datetime.date,
    notes: str,
    tomorrow_plan: str,
    user: AbstractBaseUser,
) -> WorkLog:
    """Submit the day's log in one tap: the notes, the plan and the day's records as they
    are now (every registered provider), then locked with the time of submission.

    Rules: only the manager themself; not a future day; once only. A log with no record
    and no note says nothing: it needs at least a note. Ticks the day's work-log checklist
    item (duties.services.tick_for_work_log).
    """
    _check(manager, day, user)
    log = _open_log(manager, day)
    entries = [entry.as_json() for entry in entries_for(manager, day)]
    notes = notes.strip()
    if not entries and not notes:
        raise ValidationError({"notes": _("Nothing happened today? Write what you did.")})
    log.notes = notes
    log.tomorrow_plan = tomorrow_plan.strip()
    log.entries = entries
    log.submitted_at = timezone.now()
    log.save()
    tick_for_work_log(manager=manager, day=day)
    return log
