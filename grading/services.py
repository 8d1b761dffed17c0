"""Writes of the grading app. The current level changes only through :func:`change_level`;
an assessment moves only through the functions below, each of which writes its step into the
decision history (:class:`~grading.models.AssessmentDecision`).

The rules of a review (docs/grading.md):

- only a *submitted* assessment can be decided, and only once its period is over (the day
  after the last day, or the close date set on the period);
- accepting the recommendation is the supervisor's decision; an override against it, a move
  of more than one step, or a move without a recommendation needs a reason and a second
  approval by a superuser (until the organisation's unit heads exist), who is not the first
  approver; until then the assessment is "awaiting second approval";
- a rejection needs a reason;
- nobody decides their own grade: not their own assessment, not their own level, not their
  own supervisor or grading fields;
- the manager is emailed the outcome in their language through the reminders outbox, once
  per decision;
- the manager may appeal (申诉) once, within ``GRADING_APPEAL_DAYS`` days of the outcome,
  which reopens the review (status submitted) with its history kept.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import scoped
from accounts.models import AccountManager
from grading import rules, selectors
from grading.models import (
    Assessment,
    AssessmentDecision,
    AssessmentPeriod,
    CurrentLevel,
    Level,
    LevelChange,
)
from grading.selectors import level_of
from reminders.models import ReminderKind
from reminders.services import PlannedReminder, queue_planned

# The AccountManager fields that grade a person: nobody edits them on their own profile.
GRADING_FIELDS = (
    "user",
    "employee_number",
    "hire_date",
    "supervisor",
    "is_active",
    "entry_route",
    "previous_employer",
    "previous_title",
    "affiliation_reason",
)


def _refuse_own(manager: AccountManager, user, message: str) -> None:
    if user is not None and manager.user_id == user.pk:
        raise ValidationError(message, code="own_grade")


@transaction.atomic
def change_level(
    *,
    manager: AccountManager,
    to_level: Level,
    reason: str,
    effective_on: datetime.date,
    approved_by: AbstractBaseUser | None,
    assessment: Assessment | None = None,
    note: str = "",
) -> LevelChange:
    """Move ``manager`` to ``to_level`` and write the LevelChange row, in one transaction.

    This is the only writer of CurrentLevel, so the level and its history always agree.
    Moving to the level the manager already holds is refused, and so is anybody setting
    their own level.
    """
    _refuse_own(manager, approved_by, _("Nobody can set their own level."))
    locked = (
        CurrentLevel.objects.select_for_update()
        .select_related("manager")
        .get(manager_id=manager.pk)
    )
    if locked.level_id == to_level.pk:
        raise ValidationError(
            _("%(manager)s is already at %(level)s.")
            % {"manager": locked.manager, "level": to_level}
        )
    if reason not in LevelChange.Reason.values:
        raise ValidationError(_("Unknown reason for a level change."))
    change = LevelChange.objects.create(
        manager=locked.manager,
        from_level_id=locked.level_id,
        to_level=to_level,
        reason=reason,
        note=note,
        effective_on=effective_on,
        approved_by=approved_by,
        assessment=assessment,
    )
    CurrentLevel.objects.filter(pk=locked.pk).update(level=to_level)
    # The caller's object shows the new level too (its cached row, or one fresh read).
    manager.current_level.level = to_level
    return change


@transaction.atomic
def place_by_affiliation(
    *,
    manager: AccountManager,
    level: Level,
    previous_employer: str,
    previous_title: str,
    reason: str,
    approved_by: AbstractBaseUser,
    effective_on: datetime.date | None = None,
) -> AccountManager:
    """同职级挂靠: place an experienced hire at ``level``, recording where they came from.

    The previous employer and the reason are required; nobody places themselves. The
    placement takes effect on ``effective_on`` (default today): a manager placed after a
    period started is not assessable in it.
    """
    _refuse_own(manager, approved_by, _("Nobody can set their own level."))
    if not previous_employer.strip() or not reason.strip():
        raise ValidationError(_("Same-grade affiliation needs the previous employer and a reason."))
    AccountManager.objects.filter(pk=manager.pk).update(
        entry_route=AccountManager.EntryRoute.AFFILIATION,
        previous_employer=previous_employer,
        previous_title=previous_title,
        affiliation_reason=reason,
    )
    manager.entry_route = AccountManager.EntryRoute.AFFILIATION
    manager.previous_employer = previous_employer
    manager.previous_title = previous_title
    manager.affiliation_reason = reason
    if level_of(manager).pk != level.pk:
        change_level(
            manager=manager,
            to_level=level,
            reason=LevelChange.Reason.AFFILIATION,
            effective_on=effective_on or timezone.localdate(),
            approved_by=approved_by,
            note=reason,
        )
    return manager


@transaction.atomic
def save_manager_profile(
    *,
    manager: AccountManager,
    by: AbstractBaseUser,
    changed: list[str],
    placed_level: Level | None = None,
    level_note: str = "",
) -> AccountManager:
    """Save a manager profile edited in the admin, and a level placed there.

    Rules: nobody is their own supervisor; nobody changes the grading fields of their own
    profile (only its mobile), nor places themselves at a level. A placed level goes through
    :func:`change_level`: an affiliation effective on the hire date for a new profile,
    otherwise a correction (or affiliation) effective today.
    """
    if manager.supervisor_id is not None and manager.supervisor_id == manager.user_id:
        raise ValidationError(_("Nobody can be their own supervisor."), code="own_grade")
    if manager.pk is not None and manager.user_id == by.pk:
        touched = sorted(set(changed) & set(GRADING_FIELDS))
        if touched or placed_level is not None:
            raise ValidationError(
                _("Nobody can change the grading fields of their own profile."), code="own_grade"
            )
    is_new = manager.pk is None
    manager.save()
    if placed_level is not None and placed_level.pk != level_of(manager).pk:
        reason = (
            LevelChange.Reason.AFFILIATION
            if manager.entry_route == AccountManager.EntryRoute.AFFILIATION
            else LevelChange.Reason.CORRECTION
        )
        change_level(
            manager=manager,
            to_level=placed_level,
            reason=reason,
            effective_on=manager.hire_date if is_new else timezone.localdate(),
            approved_by=by,
            note=level_note,
        )
    return manager


def _in_first_period(manager, has_approved_assessment):
    """A new hire still at 客户专员 with no approved assessment is in their first period."""
    return (
        manager.entry_route == AccountManager.EntryRoute.NEW_HIRE
        and level_of(manager).rank == rules.FLOOR_RANK
        and not has_approved_assessment
    )


def _placed_on(manager_ids):
    """{manager_id: latest 同职级挂靠 placement date} (one query)."""
    return dict(
        LevelChange.objects.filter(
            manager_id__in=manager_ids, reason=LevelChange.Reason.AFFILIATION
        )
        .values("manager_id")
        .annotate(last=Max("effective_on"))
        .values_list("manager_id", "last")
    )


def _build_assessment(
    manager, period, metrics, standards, levels_by_rank, first_period, placed_on=None
):
    level = level_of(manager)
    keep = selectors.thresholds_as_json(standards.get(level.pk), "keep")
    above = levels_by_rank.get(level.rank + 1)
    promote = selectors.thresholds_as_json(standards.get(above.pk), "promote") if above else None
    if first_period and level.rank == rules.FLOOR_RANK:
        # The new hire's bar is the 客户专员 keep standard; the target is 客户主任一级.
        promote = None
    if rules.is_assessable(
        hire_date=manager.hire_date, placed_on=placed_on, period_start=period.start
    ):
        recommendation = rules.recommend(
            level.rank, metrics, keep, promote, first_period=first_period
        )
    else:
        recommendation = rules.not_assessable(level.rank)
    return Assessment(
        manager=manager,
        period=period,
        level_at_start=level,
        first_period=first_period,
        metrics=metrics,
        thresholds={"keep": keep, "promote": promote},
        recommended_outcome=recommendation.outcome,
        recommended_level=levels_by_rank[recommendation.rank],
        no_recommendation=recommendation.why_none,
    )


@transaction.atomic
def generate_assessments(*, period: AssessmentPeriod, user: AbstractBaseUser) -> list[Assessment]:
    """Create a draft assessment, with frozen metrics and recommendation, for every active
    manager the user may see who has none for ``period`` yet. Idempotent: returns the new ones.

    Managers hired or placed after the period started get one with no recommendation
    ("not assessable this period"); so do those without data for a metric a bar needs.
    """
    managers = list(
        scoped(AccountManager.objects.filter(is_active=True), user, "")
        .exclude(assessments__period=period)
        .select_related("current_level__level")
    )
    if not managers:
        return []
    ids = [manager.pk for manager in managers]
    metrics = selectors.metrics_for_managers(managers, period)
    standards = selectors.standards_in_force(period)
    levels_by_rank = {level.rank: level for level in Level.objects.all()}
    placed = _placed_on(ids)
    decided_before = set(
        Assessment.objects.filter(
            manager_id__in=ids, status=Assessment.Status.APPROVED
        ).values_list("manager_id", flat=True)
    )
    drafts = [
        _build_assessment(
            manager,
            period,
            metrics[manager.pk],
            standards,
            levels_by_rank,
            first_period=_in_first_period(manager, manager.pk in decided_before),
            placed_on=placed.get(manager.pk),
        )
        for manager in managers
    ]
    return Assessment.objects.bulk_create(drafts)


@transaction.atomic
def create_assessment(
    *, manager: AccountManager, period: AssessmentPeriod, user: AbstractBaseUser
) -> Assessment:
    """One draft assessment for ``manager`` in ``period``, frozen like generate_assessments.

    Refused when the manager is outside the user's team or already has one for the period.
    """
    if not scoped(AccountManager.objects.filter(pk=manager.pk), user, "").exists():
        raise PermissionDenied
    if Assessment.objects.filter(manager=manager, period=period).exists():
        raise ValidationError(_("This manager already has an assessment for this period."))
    manager = AccountManager.objects.select_related("current_level__level").get(pk=manager.pk)
    first_period = _in_first_period(
        manager, manager.assessments.filter(status=Assessment.Status.APPROVED).exists()
    )
    assessment = _build_assessment(
        manager,
        period,
        selectors.metrics_for(manager, period),
        selectors.standards_in_force(period),
        {level.rank: level for level in Level.objects.all()},
        first_period,
        placed_on=_placed_on([manager.pk]).get(manager.pk),
    )
    assessment.save()
    return assessment


def _lock_in_scope(assessment, user):
    """Re-read the assessment for update, refusing anything outside the user's scope."""
    try:
        return (
            Assessment.objects.for_user(user)
            .select_for_update()
            .select_related("manager", "recommended_level", "level_at_start", "period")
            .get(pk=assessment.pk)
        )
    except Assessment.DoesNotExist:
        raise PermissionDenied from None


