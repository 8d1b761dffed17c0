"""Writes for the branches app. Views call these; they never save models themselves."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import scoped, sees_team
from accounts.models import AccountManager
from branches.models import (
    OPEN_UNANSWERED,
    AbnormalEvent,
    Branch,
    CompetitorPresence,
    DepositSnapshot,
    EventAction,
    EventResponseTime,
    ImportJob,
    PlanTarget,
    Visit,
    VisitChange,
    VisitDay,
)
from branches.selectors import latest_planned_visit, latest_visit_value
from branches.signals import event_escalated, event_reported, visit_logged
from core import geo
from core.lists import join_list

EARLIEST_VISIT_YEAR = 2000


def log_visit(
    *,
    branch: Branch,
    manager: AccountManager,
    purposes: Sequence[str],
    visited_at: datetime.datetime | None = None,
    staff_met: Iterable[Any] = (),
    summary: str = "",
    next_steps: str = "",
    next_visit_on: datetime.date | None = None,
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    accuracy_m: float | None = None,
) -> Visit:
    """Record a visit to a branch, with its check-in.

    Rules: a visit cannot be in the future, nor before 2000 (an impossible year from a
    phone's date field would overflow the time-zone arithmetic); it needs at least one purpose from
    Visit.Purpose; the staff met must work at that branch; the next visit, if planned, is on
    or after the visit's day. The branch's ``last_visit_at`` and ``planned_visit_on`` move
    to this visit unless a later one is recorded (:func:`note_new_visit`: a late-logged old
    visit does not hide a newer one). Receivers of ``visit_logged`` run in the same
    transaction. A refusal (ValidationError) comes before any write, outside the
    transaction.

    Check-in: the visit is checked in now, at the position the phone gave (or none: a
    refused or failed location still logs the visit, marked "no location"). The distance
    to the branch and the location status come from core.geo.judge_checkin with the
    configured radius and accuracy; a far check-in is flagged, never refused.
    """
    visited_at = visited_at or timezone.now()
    errors = {}
    if visited_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["visited_at"] = _("A visit cannot be in the future.")
    elif visited_at.year < EARLIEST_VISIT_YEAR:
        errors["visited_at"] = _("A visit cannot be dated before %(year)s.") % {
            "year": EARLIEST_VISIT_YEAR
        }
    valid = set(Visit.Purpose.values)
    if not purposes:
        errors["purposes"] = _("Choose at least one purpose.")
    elif any(purpose not in valid for purpose in purposes):
        errors["purposes"] = _("Unknown visit purpose.")
    staff_met = list(staff_met)
    if any(person.branch_id != branch.pk for person in staff_met):
        errors["staff_met"] = _("Only staff of this branch can be met during this visit.")
    if next_visit_on and next_visit_on < timezone.localtime(visited_at).date():
        errors["next_visit_on"] = _("The next visit must be on or after this visit.")
    position = None
    if latitude is not None or longitude is not None:
        if not geo.valid_position(latitude, longitude):
            errors["__all__"] = _("The position sent by the phone is not valid.")
        else:
            position = (Decimal(str(latitude)), Decimal(str(longitude)))
    if accuracy_m is not None and accuracy_m < 0:
        errors["__all__"] = _("The position sent by the phone is not valid.")
    if errors:
        raise ValidationError(errors)

    checkin = _judge(branch, position, accuracy_m)
    # Inside a caller's transaction (a delivery that logs its visit, a phone's sync) the
    # writes join it without a savepoint of their own, two statements each time: nothing
    # here refuses once writing has begun, and an error then fails the caller's whole
    # transaction, as it should.
    with transaction.atomic(savepoint=False):
        visit = Visit.objects.create(
            branch=branch,
            manager=manager,
            visited_at=visited_at,
            purposes=list(purposes),
            summary=summary,
            next_steps=next_steps,
            next_visit_on=next_visit_on,
            checked_in_at=timezone.now(),
            **checkin,
        )
        if staff_met:
            # A new visit meets nobody yet: add, not set (no read of who it met).
            visit.staff_met.add(*staff_met)
        # The branch's last visit and planned visit moved on when the visit was saved
        # (branches.signals: note_new_visit), whoever saves one.
        visit_logged.send(sender=Visit, visit=visit)
    return visit


def _judge(branch, position, accuracy_m):
    """The check-in fields of a visit at ``branch`` from ``position`` (or None)."""
    accuracy = None if position is None or accuracy_m is None else round(accuracy_m)
    status, distance = geo.judge_checkin(
        position=position,
        accuracy_m=accuracy,
        branch_position=branch.position,
        radius_m=settings.BRANCHDESK_CHECKIN_RADIUS_M,
        max_accuracy_m=settings.BRANCHDESK_CHECKIN_MAX_ACCURACY_M,
    )
    return {
        "checkin_latitude": position[0].quantize(Decimal("0.000001")) if position else None,
        "checkin_longitude": position[1].quantize(Decimal("0.000001")) if position else None,
        "checkin_accuracy_m": accuracy,
        "distance_m": distance,
        "location_status": status,
    }


# --- The branch's latest visit (Branch.last_visit_at, planned_visit_on), kept in step -------


def note_new_visit(*, visit: Visit) -> None:
    """A new visit becomes its branch's latest unless a later one is recorded.

    Rule: the branch's ``last_visit_at`` and ``planned_visit_on`` become the visit's time and
    next visit when the stored time is empty or not after the visit's (an equal time: the
    new visit has the higher id, and the id breaks ties, as in
    ``branches.selectors.latest_visit_value``). One conditional UPDATE: two visits saved at
    once cannot move the branch back, because PostgreSQL checks the condition again on the
    row the other transaction committed. Called for every new visit (branches.signals).
    """
    Branch.objects.filter(pk=visit.branch_id).filter(
        Q(last_visit_at__isnull=True) | Q(last_visit_at__lte=visit.visited_at)
    ).update(last_visit_at=visit.visited_at, planned_visit_on=visit.next_visit_on)


def refresh_latest_visit(*, branch_ids: Iterable[int]) -> None:
    """Read the branches' latest visit again, after a visit was changed, moved or deleted.

    Rule: ``last_visit_at`` and ``planned_visit_on`` are the latest visit's (None without
    visits). The branches are locked first, in a statement of their own, so that the
    reading statement sees every visit committed before it: a visit logged at the same
    moment either waits for this transaction or is seen by it.
    """
    ids = sorted({pk for pk in branch_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic(using=router.db_for_write(Branch)):
        branches = Branch.objects.filter(pk__in=ids)
        list(branches.select_for_update().order_by("pk").values_list("pk", flat=True))
        set_latest_visits(branches=branches)


def set_latest_visits(*, branches: QuerySet) -> int:
    """Set each branch's ``last_visit_at`` and ``planned_visit_on`` from its visits (the
    latest by time, then id: ``branches.selectors.latest_visit_value``), one UPDATE; returns
    the number of branches. For :func:`refresh_latest_visit` and the paths that insert visits
    in bulk without saving each (``seed_bench``'s COPY)."""
    return branches.update(
        last_visit_at=latest_visit_value("visited_at"),
        planned_visit_on=latest_planned_visit(),
    )


# --- Visits per manager and local day (VisitDay), kept in step with the visits --------------


def visit_day_of(visited_at: datetime.datetime) -> datetime.date:
    """The local day a visit at ``visited_at`` counts for: the site's time zone (Asia/Shanghai),
    whatever time zone a request may have activated."""
    if timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at, timezone.get_default_timezone())
    return timezone.localtime(visited_at, timezone.get_default_timezone()).date()


