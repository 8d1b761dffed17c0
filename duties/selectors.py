"""Reads for the duties app. Every query starts from the user's scope."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from accounts.access import get_for_user, scoped
from accounts.models import AccountManager
from branches.models import Branch, Visit
from core.dates import month_bounds
from duties.models import (
    Attendance,
    AttendanceCorrection,
    BriefingDelivery,
    ChecklistItem,
    PolicyBriefing,
    TrainingSession,
)
from staff.models import BranchStaff

# People -----------------------------------------------------------------------------


def managers_for_user(user):
    """The account managers the user may see: themself, their team, or all for a superuser."""
    return scoped(
        AccountManager.objects.filter(is_active=True).select_related("user"), user, ""
    ).order_by("employee_number")


def get_manager_for_user(user, pk):
    return get_for_user(AccountManager.objects.select_related("user"), user, "", pk=pk)


# Checklists -------------------------------------------------------------------------


def checklist_for(manager, day):
    """Every item whose period contains ``day``: the day's, the week's and the month's."""
    return (
        ChecklistItem.objects.filter(manager=manager, date__lte=day, due_on__gte=day)
        .select_related("task__area", "branch__bank", "template")
        .order_by("task__area__order", "task__order", "branch__code", "pk")
    )


def _shown_items():
    return ChecklistItem.objects.select_related("task", "template", "branch__bank", "manager__user")


def get_item_for_user(user, pk):
    return _shown_items().get_for_user(user, pk=pk)


def own_item_query(user, pk):
    """The item ``pk`` if the user may change it (only the manager it belongs to ticks it):
    a queryset of that one item or of none (none is the 404), to be read together with
    other rows (core.batch)."""
    return _shown_items().for_user(user).filter(pk=pk, manager__user_id=user.pk)


def get_own_item(user, pk):
    """:func:`own_item_query`'s item, or 404."""
    return get_for_user(own_item_query(user, pk), user, None)


@dataclass(frozen=True)
class Completion:
    done: int
    total: int

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0


def weekly_completion(managers, monday):
    """{manager pk: Completion} for the items falling due in the week starting ``monday``.

    Daily and weekly items of the week count; a monthly item counts in the week it is due.
    """
    return weekly_completion_from(managers, weekly_completion_query(managers, monday))


def weekly_completion_query(managers, monday, by="manager_id"):
    """``weekly_completion``'s read, unevaluated; ``managers`` may be a queryset (a subquery);
    ``by``: what the items are counted per (a unit page's ``"manager__team_id"``)."""
    sunday = monday + datetime.timedelta(days=6)
    return (
        ChecklistItem.objects.filter(manager__in=managers, due_on__gte=monday, due_on__lte=sunday)
        # Meta.ordering's task and area: Django drops them from a grouped query's ORDER BY
        # but keeps their joins (a province's 2,600 items joined for nothing, issue 22).
        .order_by()
        .values(by)
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
    )


def weekly_completion_from(managers, rows):
    result = {row["manager_id"]: Completion(row["done"], row["total"]) for row in rows}
    return {manager.pk: result.get(manager.pk, Completion(0, 0)) for manager in managers}


def daily_completion(manager, monday):
    """[(day, Completion)] for the seven days of the week, counting items due that day."""
    sunday = monday + datetime.timedelta(days=6)
    rows = (
        ChecklistItem.objects.filter(manager=manager, due_on__gte=monday, due_on__lte=sunday)
        .order_by()  # no joins for Meta.ordering: see weekly_completion_query
        .values("due_on")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(done=True)))
    )
    by_day = {row["due_on"]: Completion(row["done"], row["total"]) for row in rows}
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    return [(day, by_day.get(day, Completion(0, 0))) for day in days]


# Trainings --------------------------------------------------------------------------


def trainings_for_user(user):
    return (
        TrainingSession.objects.for_user(user)
        .select_related("manager__user")
        .prefetch_related("branches__bank")
    )


def get_training_for_user(user, pk):
    return (
        TrainingSession.objects.select_related("manager__user")
        .prefetch_related("branches__bank", "attendees")
        .get_for_user(user, pk=pk)
    )


