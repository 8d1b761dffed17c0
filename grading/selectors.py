"""Reads for the grading app: a manager's metrics for a period, the standards in force, and
the scoped fetches views use (404 outside the user's scope)."""

import datetime
from decimal import Decimal

from django.db.models import Count, F
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


def metrics_for_managers(managers, period):
    """{manager_id: {metric: value}} for the period, in a fixed number of queries.

    Sales metrics come from SalesFigure (None when no figure was entered); activity metrics are
    counted here. Decimals are strings so the result can be frozen as JSON.
    """
    ids = [manager.pk for manager in managers]
    figures = {
        figure.manager_id: figure
        for figure in SalesFigure.objects.filter(period=period, manager_id__in=ids)
    }
    visits = _visit_counts(ids, period)
    trainings = _training_counts(ids, period)
    cases = _cases_on_time_counts(ids, period)
    result = {}
    for pk in ids:
        figure = figures.get(pk)
        result[pk] = {
            "premium": _json_number(figure.premium) if figure else None,
            "policies": figure.policies if figure else None,
            "active_branches": figure.active_branches if figure else None,
            "persistency": _json_number(figure.persistency) if figure else None,
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
