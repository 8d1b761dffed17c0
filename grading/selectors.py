"""Reads for the grading app: a manager's metrics for a period, the standards in force, and
the scoped fetches views use (404 outside the user's scope)."""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.utils import timezone

from accounts.access import own_profile_or_404
from accounts.models import AccountManager
from branches.models import Visit
from duties.models import TrainingSession
from grading.models import (
    METRIC_KEYS,
    AssessmentPeriod,
    Level,
    LevelChange,
    LevelStandard,
    SalesFigure,
)
from service.models import Case


def level_of(manager):
    """The manager's current level (CurrentLevel); read it with
    ``select_related("current_level__level")`` to save the query."""
    return manager.current_level.level


SALES_KEYS = ("premium", "policies", "active_branches", "persistency")


def get_manager_for_user(user, pk):
    return AccountManager.objects.select_related("user", "current_level__level").get_for_user(
        user, pk=pk
    )


def get_own_manager(user):
    """The signed-in user's own AccountManager, or 404 for users who are not managers."""
    return get_manager_for_user(user, own_profile_or_404(user).pk)


def level_history(manager):
    return LevelChange.objects.filter(manager=manager).select_related(
        "from_level", "to_level", "approved_by", "assessment__period"
    )


def open_period(today=None):
    """The open period containing today, else the most recent open one, else None."""
    today = today or timezone.localdate()
    periods = AssessmentPeriod.objects.filter(is_open=True)
    return (
        periods.filter(start__lte=today, end__gte=today).first()
        or periods.order_by("-start").first()
    )


def next_level(level):
    return Level.objects.filter(rank=level.rank + 1).first()


def standards_in_force(period):
    """{level_id: LevelStandard} in force on the period's last day (one query)."""
    in_force = {}
    rows = LevelStandard.objects.filter(effective_from__lte=period.end).order_by(
        "level_id", "-effective_from"
    )
    for standard in rows:
        in_force.setdefault(standard.level_id, standard)
    return in_force


def standard_for(level, period):
    if level is None:
        return None
    return (
        LevelStandard.objects.filter(level=level, effective_from__lte=period.end)
        .order_by("-effective_from")
        .first()
    )


def _period_bounds(period):
    """The period as aware datetimes in Asia/Shanghai: [first day 00:00, day after end 00:00)."""
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def _counts(queryset, manager_field, manager_ids):
    counted = dict(
        queryset.filter(**{f"{manager_field}__in": manager_ids})
        .values(manager_field)
        .annotate(total=Count("pk"))
        .values_list(manager_field, "total")
    )
    return {pk: counted.get(pk, 0) for pk in manager_ids}


def _visit_counts(manager_ids, period):
    start, end = _period_bounds(period)
    return _counts(
        Visit.objects.filter(visited_at__gte=start, visited_at__lt=end), "manager_id", manager_ids
    )


def _training_counts(manager_ids, period):
    sessions = TrainingSession.objects.filter(held_on__gte=period.start, held_on__lte=period.end)
    return _counts(sessions, "manager_id", manager_ids)


def _cases_on_time_counts(manager_ids, period):
    start, end = _period_bounds(period)
    cases = Case.objects.filter(
        resolved_at__gte=start, resolved_at__lt=end, resolved_at__lte=F("due_at")
    )
    return _counts(cases, "assigned_manager_id", manager_ids)


def _json_number(value):
    return None if value is None else str(value)


def _sales_metrics(manager_ids, period):
    """{manager_id: {premium, policies, active_branches, persistency}} read from the policies.

    When no policy at all was signed in the period, the feed has not covered it: every sales
    metric is None ("no data"), never 0, so nobody is marked down for missing data. Otherwise
    a manager without a sale has 0. Cancellations in cooling-off (撤单) are not sales.
    """
    from sales.selectors import counted_policies, persistency_13_month

    in_period = counted_policies().filter(signed_on__gte=period.start, signed_on__lte=period.end)
    if not in_period.exists():
        return {pk: dict.fromkeys(SALES_KEYS) for pk in manager_ids}
    rows = {
        row["branch__manager_id"]: row
        for row in in_period.filter(branch__manager_id__in=manager_ids)
        .values("branch__manager_id")
        .annotate(
            premium=Sum("premium"),
            policies=Count("pk"),
            active_branches=Count("branch", distinct=True),
        )
    }
    persistency = persistency_13_month(manager_ids, period.end)
    result = {}
    for pk in manager_ids:
        row = rows.get(pk, {})
        result[pk] = {
            "premium": (row.get("premium") or Decimal("0")).quantize(Decimal("0.01")),
            "policies": row.get("policies", 0),
            "active_branches": row.get("active_branches", 0),
            "persistency": persistency.get(pk),
        }
    return result


def metrics_for_managers(managers, period):
    """{manager_id: {metric: value}} for the period, in a fixed number of queries.

    Sales metrics come from the policies of the sales app (see _sales_metrics); a SalesFigure
    entered for the manager and period is a correction and wins over them. Activity metrics
    are counted here. Decimals are strings so the result can be frozen as JSON.
    """
    ids = [manager.pk for manager in managers]
    sales = _sales_metrics(ids, period)
    corrections = {
        figure.manager_id: figure
        for figure in SalesFigure.objects.filter(period=period, manager_id__in=ids)
    }
    visits = _visit_counts(ids, period)
    trainings = _training_counts(ids, period)
    cases = _cases_on_time_counts(ids, period)
    result = {}
    for pk in ids:
        figures = sales[pk]
        correction = corrections.get(pk)
        if correction is not None:
            figures = {key: getattr(correction, key) for key in SALES_KEYS}
        result[pk] = {
            "premium": _json_number(figures["premium"]),
            "policies": figures["policies"],
            "active_branches": figures["active_branches"],
            "persistency": _json_number(figures["persistency"]),
            "visits": visits[pk] if visits is not None else None,
            "trainings": trainings[pk] if trainings is not None else None,
            "cases_on_time": cases[pk] if cases is not None else None,
        }
    return result