def own_active_branches(manager):
    return Branch.objects.filter(manager=manager, is_active=True).select_related("bank")


def own_active_staff(manager):
    return BranchStaff.objects.filter(
        branch__manager=manager, branch__is_active=True, is_active=True
    ).select_related("branch")


def own_recent_visits(manager, days=30):
    since = timezone.now() - datetime.timedelta(days=days)
    return Visit.objects.filter(manager=manager, visited_at__gte=since).select_related("branch")


# Briefings --------------------------------------------------------------------------


def active_briefings(day=None):
    return PolicyBriefing.objects.active_on(day or timezone.localdate())


def briefings_list():
    return PolicyBriefing.objects.all()


def get_briefing(pk):
    """Briefings are company-wide: every signed-in user may read them."""
    try:
        return PolicyBriefing.objects.get(pk=pk)
    except PolicyBriefing.DoesNotExist:
        raise Http404 from None


def deliveries_of(briefing, user):
    return (
        BriefingDelivery.objects.for_user(user)
        .filter(briefing=briefing)
        .select_related("branch__bank", "delivered_by__user")
    )


@dataclass
class CoverageRow:
    briefing: PolicyBriefing
    missing: list
    total: int

    @property
    def briefed(self):
        return self.total - len(self.missing)


def briefing_coverage(user, day=None):
    """For each active briefing, the user's visible active branches not yet briefed on it.

    Three queries whatever the number of briefings and branches.
    """
    briefings = list(active_briefings(day))
    branches = list(
        Branch.objects.for_user(user).filter(is_active=True).select_related("bank", "manager__user")
    )
    briefed = set(
        BriefingDelivery.objects.filter(
            briefing__in=[b.pk for b in briefings], branch__in=[b.pk for b in branches]
        ).values_list("briefing_id", "branch_id")
    )
    return [
        CoverageRow(
            briefing=briefing,
            missing=[branch for branch in branches if (briefing.pk, branch.pk) not in briefed],
            total=len(branches),
        )
        for briefing in briefings
    ]


# Attendance -------------------------------------------------------------------------


def attendance_of(manager, day):
    return Attendance.objects.filter(manager=manager, date=day).first()


# The summary's columns: days per status, then the working days no position backs.
SUMMARY_STATUSES = (
    Attendance.Status.FIELD,
    Attendance.Status.OFFICE,
    Attendance.Status.LEAVE,
    Attendance.Status.TRIP,
    Attendance.Status.ABSENT,
)


def monthly_attendance(user, month):
    """[(manager, [days per SUMMARY_STATUSES..., unverified days])] for the managers the
    user may see, in one aggregate. Unverified: a day in the office or the field that no
    check-in at the branch, precise 打卡 or approved correction backs."""
    first, last = month_bounds(month)
    managers = list(managers_for_user(user))
    rows = (
        Attendance.objects.filter(manager__in=managers, date__gte=first, date__lte=last)
        .values("manager_id", "status", "verified")
        .annotate(days=Count("pk"))
    )
    counts = {}
    for row in rows:
        mine = counts.setdefault(row["manager_id"], {})
        mine[row["status"]] = mine.get(row["status"], 0) + row["days"]
        if (
            row["status"] in (Attendance.Status.OFFICE, Attendance.Status.FIELD)
            and not (row["verified"])
        ):
            mine["unverified"] = mine.get("unverified", 0) + row["days"]
    return [
        (
            manager,
            [counts.get(manager.pk, {}).get(key, 0) for key in (*SUMMARY_STATUSES, "unverified")],
        )
        for manager in managers
    ]


def corrections_for_user(user):
    """Attendance corrections (补卡) the user may see: waiting ones first, newest first."""
    return (
        AttendanceCorrection.objects.for_user(user)
        .select_related("manager__user", "decided_by")
        .order_by("-requested_at", "-pk")
    )


def get_correction_for_user(user, pk):
    return AttendanceCorrection.objects.select_related("manager__user").get_for_user(user, pk=pk)


def attendance_days(manager, month):
    first, last = month_bounds(month)
    return Attendance.objects.filter(manager=manager, date__gte=first, date__lte=last).order_by(
        "date"
    )