def _record(assessment, action, user, *, reason="", level=None, at=None):
    return AssessmentDecision.objects.create(
        assessment=assessment,
        action=action,
        by=user,
        at=at or timezone.now(),
        reason=reason,
        level=level,
    )


def _refuse_own_assessment(locked, user):
    _refuse_own(locked.manager, user, _("Nobody can decide their own assessment."))


def _check_decidable(locked, today):
    """Only a submitted assessment of a period that is over can be decided."""
    if locked.status != Assessment.Status.SUBMITTED:
        if locked.is_final:
            raise ValidationError(_("This assessment has already been decided."))
        raise ValidationError(_("Only a submitted assessment can be decided."))
    opens = locked.period.decisions_open_on
    if (today or timezone.localdate()) < opens:
        raise ValidationError(
            _("%(period)s can be decided from %(date)s, once the period is over.")
            % {"period": locked.period, "date": opens.isoformat()}
        )


@transaction.atomic
def submit_assessment(*, assessment: Assessment, user: AbstractBaseUser) -> Assessment:
    """A draft goes to approval. Only drafts can be submitted."""
    locked = _lock_in_scope(assessment, user)
    if locked.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    locked.status = Assessment.Status.SUBMITTED
    locked.save(update_fields=["status"])
    _record(locked, AssessmentDecision.Action.SUBMIT, user)
    return locked