def count_visit_day(*, manager_id: int, day: datetime.date, change: int) -> None:
    """Add ``change`` (+1 or -1) to a manager's visits of ``day``.

    Rule: race-safe without a recount: adding is one ``INSERT ... ON CONFLICT DO UPDATE SET
    visits = visits + 1`` (PostgreSQL and SQLite alike), so two transactions logging the
    manager's first visits of a day at once both count, the second waiting for the first's
    row; taking away is ``UPDATE ... SET visits = visits - 1``, and a day left at 0 is
    deleted (the table holds the days that have visits, exactly what a recount gives). Runs
    in the caller's transaction (the visit's save or delete).
    """
    alias = router.db_for_write(VisitDay)
    if change > 0:
        connection = connections[alias]
        table = connection.ops.quote_name(VisitDay._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (manager_id, day, visits) VALUES (%s, %s, %s) "
                f"ON CONFLICT (manager_id, day) DO UPDATE SET visits = {table}.visits + %s",
                [manager_id, connection.ops.adapt_datefield_value(day), change, change],
            )
        return
    days = VisitDay.objects.using(alias).filter(manager_id=manager_id, day=day)
    days.update(visits=F("visits") + change)
    days.filter(visits=0).delete()


@transaction.atomic
def rebuild_visit_days(*, since: datetime.date | None = None) -> int:
    """Count the visits per manager and local day again from the visits themselves: every day,
    or the days from ``since`` on. Returns the number of (manager, day) rows written.

    For the paths that insert visits in bulk without saving each (``seed_bench``'s COPY, a
    migration): one ``DELETE`` and one ``INSERT ... SELECT`` grouped by manager and local day,
    in one transaction, so running it again gives the same table. On PostgreSQL the table is
    locked (EXCLUSIVE: reads go on) before counting, so a visit saved meanwhile waits and is
    then counted once, by its own increment on top of the rebuilt row.
    """
    alias = router.db_for_write(VisitDay)
    connection = connections[alias]
    table = connection.ops.quote_name(VisitDay._meta.db_table)
    zone = timezone.get_default_timezone()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        days = VisitDay.objects.using(alias).all()
        visits = Visit.objects.using(alias).order_by()
        if since is not None:
            days = days.filter(day__gte=since)
            midnight = timezone.make_aware(
                datetime.datetime.combine(since, datetime.time.min), zone
            )
            visits = visits.filter(visited_at__gte=midnight)
        days.delete()
        grouped = (
            visits.annotate(visit_day=TruncDate("visited_at", tzinfo=zone))
            .values("manager_id", "visit_day")
            .annotate(total=Count("*"))
            .values_list("manager_id", "visit_day", "total")
        )
        sql, params = grouped.query.get_compiler(alias).as_sql()
        cursor.execute(f"INSERT INTO {table} (manager_id, day, visits) {sql}", params)
        return cursor.rowcount


