"""Writes of the grading app. The current level changes only through :func:`change_level`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import scoped
from accounts.models import AccountManager
from grading import rules, selectors
from grading.models import Assessment, CurrentLevel, Level, LevelChange
from grading.selectors import level_of


@transaction.atomic
def change_level(manager, to_level, reason, effective_on, approved_by, assessment=None, note=""):
    """Move ``manager`` to ``to_level`` and write the LevelChange row, in one transaction.

    This is the only writer of CurrentLevel, so the level and its history always agree.
    Moving to the level the manager already holds is refused.
    """
    locked = (
        CurrentLevel.objects.select_for_update()
        .select_related("manager")
        .get(manager_id=manager.pk)
    )
    if locked.level_id == to_level.pk:
        raise ValidationError(
            _("%(manager)s is already at %(level)s.")
            % {
                "manager": locked.manager,
                "level": to_level,
            }
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
def place_by_affiliation(manager, level, previous_employer, previous_title, reason, approved_by):
    """同职级挂靠: place an experienced hire at ``level``, recording where they came from.

    The previous employer and the reason are required.
    """
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
            manager,
            level,
            LevelChange.Reason.AFFILIATION,
            timezone.localdate(),
            approved_by,
            note=reason,
        )
    return manager


def _in_first_period(manager, has_approved_assessment):
    """A new hire still at 客户专员 with no approved assessment is in their first period."""
    return (
        manager.entry_route == AccountManager.EntryRoute.NEW_HIRE
        and level_of(manager).rank == rules.FLOOR_RANK
        and not has_approved_assessment
    )


def _build_assessment(manager, period, metrics, standards, levels_by_rank, first_period):
    level = level_of(manager)
    keep = selectors.thresholds_as_json(standards.get(level.pk), "keep")
    above = levels_by_rank.get(level.rank + 1)
    promote = selectors.thresholds_as_json(standards.get(above.pk), "promote") if above else None
    if first_period and level.rank == rules.FLOOR_RANK:
        # The new hire's bar is the 客户专员 keep standard; the target is 客户主任一级.
        promote = None
    recommendation = rules.recommend(level.rank, metrics, keep, promote, first_period=first_period)
    return Assessment(
        manager=manager,
        period=period,
        level_at_start=level,
        first_period=first_period,
        metrics=metrics,
        thresholds={"keep": keep, "promote": promote},
        recommended_outcome=recommendation.outcome,
        recommended_level=levels_by_rank[recommendation.rank],
    )


@transaction.atomic
def generate_assessments(period, user):
    """Create a draft assessment, with frozen metrics and recommendation, for every active
    manager the user may see who has none for ``period`` yet. Idempotent: returns the new ones.
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
        )
        for manager in managers
    ]
    return Assessment.objects.bulk_create(drafts)


@transaction.atomic
def create_assessment(manager, period, user):
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
    )
    assessment.save()
    return assessment


def _lock_in_scope(assessment, user):
    """Re-read the assessment for update, refusing anything outside the user's scope."""
    try:
        return (
            Assessment.objects.for_user(user)
            .select_for_update()
            .select_related("manager", "recommended_level", "period")
            .get(pk=assessment.pk)
        )
    except Assessment.DoesNotExist:
        raise PermissionDenied from None


@transaction.atomic
def submit_assessment(assessment, user):
    """A draft goes to approval. Only drafts can be submitted."""
    locked = _lock_in_scope(assessment, user)
    if locked.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    locked.status = Assessment.Status.SUBMITTED
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def record_decision(assessment, user, level=None, reason=""):
    """Save the supervisor's pending decision without approving it yet.

    A level other than the recommended one is an override and needs a reason.
    """
    locked = _lock_in_scope(assessment, user)
    if locked.is_final:
        raise ValidationError(_("This assessment has already been decided."))
    if level is None or level.pk == locked.recommended_level_id:
        locked.decision = Assessment.Decision.ACCEPT if level is not None else ""
        locked.override_reason = reason.strip()
    else:
        if not reason.strip():
            raise ValidationError(_("An override needs a reason."))
        locked.decision = Assessment.Decision.OVERRIDE
        locked.override_reason = reason.strip()
    locked.decided_level = level
    locked.save(update_fields=["decision", "decided_level", "override_reason"])
    return locked


@transaction.atomic
def approve_assessment(assessment, user, level=None, reason=""):
    """Approve an assessment and apply its level through :func:`change_level`.

    Without ``level`` the recommendation is accepted, but only while the manager is still at
    the level the assessment started from. A different ``level`` is an override and needs a
    reason. Only drafts and submitted assessments of the user's team can be
    approved (approving a draft submits it implicitly); approved and rejected are final.
    """
    locked = _lock_in_scope(assessment, user)
    if locked.is_final:
        raise ValidationError(_("This assessment has already been decided."))
    accepting = level is None or level.pk == locked.recommended_level_id
    current = CurrentLevel.objects.select_related("level").get(manager_id=locked.manager_id).level
    if accepting and current.pk != locked.level_at_start_id:
        # The recommendation was one step from the level at the start; applied to a level
        # changed since (another period approved, a correction), it could move two steps.
        raise ValidationError(
            _(
                "%(manager)s is now at %(level)s, not at the level this assessment started "
                "from: override with a reason, or reject it."
            )
            % {"manager": locked.manager, "level": current}
        )
    if accepting:
        locked.decision = Assessment.Decision.ACCEPT
        final_level = locked.recommended_level
        locked.override_reason = ""
    else:
        if not reason.strip():
            raise ValidationError(_("An override needs a reason."))
        locked.decision = Assessment.Decision.OVERRIDE
        final_level = level
        locked.override_reason = reason.strip()
    locked.decided_level = final_level
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.status = Assessment.Status.APPROVED
    locked.save()
    if level_of(locked.manager).pk != final_level.pk:
        change_level(
            locked.manager,
            final_level,
            LevelChange.Reason.ASSESSMENT,
            timezone.localdate(),
            user,
            assessment=locked,
            note=locked.override_reason,
        )
    return locked


@transaction.atomic
def reject_assessment(assessment, user, reason=""):
    """Reject an assessment: it is closed and the level does not change."""
    locked = _lock_in_scope(assessment, user)
    if locked.is_final:
        raise ValidationError(_("This assessment has already been decided."))
    locked.decided_by = user
    locked.decided_at = timezone.now()
    if reason.strip():
        locked.override_reason = reason.strip()
    # Without a new reason, a pending override keeps the reason it was recorded with (an
    # override may never lose its reason; a rejection applies no level anyway).
    locked.status = Assessment.Status.REJECTED
    locked.save()
    return locked
