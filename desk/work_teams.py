"""Work counted for the team it was done in: a manager's dated ``accounts.TeamMembership``
on the day of each row decides which team the row counts for (``desk.units`` and the unit
figures' refresh in ``desk.services`` both count this way)."""

from django.db import connections
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from accounts.models import AccountManager, TeamMembership
from branches.models import VisitDay
from core.periods import LocalMidnight
from desk.dashboard import AnyOf


def team_on_day(manager_ref, day_ref):
    """The team a manager (at ``manager_ref``) was in on a day (at ``day_ref``), as SQL."""
    return Subquery(
        TeamMembership.objects.filter(
            manager_id=OuterRef(manager_ref), started__lte=OuterRef(day_ref)
        )
        .filter(Q(ended__isnull=True) | Q(ended__gt=OuterRef(day_ref)))
        .values("team_id")[:1],
        output_field=IntegerField(),
    )


def with_work_team(queryset, manager_ref, day):
    """``queryset`` annotated with ``work_team``: its manager's team on its day."""
    field_ = queryset.model._meta.get_field(day)
    day_expression = TruncDate(day) if field_.get_internal_type() == "DateTimeField" else F(day)
    return queryset.annotate(work_day=day_expression).annotate(
        work_team=team_on_day(manager_ref, "work_day")
    )


def in_teams(queryset, *, manager_ref, day, team_ids):
    """``queryset`` joined to its manager's membership of one of ``team_ids`` on its day,
    annotated with that team as ``work_team``.

    A join, not ``team_on_day``'s subquery per row: PostgreSQL reads each membership's
    manager's rows of the period through the (manager, date) index instead of running a
    subquery for every row of the period (issue 22: 3 s for the province at scale 1).
    Memberships of a manager never overlap, so a row joins at most one.
    """
    field_ = queryset.model._meta.get_field(day)
    membership = f"{manager_ref.removesuffix('_id')}__memberships"
    started, ended = f"{membership}__started", f"{membership}__ended"
    if field_.get_internal_type() != "DateTimeField":
        from_start = Q(**{f"{started}__lte": F(day)})
        before_end = Q(**{f"{ended}__gt": F(day)})
    elif connections[queryset.db].vendor == "postgresql":
        # The membership's days as instants (two conversions per membership), not each
        # row's time as a local date (two per row): 85 -> 30 ms for a province's 12 weeks.
        from_start = Q(**{f"{day}__gte": LocalMidnight(started)})
        before_end = Q(**{f"{day}__lt": LocalMidnight(ended)})
    else:
        from_start = Q(**{f"{started}__lte": TruncDate(day)})
        before_end = Q(**{f"{ended}__gt": TruncDate(day)})
    return queryset.filter(
        from_start & (Q(**{f"{ended}__isnull": True}) | before_end),
        team_in(f"{membership}__team_id", team_ids),
    ).annotate(work_team=F(f"{membership}__team_id"))


def team_in(ref, team_ids):
    """A filter: ``ref`` is one of ``team_ids``, a list or a subquery of ids (``AnyOf``);
    None: any team (``desk.services`` counts every team at once)."""
    if team_ids is None:
        return Q()
    if isinstance(team_ids, QuerySet):
        return AnyOf(ref, team_ids)
    return Q(**{f"{ref}__in": list(team_ids)})


def managers_in(team_ids):
    """The active managers whose current team is one of ``team_ids`` (as :func:`team_in`):
    whom a unit's states of today count (its managers, their week's checklist)."""
    return AccountManager.objects.filter(team_in("team_id", team_ids), is_active=True)


def counts_by_team(queryset, *, manager_ref, day, team_ids, extra=None, total=None):
    """{team id: {"total": n, **extra}} for the rows of ``queryset``, each counted for the team
    its manager was in on its day. ``day`` is a date field, or a datetime field (its local
    date is used); ``total``: what a row adds (default one: ``Count("*")``)."""
    return by_team(
        counts_by_team_query(
            queryset, manager_ref=manager_ref, day=day, team_ids=team_ids, extra=extra, total=total
        )
    )


def counts_by_team_query(queryset, *, manager_ref, day, team_ids, extra=None, total=None):
    return (
        in_teams(queryset, manager_ref=manager_ref, day=day, team_ids=team_ids)
        .values("work_team")
        .annotate(total=Count("*") if total is None else total, **(extra or {}))
    )


def by_team(rows):
    return {row.pop("work_team"): row for row in rows}


def visit_days_query(team_ids, since):
    """Visits per manager and local day (``branches.VisitDay``) from ``since`` on, joined to the
    membership of one of ``team_ids`` their manager had on that day (``work_team``): a date
    compared with dates, where counting the visits themselves converted each one's time."""
    return in_teams(
        VisitDay.objects.filter(day__gte=since),
        manager_ref="manager_id",
        day="day",
        team_ids=team_ids,
    )