@transaction.atomic
def check_out(*, visit: Visit, user: AbstractBaseUser) -> Visit:
    """Check out of an open visit, so its time on site is known.

    Rules: only the visit's own manager checks out; only a visit that was checked in and
    not yet checked out; on the day of the check-in (a visit left open overnight stays
    open: its time on site is unknown, not 16 hours).
    """
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.manager.user_id != user.pk:
        raise ValidationError(_("Only the manager who made this visit can check out of it."))
    if visit.checked_in_at is None:
        raise ValidationError(_("This visit has no check-in to check out of."))
    if visit.checked_out_at is not None:
        raise ValidationError(_("You already checked out of this visit."))
    now = timezone.now()
    if timezone.localdate(now) != timezone.localdate(visit.checked_in_at):
        raise ValidationError(_("Check out on the day of the check-in; this visit stays open."))
    visit.checked_out_at = now
    visit.save(update_fields=["checked_out_at"])
    return visit


@transaction.atomic
def confirm_branch_position(*, visit: Visit, confirmed_by: AbstractBaseUser) -> Branch:
    """Take a check-in's position as its branch's coordinates.

    Rules: only a supervisor (or superuser) confirms, never the manager who checked in;
    the check-in must have a position at least as precise as the configured accuracy. The
    branch's earlier check-ins that had no coordinates to compare with are judged again
    against the new ones, this one included.
    """
    if not sees_team(confirmed_by) or visit.manager.user_id == confirmed_by.pk:
        raise ValidationError(_("Only a supervisor can confirm a branch's coordinates."))
    if visit.checkin_position is None:
        raise ValidationError(_("This visit has no check-in position."))
    accuracy = visit.checkin_accuracy_m
    if accuracy is None or accuracy > settings.BRANCHDESK_CHECKIN_MAX_ACCURACY_M:
        raise ValidationError(
            _("This check-in's position is not precise enough to be the branch's coordinates.")
        )
    branch = Branch.objects.select_for_update().get(pk=visit.branch_id)
    branch.latitude, branch.longitude = visit.checkin_position
    branch.save(update_fields=["latitude", "longitude"])
    to_judge = Visit.objects.filter(branch=branch, checkin_latitude__isnull=False).filter(
        Q(location_status=Visit.LocationStatus.BRANCH_UNLOCATED) | Q(pk=visit.pk)
    )
    for earlier in to_judge:
        fields = _judge(branch, earlier.checkin_position, earlier.checkin_accuracy_m)
        for name, value in fields.items():
            setattr(earlier, name, value)
        earlier.save(update_fields=list(fields))
    return branch