def metrics_for(manager, period):
    return metrics_for_managers([manager], period)[manager.pk]


def thresholds_as_json(standard, kind):
    if standard is None:
        return None
    return {key: _json_number(value) for key, value in standard.thresholds(kind).items()}


def metric_rows(metrics, thresholds):
    """[(key, value, threshold, met)] for display: the thresholds that apply, in order."""
    from grading.rules import meets

    thresholds = thresholds or {}
    rows = []
    for key in METRIC_KEYS:
        bar = thresholds.get(key)
        if bar is None:
            continue
        rows.append((key, metrics.get(key), bar, meets(metrics.get(key), bar)))
    return rows


def progress_toward(metrics, thresholds):
    """[(key, value, threshold, percent)] toward each set threshold, percent capped at 100."""
    rows = []
    for key, value, bar, _met in metric_rows(metrics, thresholds):
        bar_number = Decimal(str(bar))
        if bar_number <= 0:
            percent = 100
        elif value is None:
            percent = 0
        else:
            percent = min(100, int(Decimal(str(value)) * 100 / bar_number))
        rows.append((key, value, bar, percent))
    return rows


def level_overview(manager):
    """What the "my level" page shows: the level, its history, and progress in the open period
    toward the promotion thresholds of the next level (a fixed number of queries)."""
    period = open_period()
    above = next_level(level_of(manager))
    progress = []
    keep = []
    if period is not None:
        metrics = metrics_for(manager, period)
        standards = standards_in_force(period)
        own = standards.get(level_of(manager).pk)
        if above is not None:
            progress = _labelled(
                progress_toward(metrics, thresholds_as_json(standards.get(above.pk), "promote"))
            )
        keep = _labelled(progress_toward(metrics, thresholds_as_json(own, "keep")))
    return {
        "manager": manager,
        "level": level_of(manager),
        "next_level": above,
        "period": period,
        "progress": progress,
        "keep": keep,
        "history": list(level_history(manager)),
    }


def _labelled(rows):
    from grading.models import METRIC_LABELS

    return [
        {"label": METRIC_LABELS[key], "value": value, "threshold": bar, "percent": percent}
        for key, value, bar, percent in rows
    ]


def may_give_second_approval(user):
    """Who may give a second approval: a superuser, until the organisation's city and
    province heads exist."""
    return bool(user.is_authenticated and user.is_superuser)


def awaiting_review(user, today=None):
    """The assessments the user can decide now: submitted ones in their scope whose period is
    over (or past its close date), never their own; for whoever may give a second approval,
    also those awaiting it that somebody else decided."""
    from django.db.models import Q

    from grading.models import Assessment

    today = today or timezone.localdate()
    decidable = Q(period__closes_on__lte=today) | Q(
        period__closes_on__isnull=True, period__end__lt=today
    )
    wanted = Q(status=Assessment.Status.SUBMITTED) & decidable
    if may_give_second_approval(user):
        wanted |= Q(status=Assessment.Status.AWAITING_SECOND) & ~Q(decided_by_id=user.pk)
    return Assessment.objects.for_user(user).exclude(manager__user_id=user.pk).filter(wanted)


def awaiting_review_count(user):
    """How many assessments await the user's review (one query)."""
    if not user.is_authenticated:
        return 0
    return awaiting_review(user).count()


def awaiting_review_count_query(user, today):
    """:func:`awaiting_review_count` as a read of at most one row ``(count,)`` (none: 0), to
    be read with a page's other reads in one statement (``core.batch``, ``core.prepared``:
    ``user`` may be an ``accounts.access.Viewer`` on placeholders; ``today`` shapes the SQL,
    so a prepared read keys on it)."""
    from django.db.models import Count, Window

    return (
        awaiting_review(user, today)
        .annotate(awaiting=Window(Count("pk")))
        .order_by()
        .values_list("awaiting")[:1]
    )


def appeal_deadline(assessment):
    """The last day the manager may appeal the outcome (GRADING_APPEAL_DAYS after it closed),
    or None while it is not final."""
    from django.conf import settings

    if not assessment.is_final or assessment.closed_at is None:
        return None
    closed = timezone.localtime(assessment.closed_at).date()
    return closed + datetime.timedelta(days=settings.GRADING_APPEAL_DAYS)


def own_assessments(manager, limit=6):
    """The manager's latest assessments, each with ``appeal_until`` set when an appeal may
    still be filed (decided, inside the window, not appealed yet). Two queries."""
    from django.db.models import Exists, OuterRef

    from grading.models import Assessment, AssessmentDecision

    appealed = AssessmentDecision.objects.filter(
        assessment=OuterRef("pk"), action=AssessmentDecision.Action.APPEAL
    )
    rows = list(
        Assessment.objects.filter(manager=manager)
        .select_related("period", "decided_level", "level_at_start")
        .annotate(appealed=Exists(appealed))
        .order_by("-period__start")[:limit]
    )
    today = timezone.localdate()
    for row in rows:
        deadline = appeal_deadline(row)
        row.appeal_until = (
            deadline if deadline is not None and not row.appealed and today <= deadline else None
        )
    return rows
