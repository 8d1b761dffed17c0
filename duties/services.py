"""Writes for the duties app. Views call these; they never save models themselves."""

import calendar
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import sees_team, visible_to
from accounts.models import AccountManager
from branches.models import Branch, Visit
from core import geo
from duties.models import (
    Attendance,
    AttendanceCorrection,
    BriefingDelivery,
    ChecklistItem,
    ChecklistTemplate,
    PolicyBriefing,
    TrainingSession,
)
from staff.models import BranchStaff

Fulfilment = ChecklistTemplate.Fulfilment
SIX = Decimal("0.000001")


def period_of(frequency: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the period (day, ISO week or month) that contains ``day``."""
    if frequency == ChecklistTemplate.Frequency.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if frequency == ChecklistTemplate.Frequency.MONTHLY:
        last = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last)
    return day, day


# Records of higher apps that serve a visit purpose without being a visit (a consultation day
# recorded by outreach). Each source is ``source(manager, first, last) -> iterable of
# (day, branch_id, purposes)``, one query; registered from the app's AppConfig.ready.
_purpose_sources = []


def register_purpose_source(source):
    """Count ``source``'s records like visits when a new checklist item is checked."""
    if source not in _purpose_sources:
        _purpose_sources.append(source)
    return source


def served(purposes):
    """The visit purposes a visit served: its own, and always relationship upkeep (拜访网点):
    a visit logged for a delivery or a collection is a visit to the branch all the same."""
    return {*purposes, Visit.Purpose.RELATIONSHIP}


class _Records:
    """The records that fulfil items, loaded once for the whole span being generated."""

    def __init__(self, manager, first, last):
        self.visits = [
            (timezone.localdate(visited_at), branch_id, purposes)
            for visited_at, branch_id, purposes in manager.visits.filter(
                visited_at__date__gte=first, visited_at__date__lte=last
            ).values_list("visited_at", "branch_id", "purposes")
        ]
        for source in _purpose_sources:
            self.visits.extend(source(manager, first, last))
        self.trainings = list(
            TrainingSession.branches.through.objects.filter(
                trainingsession__manager=manager,
                trainingsession__held_on__gte=first,
                trainingsession__held_on__lte=last,
            ).values_list("trainingsession__held_on", "branch_id")
        )
        self.briefings = list(
            manager.briefing_deliveries.filter(
                delivered_at__date__gte=first, delivered_at__date__lte=last
            ).values_list("delivered_at", "branch_id")
        )
        self.attendance = set(
            manager.attendance.filter(date__gte=first, date__lte=last)
            .exclude(status=Attendance.Status.ABSENT)
            .values_list("date", flat=True)
        )

    def fulfil(self, template, start, end, branch_id):
        def matches(day, branch):
            return start <= day <= end and (branch_id is None or branch == branch_id)

        if template.fulfilment == Fulfilment.VISIT:
            return any(
                matches(day, branch) and template.visit_purpose in served(purposes)
                for day, branch, purposes in self.visits
            )
        if template.fulfilment == Fulfilment.BRIEFING:
            return any(matches(timezone.localdate(at), branch) for at, branch in self.briefings)
        if template.fulfilment == Fulfilment.TRAINING:
            return any(matches(day, branch) for day, branch in self.trainings)
        if template.fulfilment == Fulfilment.ATTENDANCE:
            return any(start <= day <= end for day in self.attendance)
        return False


def generate_checklist(
    *,
    manager: AccountManager,
    day: datetime.date | None = None,
    branches: list[tuple[int, str]] | None = None,
    read: tuple[list, list] | None = None,
) -> int:
    """Create the checklist items due for ``manager`` on ``day`` (today by default).

    Rules: every active template of an active task yields one item per period (the day,
    the ISO week or the month containing ``day``); a template with a branch tier or the
    per-branch flag yields one item per active branch of the manager (of that tier).
    Running it again creates nothing new, and a past day is left as it was: nothing is
    created for it. A new item that a record in its period already fulfils starts ticked.
    Returns the number of items created. ``branches``: the manager's active branches as
    (id, tier), when the caller has read them already (the home page's planner); ``read``:
    the rows of :func:`checklist_queries` for the manager and ``day``, read already.

    No transaction of its own: the only write is one ``bulk_create`` (one statement, and
    conflicts ignored), so opening the home page, which calls this every time, costs no
    BEGIN/COMMIT once the day's items exist.
    """
    day = day or timezone.localdate()
    if day < timezone.localdate():
        return 0
    return _create_items(manager, day, branches, read)


def _templates():
    return ChecklistTemplate.objects.filter(is_active=True, task__is_active=True).select_related(
        "task"
    )


def _existing(manager, starts):
    return ChecklistItem.objects.filter(manager=manager, date__in=starts).values_list(
        "date", "task_id", "branch_id"
    )


def checklist_queries(manager, day):
    """``generate_checklist``'s reads for ``manager`` (an id, or a core.prepared placeholder
    for it) on ``day``, unevaluated: [active templates, the manager's items starting on any
    period start of ``day``] (the day, its week's Monday, its month's first: every start a
    template can give, so the items the generation looks for are among them)."""
    starts = sorted({period_of(frequency, day)[0] for frequency in ChecklistTemplate.Frequency})
    return [_templates(), _existing(manager, starts)]


def _create_items(manager, day, branches=None, read=None):
    # Without the past-day guard: seed_demo fills in a week that has already gone by.
    templates = list(_templates()) if read is None else read[0]
    if not templates:
        return 0
    if branches is None:
        branches = list(
            Branch.objects.filter(manager=manager, is_active=True).values_list("pk", "tier")
        )
    wanted = {}
    for template in templates:
        start, end = period_of(template.frequency, day)
        if template.is_per_branch:
            targets = [
                pk
                for pk, tier in branches
                if not template.branch_tier or tier == template.branch_tier
            ]
        else:
            targets = [None]
        for branch_id in targets:
            # Two templates for the same task and period make one item; the first wins.
            wanted.setdefault((start, template.task_id, branch_id), (end, template))
    starts = {key[0] for key in wanted}
    if read is None:
        existing = set(_existing(manager, starts))
    else:
        existing = {row for row in read[1] if row[0] in starts}
    missing = {key: value for key, value in wanted.items() if key not in existing}
    if not missing:
        return 0
    records = _Records(
        manager, min(key[0] for key in missing), max(end for end, _t in missing.values())
    )
    now = timezone.now()
    new_items = []
    for (start, task_id, branch_id), (end, template) in missing.items():
        done = records.fulfil(template, start, end, branch_id)
        new_items.append(
            ChecklistItem(
                manager=manager,
                date=start,
                due_on=end,
                task_id=task_id,
                template=template,
                branch_id=branch_id,
                done=done,
                done_at=now if done else None,
                done_by=ChecklistItem.TickedBy.AUTO if done else "",
            )
        )
    # ignore_conflicts: two requests opening the checklist at once must not fail.
    ChecklistItem.objects.bulk_create(new_items, ignore_conflicts=True)
    return len(new_items)


def _tick_auto(items):
    return items.filter(done=False).update(
        done=True, done_at=timezone.now(), done_by=ChecklistItem.TickedBy.AUTO
    )


def _open_items(manager, day, fulfilment):
    """Items whose period contains ``day`` and is not over yet: past checklists are frozen,
    so a record entered late for a closed day or week ticks nothing there."""
    return ChecklistItem.objects.filter(
        manager=manager,
        date__lte=day,
        due_on__gte=max(day, timezone.localdate()),
        template__fulfilment=fulfilment,
    )


def _visit_items(visit):
    """The open visit items ``visit`` fulfils: its manager's whose purpose it served, at its
    branch (or not tied to a branch), in the periods containing the visit's day."""
    day = timezone.localtime(visit.visited_at).date()
    return _open_items(visit.manager, day, Fulfilment.VISIT).filter(
        Q(branch=visit.branch_id) | Q(branch__isnull=True),
        template__visit_purpose__in=served(visit.purposes),
    )


@transaction.atomic(savepoint=False)  # inside log_visit's transaction: one with the visit
def record_visit_duties(*, visit: Visit) -> None:
    """What a logged visit does to its manager's duties (runs on every visit, the
    ``visit_logged`` receiver): its check-in makes the day's attendance
    (:func:`attendance_from_visit`), and it ticks the open visit items it fulfils
    (``_visit_items``) and the day's attendance item (as :func:`tick_for_attendance`) in
    one update."""
    attendance = attendance_from_visit(visit=visit)
    _tick_auto(_visit_items(visit) | _attendance_items(attendance))


def tick_for_briefing(*, delivery: BriefingDelivery) -> int:
    """A briefing passed on ticks its manager's briefing items (宣导公司政策) for that branch
    (or for no branch) in the periods containing the day it was passed on."""
    day = timezone.localtime(delivery.delivered_at).date()
    items = _open_items(delivery.delivered_by, day, Fulfilment.BRIEFING).filter(
        Q(branch=delivery.branch_id) | Q(branch__isnull=True)
    )
    return _tick_auto(items)


def tick_for_purpose(
    *, manager: AccountManager, day: datetime.date, branch_ids: Iterable[int], purpose: str
) -> int:
    """A record that served a visit purpose without being a visit (a consultation day held
    at branches) ticks the manager's open visit items for that purpose, at one of its
    branches or not tied to a branch, in the periods containing ``day`` — as a visit would."""
    items = _open_items(manager, day, Fulfilment.VISIT).filter(
        Q(branch__in=list(branch_ids)) | Q(branch__isnull=True), template__visit_purpose=purpose
    )
    return _tick_auto(items)


def tick_for_training(*, training: TrainingSession) -> int:
    """A training ticks its manager's training items for its branches (or for no branch)."""
    items = _open_items(training.manager, training.held_on, Fulfilment.TRAINING).filter(
        Q(branch__in=training.branches.all()) | Q(branch__isnull=True)
    )
    return _tick_auto(items)


def _attendance_items(attendance):
    """The open attendance items ``attendance`` fulfils (:func:`tick_for_attendance`)."""
    if attendance is None or attendance.status == Attendance.Status.ABSENT:
        return ChecklistItem.objects.none()
    return _open_items(attendance.manager_id, attendance.date, Fulfilment.ATTENDANCE)


def tick_for_attendance(*, attendance: Attendance) -> int:
    """Recording a day's attendance (any status but absent) ticks that day's attendance item."""
    return _tick_auto(_attendance_items(attendance))


def tick_for_work_log(*, manager: AccountManager, day: datetime.date) -> int:
    """A submitted work log (worklog.services.submit) ticks that day's work-log items.

    Today's checklist is generated first, so a log submitted before the checklist was
    opened still ticks its item; a past day's checklist stays as it was.
    """
    if day == timezone.localdate():
        generate_checklist(manager=manager, day=day)
    return _tick_auto(_open_items(manager, day, Fulfilment.WORK_LOG))


@transaction.atomic
def tick_item(*, item: ChecklistItem, note: str = "") -> ChecklistItem:
    """Tick a checklist item by hand.

    Rules: an item whose period is over stays as it was; an item normally ticked by a
    record (a visit, a training, attendance) needs a note saying why it is done without
    one; an item already done is left alone.
    """
    note = note.strip()
    if item.done:
        raise ValidationError(_("This item is already done."))
    if item.due_on < timezone.localdate():
        raise ValidationError(_("This item's period is over; past checklists stay as they were."))
    template = item.template
    if template and template.fulfilment != Fulfilment.MANUAL and not note:
        raise ValidationError(
            {"note": _("Say why this is done without a record (a visit, training, attendance).")}
        )
    item.done = True
    item.done_at = timezone.now()
    item.done_by = ChecklistItem.TickedBy.HAND
    item.note = note
    item.save(update_fields=["done", "done_at", "done_by", "note"])
    return item


@transaction.atomic
def record_training(
    *,
    manager: AccountManager,
    kind: str,
    branches: Iterable[Branch],
    topics: Sequence[str],
    duration_minutes: int,
    held_on: datetime.date | None = None,
    trainer_kind: str = TrainingSession.Trainer.MANAGER,
    trainer_name: str = "",
    attendees: Iterable[BranchStaff] = (),
    head_count: int = 0,
    feedback: str = "",
) -> TrainingSession:
    """Record a training session and tick the training items it fulfils.

    Rules: at least one branch, all of them the manager's; training at a branch and daily
    coaching happen at exactly one branch (only centralised training gathers several); not
    in the future; at least one topic; a positive duration; the named attendees work at
    those branches and the head count is at least their number; a lecturer or "other"
    trainer needs a name.
    """
    held_on = held_on or timezone.localdate()
    branches = list(branches)
    attendees = list(attendees)
    errors = {}
    if not branches:
        errors["branches"] = _("Choose at least one branch.")
    elif any(branch.manager_id != manager.pk for branch in branches):
        errors["branches"] = _("You can only record trainings at your own branches.")
    elif kind != TrainingSession.Kind.CENTRALISED and len(branches) != 1:
        errors["branches"] = _("Only a centralised training can cover several branches.")
    if kind not in TrainingSession.Kind.values:
        errors["kind"] = _("Unknown kind of training.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("A training cannot be in the future.")
    valid_topics = set(TrainingSession.Topic.values)
    if not topics:
        errors["topics"] = _("Choose at least one topic.")
    elif any(topic not in valid_topics for topic in topics):
        errors["topics"] = _("Unknown topic.")
    if not duration_minutes or duration_minutes <= 0:
        errors["duration_minutes"] = _("The duration must be more than zero minutes.")
    branch_ids = {branch.pk for branch in branches}
    if any(person.branch_id not in branch_ids for person in attendees):
        errors["attendees"] = _("Attendees must work at one of the training's branches.")
    if head_count is None or head_count < len(attendees):
        errors["head_count"] = _("The head count cannot be less than the named attendees.")
    if trainer_kind != TrainingSession.Trainer.MANAGER and not trainer_name.strip():
        errors["trainer_name"] = _("Give the trainer's name.")
    if errors:
        raise ValidationError(errors)
    training = TrainingSession.objects.create(
        manager=manager,
        kind=kind,
        trainer_kind=trainer_kind,
        trainer_name=trainer_name.strip(),
        topics=list(topics),
        held_on=held_on,
        duration_minutes=duration_minutes,
        head_count=head_count,
        feedback=feedback,
    )
    training.branches.set(branches)
    if attendees:
        training.attendees.set(attendees)
    tick_for_training(training=training)
    return training


@transaction.atomic
def record_delivery(
    *,
    briefing: PolicyBriefing,
    branch: Branch,
    manager: AccountManager,
    delivered_at: datetime.datetime | None = None,
    staff_briefed: Iterable[BranchStaff] = (),
    visit: Visit | None = None,
    note: str = "",
) -> BriefingDelivery:
    """Record that a briefing was passed on at a branch.

    Rules: only at the manager's own branch; the briefing must be valid on the day of
    delivery; not in the future; the staff briefed work at that branch; the visit, if
    given, was to that branch.
    """
    delivered_at = delivered_at or timezone.now()
    staff_briefed = list(staff_briefed)
    day = timezone.localtime(delivered_at).date()
    errors = {}
    if branch.manager_id != manager.pk:
        errors["branch"] = _("You can only brief your own branches.")
    if delivered_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["delivered_at"] = _("A delivery cannot be in the future.")
    elif not PolicyBriefing.objects.active_on(day).filter(pk=briefing.pk).exists():
        errors["delivered_at"] = _("The briefing was not valid on that day.")
    if any(person.branch_id != branch.pk for person in staff_briefed):
        errors["staff_briefed"] = _("Only staff of this branch can be briefed here.")
    if visit is not None and visit.branch_id != branch.pk:
        errors["visit"] = _("The visit was to another branch.")
    if errors:
        raise ValidationError(errors)
    delivery = BriefingDelivery.objects.create(
        briefing=briefing,
        branch=branch,
        delivered_at=delivered_at,
        delivered_by=manager,
        visit=visit,
        note=note,
    )
    if staff_briefed:
        delivery.staff_briefed.set(staff_briefed)
    tick_for_briefing(delivery=delivery)
    return delivery


def _check_in_time(moment: datetime.datetime) -> datetime.time:
    return timezone.localtime(moment).time().replace(second=0, microsecond=0)


@transaction.atomic(savepoint=False)  # inside log_visit's transaction: one with the visit
def attendance_from_visit(*, visit: Visit) -> Attendance | None:
    """The day's first visit check-in makes it a day in the field (runs on every visit,
    through :func:`record_visit_duties`, which ticks the day's attendance item).

    Rules: only a visit with a check-in counts, on the local day of the check-in (not of
    the typed visit time). A day already in the office becomes a day in the field and keeps
    its earlier check-in time; a day of leave, business trip or absence (approved) stays as
    it is. The day is verified once any check-in of it was at the branch (location "ok").
    """
    if visit.checked_in_at is None:
        return None
    day = timezone.localdate(visit.checked_in_at)
    at_branch = visit.location_status == Visit.LocationStatus.OK
    attendance = Attendance.objects.select_for_update().filter(manager=visit.manager, date=day)
    attendance = attendance.first()
    if attendance is None:
        attendance = Attendance.objects.create(
            manager=visit.manager,
            date=day,
            status=Attendance.Status.FIELD,
            check_in_at=_check_in_time(visit.checked_in_at),
            source=Attendance.Source.VISIT,
            verified=at_branch,
            visit=visit,
            latitude=visit.checkin_latitude,
            longitude=visit.checkin_longitude,
            accuracy_m=visit.checkin_accuracy_m,
        )
    elif attendance.is_working:
        attendance.status = Attendance.Status.FIELD
        attendance.verified = attendance.verified or at_branch
        if attendance.visit_id is None:
            attendance.visit = visit
        attendance.save(update_fields=["status", "verified", "visit"])
    return attendance


@transaction.atomic
def punch(
    *,
    manager: AccountManager,
    latitude: float | None = None,
    longitude: float | None = None,
    accuracy_m: float | None = None,
) -> Attendance:
    """打卡: check in for today, now, with the phone's position (a day in the office).

    Rules: only today and only once (the first check-in of the day is the one that
    counts; a day already checked in by a visit keeps it); the time is the server's, never
    typed. A refused position still records the day, unverified; a position precise to the
    configured accuracy verifies it.
    """
    now = timezone.now()
    day = timezone.localdate(now)
    existing = Attendance.objects.select_for_update().filter(manager=manager, date=day).first()
    if existing is not None:
        if existing.check_in_at:
            raise ValidationError(
                _("You already checked in today at %(time)s.")
                % {"time": existing.check_in_at.strftime("%H:%M")}
            )
        raise ValidationError(
            _("Today is already recorded as: %(status)s.")
            % {"status": existing.get_status_display()}
        )
    position = None
    if latitude is not None or longitude is not None:
        if not geo.valid_position(latitude, longitude) or (
            accuracy_m is not None and accuracy_m < 0
        ):
            raise ValidationError(_("The position sent by the phone is not valid."))
        position = (Decimal(str(latitude)).quantize(SIX), Decimal(str(longitude)).quantize(SIX))
    accuracy = round(accuracy_m) if position and accuracy_m is not None else None
    attendance = Attendance.objects.create(
        manager=manager,
        date=day,
        status=Attendance.Status.OFFICE,
        check_in_at=_check_in_time(now),
        source=Attendance.Source.PUNCH,
        verified=accuracy is not None and accuracy <= settings.BRANCHDESK_CHECKIN_MAX_ACCURACY_M,
        latitude=position[0] if position else None,
        longitude=position[1] if position else None,
        accuracy_m=accuracy,
        recorded_by=manager.user,
    )
    tick_for_attendance(attendance=attendance)
    return attendance


@transaction.atomic
def request_correction(
    *,
    manager: AccountManager,
    requested_by: AbstractBaseUser,
    date: datetime.date,
    status: str,
    reason: str,
    check_in_at: datetime.time | None = None,
) -> AttendanceCorrection:
    """补卡: ask the supervisor to correct a day's attendance.

    Rules: a manager asks for their own days only; not for a future day, except leave or a
    business trip planned ahead; a day in the office or in the field needs the check-in
    time, leave, a trip or absence has none; a reason is required; one request per day
    waits at a time.
    """
    reason = reason.strip()
    errors = {}
    if requested_by.pk != manager.user_id:
        errors["__all__"] = _("Managers ask for corrections of their own attendance only.")
    if status not in Attendance.Status.values:
        errors["status"] = _("Unknown attendance status.")
    working = status in (Attendance.Status.OFFICE, Attendance.Status.FIELD)
    ahead = status in (Attendance.Status.LEAVE, Attendance.Status.TRIP)
    if date > timezone.localdate() and not ahead:
        errors["date"] = _("Only leave or a business trip can be asked for ahead.")
    if working and check_in_at is None:
        errors["check_in_at"] = _("Give the time you started work that day.")
    if check_in_at is not None and not working:
        errors["check_in_at"] = _("Only a day in the office or in the field has a check-in time.")
    if not reason:
        errors["reason"] = _("Say why the day needs correcting.")
    if (
        not errors
        and AttendanceCorrection.objects.filter(
            manager=manager, date=date, state=AttendanceCorrection.State.PENDING
        ).exists()
    ):
        errors["date"] = _("A correction for this day is already waiting for approval.")
    if errors:
        raise ValidationError(errors)
    return AttendanceCorrection.objects.create(
        manager=manager,
        date=date,
        status=status,
        check_in_at=check_in_at,
        reason=reason,
        requested_by=requested_by,
    )


@transaction.atomic
def decide_correction(
    *,
    correction: AttendanceCorrection,
    decided_by: AbstractBaseUser,
    approve: bool,
    note: str = "",
) -> AttendanceCorrection:
    """Approve or reject a correction (补卡).

    Rules: only a waiting request; only a supervisor (or superuser) who sees the manager
    decides, and never on a request of their own or about their own attendance. Approval
    replaces the day's attendance (what it said before is kept on the request) with the
    requested status and time, verified by the approval; rejection leaves the day alone.
    """
    correction = AttendanceCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.state != AttendanceCorrection.State.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if decided_by.pk in (correction.requested_by_id, correction.manager.user_id):
        raise ValidationError(_("Nobody approves their own attendance."))
    if (
        not sees_team(decided_by)
        or not AccountManager.objects.filter(
            visible_to(decided_by, ""), pk=correction.manager_id
        ).exists()
    ):
        raise ValidationError(_("Only the manager's supervisor decides on this request."))
    now = timezone.now()
    correction.state = (
        AttendanceCorrection.State.APPROVED if approve else AttendanceCorrection.State.REJECTED
    )
    correction.decided_by = decided_by
    correction.decided_at = now
    correction.decision_note = note.strip()[:200]
    if approve:
        current = Attendance.objects.filter(
            manager=correction.manager, date=correction.date
        ).first()
        if current is not None:
            correction.previous = {
                "status": current.status,
                "check_in_at": current.check_in_at.strftime("%H:%M") if current.check_in_at else "",
                "source": current.source,
            }
        attendance, _created = Attendance.objects.update_or_create(
            manager=correction.manager,
            date=correction.date,
            defaults={
                "status": correction.status,
                "check_in_at": correction.check_in_at,
                "source": Attendance.Source.CORRECTION,
                "verified": True,
                "note": correction.reason[:200],
                "recorded_by": decided_by,
            },
        )
        tick_for_attendance(attendance=attendance)
    correction.save()
    return correction