def visit_editable_until(visit: Visit) -> datetime.datetime:
    """The last moment the author may correct ``visit``: BRANCHDESK_VISIT_EDIT_HOURS after it
    was logged."""
    return visit.created_at + datetime.timedelta(hours=settings.BRANCHDESK_VISIT_EDIT_HOURS)


def visit_edit_refusal(visit: Visit, user: AbstractBaseUser) -> str | None:
    """Why ``user`` may not correct ``visit`` now, in the user's language; None if they may."""
    if visit.manager.user_id != user.pk:
        return _("Only the manager who logged this visit can correct it.")
    if timezone.now() > visit_editable_until(visit):
        return _(
            "This visit can no longer be corrected: corrections are possible for "
            "%(hours)s hours after it was logged."
        ) % {"hours": settings.BRANCHDESK_VISIT_EDIT_HOURS}
    return None


def _visit_values(visit, staff):
    labels = dict(Visit.Purpose.choices)
    return {
        "purposes": join_list(str(labels.get(p, p)) for p in visit.purposes),
        "staff_met": join_list(sorted(person.name for person in staff)),
        "summary": visit.summary,
        "next_steps": visit.next_steps,
        "next_visit_on": visit.next_visit_on.isoformat() if visit.next_visit_on else "",
    }


@transaction.atomic
def correct_visit(
    *,
    visit: Visit,
    user: AbstractBaseUser,
    purposes: Sequence[str],
    staff_met: Iterable[Any] = (),
    summary: str = "",
    next_steps: str = "",
    next_visit_on: datetime.date | None = None,
) -> VisitChange | None:
    """Correct a visit's purposes, staff met, summary, next steps or next visit.

    Rules: only the manager who logged it, and only within BRANCHDESK_VISIT_EDIT_HOURS of
    logging it; the same checks as logging (a known purpose, staff of that branch, the next
    visit not before this one). The check-in (time, position, distance, status) is never
    corrected. Each correction that changes something is kept as a VisitChange (who, when,
    every changed field's old and new value, as they read); nothing changed, nothing kept.
    """
    visit = Visit.objects.select_for_update().select_related("manager").get(pk=visit.pk)
    refusal = visit_edit_refusal(visit, user)
    if refusal:
        raise ValidationError(refusal)
    staff_met = list(staff_met)
    errors = {}
    valid = set(Visit.Purpose.values)
    if not purposes:
        errors["purposes"] = _("Choose at least one purpose.")
    elif any(purpose not in valid for purpose in purposes):
        errors["purposes"] = _("Unknown visit purpose.")
    if any(person.branch_id != visit.branch_id for person in staff_met):
        errors["staff_met"] = _("Only staff of this branch can be met during this visit.")
    if next_visit_on and next_visit_on < timezone.localtime(visit.visited_at).date():
        errors["next_visit_on"] = _("The next visit must be on or after this visit.")
    if errors:
        raise ValidationError(errors)
    before = _visit_values(visit, visit.staff_met.all())
    visit.purposes = list(purposes)
    visit.summary = summary
    visit.next_steps = next_steps
    visit.next_visit_on = next_visit_on
    after = _visit_values(visit, staff_met)
    changes = [
        {"field": field, "old": before[field], "new": after[field]}
        for field in before
        if before[field] != after[field]
    ]
    if not changes:
        return None
    visit.save(update_fields=["purposes", "summary", "next_steps", "next_visit_on"])
    visit.staff_met.set(staff_met)
    return VisitChange.objects.create(visit=visit, changed_by=user, changes=changes)