def _plan_record(locked, user, level, reason):
    _refuse_own_assessment(locked, user)
    if locked.is_final or locked.status == Assessment.Status.AWAITING_SECOND:
        raise ValidationError(_("This assessment has already been decided."))
    if level is None:
        return ""
    if locked.has_recommendation and level.pk == locked.recommended_level_id:
        return Assessment.Decision.ACCEPT
    if not reason.strip():
        raise ValidationError(_("An override needs a reason."), code="needs_reason")
    return Assessment.Decision.OVERRIDE


def check_record(
    *, assessment: Assessment, user: AbstractBaseUser, level: Level | None = None, reason: str = ""
) -> None:
    """Raise the ValidationError :func:`record_decision` would raise, writing nothing."""
    _plan_record(_read_in_scope(assessment, user), user, level, reason)


@transaction.atomic
def record_decision(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    level: Level | None = None,
    reason: str = "",
) -> Assessment:
    """Save the supervisor's pending decision without approving it yet.

    A level other than the recommended one is an override and needs a reason; nobody records
    a decision on their own assessment.
    """
    locked = _lock_in_scope(assessment, user)
    locked.decision = _plan_record(locked, user, level, reason)
    locked.override_reason = reason.strip()
    locked.decided_level = level
    locked.save(update_fields=["decision", "decided_level", "override_reason"])
    return locked


def _applied_by(locked):
    """The level this assessment itself last applied (before an appeal reopened it), or None."""
    latest = LevelChange.objects.filter(manager_id=locked.manager_id).order_by("-pk").first()
    if latest is not None and latest.assessment_id == locked.pk:
        return latest.to_level_id
    return None


def _apply_level(locked, final_level, user):
    manager = AccountManager.objects.select_related("current_level").get(pk=locked.manager_id)
    if manager.current_level.level_id != final_level.pk:
        change_level(
            manager=manager,
            to_level=final_level,
            reason=LevelChange.Reason.ASSESSMENT,
            effective_on=timezone.localdate(),
            approved_by=user,
            assessment=locked,
            note=locked.override_reason,
        )


def _close(locked, status, now):
    locked.status = status
    locked.closed_at = now


def _plan_approval(locked, user, level, reason, today):
    """What approving ``locked`` would do, or the ValidationError it would raise.

    Returns None for the second approval of an assessment awaiting it, else
    (accepting, final level, rules.Route, reason).
    """
    _refuse_own_assessment(locked, user)
    if locked.status == Assessment.Status.AWAITING_SECOND:
        _check_second_approver(locked, user)
        return None
    _check_decidable(locked, today)
    if level is None and not locked.has_recommendation:
        raise ValidationError(
            _(
                "%(manager)s has no recommendation (%(why)s): choose a level and give a "
                "reason, or reject it."
            )
            % {"manager": locked.manager, "why": locked.get_no_recommendation_display()}
        )
    accepting = level is None or (
        locked.has_recommendation and level.pk == locked.recommended_level_id
    )
    current_id = CurrentLevel.objects.values_list("level_id", flat=True).get(
        manager_id=locked.manager_id
    )
    if accepting and current_id not in (locked.level_at_start_id, _applied_by(locked)):
        # The recommendation was one step from the level at the start; applied to a level
        # changed since (another period approved, a correction), it could move two steps.
        raise ValidationError(
            _(
                "%(manager)s is now at %(level)s, not at the level this assessment started "
                "from: override with a reason, or reject it."
            )
            % {"manager": locked.manager, "level": Level.objects.get(pk=current_id)}
        )
    final_level = locked.recommended_level if accepting else level
    route = rules.decision_route(
        start_rank=locked.level_at_start.rank,
        recommended_rank=locked.recommended_level.rank if locked.has_recommendation else None,
        decided_rank=final_level.rank,
    )
    reason = reason.strip()
    if route.needs_reason and not reason:
        raise ValidationError(_("An override needs a reason."), code="needs_reason")
    return accepting, final_level, route, reason