def _create(model, **fields):
    """Validate every field and constraint (with translated messages), then save."""
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def record_deposits(
    *,
    branch: Branch,
    as_of: datetime.date,
    personal: Decimal,
    corporate: Decimal,
    recorded_by: AbstractBaseUser | None = None,
) -> DepositSnapshot:
    """Add a deposit snapshot (存款规模). Amounts are 元 and never negative; one snapshot per
    branch and day, so a second one on the same day is refused rather than overwriting."""
    errors = {}
    for field, value in (("personal", personal), ("corporate", corporate)):
        if value is not None and value < 0:
            errors[field] = _("Deposits cannot be negative.")
    if as_of and as_of > timezone.localdate():
        errors["as_of"] = _("A deposit snapshot cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    if DepositSnapshot.objects.filter(branch=branch, as_of=as_of).exists():
        raise ValidationError({"as_of": _("This branch already has deposits for that day.")})
    return _create(
        DepositSnapshot,
        branch=branch,
        as_of=as_of,
        personal=personal,
        corporate=corporate,
        recorded_by=recorded_by,
    )


@transaction.atomic
def set_plan_target(
    *,
    branch: Branch,
    period_start: datetime.date,
    period_end: datetime.date,
    premium_target: Decimal,
    policy_count_target: int = 0,
    competition_scheme: str = "",
    notes: str = "",
) -> PlanTarget:
    """Record the plan target (计划任务) agreed for a period. The period ends on or after it
    starts, the premium target is not negative, and one target per branch and period start:
    agreeing a new figure for the same period updates that row."""
    errors = {}
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = _("The period must end on or after its start.")
    if premium_target is not None and premium_target < 0:
        errors["premium_target"] = _("The premium target cannot be negative.")
    if errors:
        raise ValidationError(errors)
    target = PlanTarget.objects.filter(branch=branch, period_start=period_start).first()
    if target is None:
        target = PlanTarget(branch=branch, period_start=period_start)
    target.period_end = period_end
    target.premium_target = premium_target
    target.policy_count_target = policy_count_target or 0
    target.competition_scheme = competition_scheme
    target.notes = notes
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def record_competitor(
    *,
    branch: Branch,
    insurer: str,
    annual_premium: Decimal | int = 0,
    recent_premium: Decimal | int = 0,
    sales_model: str = "",
    relationships: str = "",
    advantages: str = "",
    observed_on: datetime.date | None = None,
    recorded_by: AbstractBaseUser | None = None,
) -> CompetitorPresence:
    """Add an observation of a competing insurer at a branch (代理同业产品简况). Earlier
    observations are kept as they are, so the branch page can show the change."""
    errors = {}
    for field, value in (("annual_premium", annual_premium), ("recent_premium", recent_premium)):
        if value is not None and value < 0:
            errors[field] = _("Premiums cannot be negative.")
    observed_on = observed_on or timezone.localdate()
    if observed_on > timezone.localdate():
        errors["observed_on"] = _("An observation cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    return _create(
        CompetitorPresence,
        branch=branch,
        insurer=insurer.strip(),
        annual_premium=annual_premium or 0,
        recent_premium=recent_premium or 0,
        sales_model=sales_model,
        relationships=relationships,
        advantages=advantages,
        observed_on=observed_on,
        recorded_by=recorded_by,
    )


@transaction.atomic
def report_event(
    *,
    branch: Branch,
    category: str,
    description: str,
    reported_by: AbstractBaseUser,
    occurred_on: datetime.date | None = None,
    campaign_start: datetime.date | None = None,
    campaign_end: datetime.date | None = None,
    campaign_effect: str = "",
) -> AbnormalEvent:
    """Report an abnormal event (异常情况). It cannot lie in the future; a competitor campaign
    needs its start date, content (the description) and effect, and ends after it starts."""
    occurred_on = occurred_on or timezone.localdate()
    errors = {}
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("An event cannot be dated in the future.")
    if category == AbnormalEvent.Category.COMPETITOR_CAMPAIGN:
        if not campaign_start:
            errors["campaign_start"] = _("Give the date the competitor campaign started.")
        if not (campaign_effect or "").strip():
            errors["campaign_effect"] = _("Describe the campaign's effect.")
    if campaign_start and campaign_end and campaign_end < campaign_start:
        errors["campaign_end"] = _("The campaign must end on or after its start.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    event = _create(
        AbnormalEvent,
        branch=branch,
        category=category,
        description=description,
        reported_by=reported_by,
        occurred_on=occurred_on,
        campaign_start=campaign_start,
        campaign_end=campaign_end,
        campaign_effect=campaign_effect,
        respond_by=now + datetime.timedelta(hours=response_hours(category)),
    )
    EventAction.objects.create(
        event=event,
        kind=EventAction.Kind.REPORT,
        from_status="",
        to_status=event.status,
        actor=reported_by,
        at=now,
    )
    # The supervisor is told at once (reminders listens; it sits above this app).
    event_reported.send(sender=AbnormalEvent, event=event)
    return event


def response_hours(category: str) -> int:
    """The category's response time (EventResponseTime, edited in the admin); a category
    without a row gets EVENT_RESPONSE_HOURS_DEFAULT."""
    from django.conf import settings

    row = EventResponseTime.objects.filter(category=category).first()
    return row.response_hours if row is not None else settings.EVENT_RESPONSE_HOURS_DEFAULT


# --- Abnormal events: the response loop -------------------------------------------------------
#
# reported → acknowledged → responded → closed; reopen takes a responded or closed event back
# to acknowledged (the response did not settle it). Every move is an EventAction row.
S = AbnormalEvent.Status
EVENT_MOVES = {
    EventAction.Kind.ACKNOWLEDGE: ({S.REPORTED}, S.ACKNOWLEDGED),
    EventAction.Kind.RESPOND: ({S.ACKNOWLEDGED}, S.RESPONDED),
    EventAction.Kind.CLOSE: ({S.RESPONDED}, S.CLOSED),
    EventAction.Kind.REOPEN: ({S.RESPONDED, S.CLOSED}, S.ACKNOWLEDGED),
}


def may_handle_event(user: AbstractBaseUser, event: AbnormalEvent) -> bool:
    """Who moves an event along: a superuser, or a supervisor or unit head whose scope
    holds the event's branch (accounts.access). The manager who reported it does not
    acknowledge or answer their own report."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not sees_team(user) or event.branch.manager.user_id == user.pk:
        return False
    return scoped(AccountManager.objects.filter(pk=event.branch.manager_id), user, "").exists()


def _move_event(event, kind, actor, note=""):
    allowed, target = EVENT_MOVES[kind]
    locked = (
        AbnormalEvent.objects.select_for_update(of=("self",))
        .select_related("branch__manager")
        .get(pk=event.pk)
    )
    if not may_handle_event(actor, locked):
        raise ValidationError(_("Only the supervisor or a unit head over this branch can do this."))
    if locked.status not in allowed:
        refusals = {
            EventAction.Kind.ACKNOWLEDGE: _("This event is %(status)s: it cannot be acknowledged."),
            EventAction.Kind.RESPOND: _(
                "This event is %(status)s: it can be answered once acknowledged, and only then."
            ),
            EventAction.Kind.CLOSE: _("This event is %(status)s: it cannot be closed."),
            EventAction.Kind.REOPEN: _("This event is %(status)s: it cannot be reopened."),
        }
        raise ValidationError(refusals[kind] % {"status": locked.get_status_display()})
    previous = locked.status
    locked.status = target
    return locked, previous


def _record(event, kind, previous, actor, note="", when=None):
    return EventAction.objects.create(
        event=event,
        kind=kind,
        from_status=previous,
        to_status=event.status,
        actor=actor,
        at=when or timezone.now(),
        note=note,
    )


@transaction.atomic
def acknowledge_event(*, event: AbnormalEvent, user: AbstractBaseUser) -> AbnormalEvent:
    """The supervisor has seen the report: reported → acknowledged."""
    event, previous = _move_event(event, EventAction.Kind.ACKNOWLEDGE, user)
    event.save(update_fields=["status"])
    _record(event, EventAction.Kind.ACKNOWLEDGE, previous, user)
    return event


@transaction.atomic
def respond_to_event(
    *, event: AbnormalEvent, user: AbstractBaseUser, response: str
) -> AbnormalEvent:
    """Record the company's response (shown on the branch page and its timeline):
    acknowledged → responded. The response text is required."""
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": _("Write the company's response.")})
    event, previous = _move_event(event, EventAction.Kind.RESPOND, user)
    event.company_response = response
    event.responded_at = timezone.now()
    event.responded_by = user
    event.save(update_fields=["status", "company_response", "responded_at", "responded_by"])
    _record(event, EventAction.Kind.RESPOND, previous, user, note=response, when=event.responded_at)
    return event


@transaction.atomic
def close_event(*, event: AbnormalEvent, user: AbstractBaseUser, note: str = "") -> AbnormalEvent:
    """Close an answered event: responded → closed."""
    event, previous = _move_event(event, EventAction.Kind.CLOSE, user)
    event.save(update_fields=["status"])
    _record(event, EventAction.Kind.CLOSE, previous, user, note=(note or "").strip())
    return event


@transaction.atomic
def reopen_event(*, event: AbnormalEvent, user: AbstractBaseUser, reason: str) -> AbnormalEvent:
    """The response did not settle it: responded or closed → acknowledged, with a reason.
    The earlier response stays in the history; a new one is needed to close again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the event is reopened.")})
    event, previous = _move_event(event, EventAction.Kind.REOPEN, user)
    event.save(update_fields=["status"])
    _record(event, EventAction.Kind.REOPEN, previous, user, note=reason)
    return event


def escalation_head(event: AbnormalEvent) -> AbstractBaseUser | None:
    """Who an overdue event goes to: the head of the unit above the manager's team (the
    city branch), else the next unit up with a head; never the team's own supervisor."""
    manager = event.branch.manager
    unit = manager.team.parent if manager.team is not None else None
    while unit is not None:
        if unit.head_id is not None and unit.head_id != manager.supervisor_id:
            return unit.head
        unit = unit.parent
    return None


def overdue_events(now: datetime.datetime):
    """Events still waiting for the company's response past their deadline, not escalated."""
    return (
        AbnormalEvent.objects.filter(
            escalated_at__isnull=True, respond_by__lt=now, status__in=OPEN_UNANSWERED
        )
        .select_related(
            "branch__bank",
            "branch__manager__user",
            "branch__manager__team__parent__head",
            "branch__manager__team__parent__parent__head",
        )
        .order_by("respond_by", "pk")
    )


def escalate_overdue_events(*, now: datetime.datetime | None = None) -> list[AbnormalEvent]:
    """Send each event past its response time up to the unit above, once.

    Rule: only an event still reported or acknowledged whose ``respond_by`` has passed; it is
    marked escalated (a conditional update, so two runs at once escalate it once), an
    ESCALATE action is recorded, and ``event_escalated`` tells the head (reminders, with a
    dedupe key per event). An event whose tree has no head above the team waits, unmarked.
    Returns the events escalated by this run.
    """
    now = now or timezone.now()
    escalated = []
    for event in overdue_events(now):
        head = escalation_head(event)
        if head is None:
            continue
        with transaction.atomic():
            claimed = AbnormalEvent.objects.filter(pk=event.pk, escalated_at__isnull=True).update(
                escalated_at=now, escalated_to=head
            )
            if not claimed:
                continue
            event.escalated_at, event.escalated_to = now, head
            _record(
                event,
                EventAction.Kind.ESCALATE,
                event.status,
                None,
                note=str(head.get_full_name() or head.get_username()),
                when=now,
            )
            event_escalated.send(sender=AbnormalEvent, event=event, head=head)
        escalated.append(event)
    return escalated


def import_summary(result: Any) -> dict[str, int | bool]:
    """Counts for the user: rows created, updated, unchanged and rejected."""
    from import_export.results import RowResult

    totals = result.totals
    rejected = totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR]
    rejected = max(rejected, len(result.invalid_rows) + len(result.row_errors()))
    return {
        "created": totals[RowResult.IMPORT_TYPE_NEW],
        "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
        "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
        "rejected": rejected,
        "saved": rejected == 0 and not result.has_errors(),
    }