def _read_in_scope(assessment, user):
    try:
        return (
            Assessment.objects.for_user(user)
            .select_related("manager", "recommended_level", "level_at_start", "period")
            .get(pk=assessment.pk)
        )
    except Assessment.DoesNotExist:
        raise PermissionDenied from None


def check_approval(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    level: Level | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> None:
    """Raise the ValidationError :func:`approve_assessment` would raise, writing nothing, so a
    form can show it next to its fields. The rule itself lives in approve_assessment."""
    _plan_approval(_read_in_scope(assessment, user), user, level, reason, today)


@transaction.atomic
def approve_assessment(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    level: Level | None = None,
    reason: str = "",
    today: datetime.date | None = None,
) -> Assessment:
    """Approve a submitted assessment; an assessment awaiting second approval gets it.

    Without ``level`` the recommendation is accepted, but only while the manager is still at
    the level the assessment started from (or the level it applied before an appeal). An
    assessment without a recommendation needs a chosen level. What the decision needs is
    :func:`grading.rules.decision_route`: an override, a move of more than one step, or a
    move without a recommendation needs a reason and waits for a second approval; anything
    else applies the level at once through :func:`change_level`.
    """
    locked = _lock_in_scope(assessment, user)
    plan = _plan_approval(locked, user, level, reason, today)
    if plan is None:
        return _give_second_approval(locked, user)
    accepting, final_level, route, reason = plan
    now = timezone.now()
    locked.decision = Assessment.Decision.ACCEPT if accepting else Assessment.Decision.OVERRIDE
    locked.override_reason = reason
    locked.decided_level = final_level
    locked.decided_by = user
    locked.decided_at = now
    if route.needs_second_approval:
        locked.status = Assessment.Status.AWAITING_SECOND
        locked.save()
        _record(
            locked,
            AssessmentDecision.Action.AWAIT_SECOND,
            user,
            reason=reason,
            level=final_level,
            at=now,
        )
        return locked
    _close(locked, Assessment.Status.APPROVED, now)
    locked.save()
    event = _record(
        locked, AssessmentDecision.Action.APPROVE, user, reason=reason, level=final_level, at=now
    )
    _apply_level(locked, final_level, user)
    _notify_outcome(locked, event)
    return locked


def _check_second_approver(locked, user):
    """The second approval of an override or a big move: a superuser other than the first
    approver (and, like every decision, not the manager themselves)."""
    if not selectors.may_give_second_approval(user):
        raise ValidationError(
            _("This decision needs a second approval by a head of the unit above."),
            code="second_approval",
        )
    if locked.decided_by_id == user.pk:
        raise ValidationError(
            _("The second approval must come from someone other than the first approver."),
            code="second_approval",
        )


def _give_second_approval(locked, user):
    now = timezone.now()
    locked.second_approved_by = user
    locked.second_approved_at = now
    _close(locked, Assessment.Status.APPROVED, now)
    locked.save()
    event = _record(
        locked,
        AssessmentDecision.Action.SECOND_APPROVE,
        user,
        reason=locked.override_reason,
        level=locked.decided_level,
        at=now,
    )
    _apply_level(locked, locked.decided_level, user)
    _notify_outcome(locked, event)
    return locked


def _plan_rejection(locked, user, reason, today):
    _refuse_own_assessment(locked, user)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("A rejection needs a reason."), code="needs_reason")
    if locked.status == Assessment.Status.AWAITING_SECOND:
        _check_second_approver(locked, user)
    else:
        _check_decidable(locked, today)
    return reason


def check_rejection(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    reason: str,
    today: datetime.date | None = None,
) -> None:
    """Raise the ValidationError :func:`reject_assessment` would raise, writing nothing."""
    _plan_rejection(_read_in_scope(assessment, user), user, reason, today)


@transaction.atomic
def reject_assessment(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    reason: str,
    today: datetime.date | None = None,
) -> Assessment:
    """Reject an assessment, with a reason: it is closed and the level stays where it was at
    the start (a level applied before an appeal is taken back).

    A submitted assessment is rejected by its supervisor once the period is over; one
    awaiting a second approval only by whoever may give that approval.
    """
    locked = _lock_in_scope(assessment, user)
    reason = _plan_rejection(locked, user, reason, today)
    now = timezone.now()
    if not locked.decided_by_id:
        locked.decided_by = user
        locked.decided_at = now
    if locked.decision != Assessment.Decision.OVERRIDE:
        # An override keeps the reason it was recorded with; the rejection's is in the history.
        locked.override_reason = reason
    _close(locked, Assessment.Status.REJECTED, now)
    locked.save()
    event = _record(locked, AssessmentDecision.Action.REJECT, user, reason=reason, at=now)
    if _applied_by(locked) is not None:
        manager = AccountManager.objects.select_related("current_level").get(pk=locked.manager_id)
        if manager.current_level.level_id != locked.level_at_start_id:
            change_level(
                manager=manager,
                to_level=locked.level_at_start,
                reason=LevelChange.Reason.ASSESSMENT,
                effective_on=timezone.localdate(),
                approved_by=user,
                assessment=locked,
                note=reason,
            )
    _notify_outcome(locked, event)
    return locked


@transaction.atomic
def file_appeal(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    reason: str,
    today: datetime.date | None = None,
) -> Assessment:
    """申诉: the manager asks for their decided assessment to be reviewed again.

    Rules: only the manager themselves, with a reason, once per assessment, within
    ``GRADING_APPEAL_DAYS`` days of the outcome. The review reopens as submitted, the
    decision fields are cleared and the history keeps every earlier step.
    """
    try:
        locked = (
            Assessment.objects.select_for_update()
            .select_related("manager", "period")
            .get(pk=assessment.pk, manager__user=user)
        )
    except Assessment.DoesNotExist:
        raise PermissionDenied from None
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("An appeal needs a reason."), code="needs_reason")
    deadline = selectors.appeal_deadline(locked)
    if deadline is None:
        raise ValidationError(_("Only a decided assessment can be appealed."))
    if locked.history.filter(action=AssessmentDecision.Action.APPEAL).exists():
        raise ValidationError(_("This assessment has already been appealed once."))
    if (today or timezone.localdate()) > deadline:
        raise ValidationError(
            _("The appeal window closed on %(date)s.") % {"date": deadline.isoformat()}
        )
    locked.status = Assessment.Status.SUBMITTED
    locked.decision = ""
    locked.decided_level = None
    locked.override_reason = ""
    locked.decided_by = None
    locked.decided_at = None
    locked.second_approved_by = None
    locked.second_approved_at = None
    locked.closed_at = None
    locked.save()
    _record(locked, AssessmentDecision.Action.APPEAL, user, reason=reason)
    return locked


def _notify_outcome(locked, event):
    """Email the manager the outcome in their language, once per decision (dedupe key)."""
    recipient = locked.manager.user
    queue_planned(
        planned_reminders=[
            PlannedReminder(
                kind=ReminderKind.GRADE_DECISION,
                recipient=recipient,
                dedupe_key=f"grade-decision:{locked.pk}:{event.pk}",
                template="grading/email/decision",
                context={
                    "assessment": locked,
                    "event": event,
                    "approved": locked.status == Assessment.Status.APPROVED,
                    "appeal_until": selectors.appeal_deadline(locked),
                },
            )
        ]
    )