def import_table(
    *, resource: Any, dataset: Any, dry_run: bool = False
) -> tuple[Any, dict[str, int | bool]]:
    """Import a spreadsheet of branches or staff through a django-import-export resource.

    All or nothing: the file runs in one transaction, and a single invalid row rolls every
    row back. ``dry_run`` is the preview. Returns (result, summary) where the result holds
    the per-row errors and the summary the created/updated/unchanged/rejected counts.
    """
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    summary = import_summary(result)
    if dry_run:
        summary["saved"] = False
    return result, summary


def queue_import(
    *,
    user: AbstractBaseUser,
    resource_class: type,
    model_label: str,
    file_name: str,
    data: bytes,
    file_format: str,
    language: str,
    dry_run: bool = False,
) -> ImportJob:
    """Store an uploaded spreadsheet as an import job and queue it; nothing else happens in
    the request. The file must be a CSV or xlsx within the size limits (checked here, so a
    refused file is never stored). The job runs after this transaction commits."""
    from branches.imports import check_file
    from branches.tasks import run_import_job

    check_file(data, file_format)
    job = ImportJob.objects.create(
        created_by=user,
        model_label=model_label,
        resource=f"{resource_class.__module__}.{resource_class.__qualname__}",
        file_name=file_name[:255],
        file_format=file_format,
        data=data,
        language=language,
        dry_run=dry_run,
    )
    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


BRANCH_DETAIL_FIELDS = ("address", "district", "phone", "allows_posters", "layout_notes")


@transaction.atomic
def update_branch_details(*, branch: Branch, **fields: object) -> Branch:
    """Update a branch's contact details and poster policy (网点布置). The bank, code,
    tier and manager are the company's to set (admin or import), not the manager's."""
    unknown = set(fields) - set(BRANCH_DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(branch, name, value)
    branch.full_clean()
    branch.save(update_fields=list(fields))
    return branch
