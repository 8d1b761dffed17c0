"""Reads for the branches app. Every query starts from the user's scope."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import router
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import (
    acting_manager,
    refuse,
    role_shape,
    role_values,
    scoped,
    sees_team,
    viewer_of,
)
from accounts.models import AccountManager
from branches import page_reads
from branches.models import OPEN_UNANSWERED, AbnormalEvent, Branch, EventAction, Visit
from core.dates import local_midnight
from core.paging import page_rows_query
from core.prepared import contains_pattern, fetch_prepared


def attach_branches(rows, known, *related):
    """Give each row with a ``branch_id`` its branch from ``known`` ({pk: Branch}, read
    already by the page), instead of a copy joined into every row; a branch not in ``known``
    is read, all of them in one query, with ``related`` (``select_related``) as ``known``'s.
    """
    missing = {row.branch_id for row in rows if row.branch_id is not None} - known.keys()
    if missing:
        known = known | Branch.objects.select_related(*related).in_bulk(missing)
    for row in rows:
        if row.branch_id is not None:
            row.branch = known[row.branch_id]
    return rows


def _shown_branches():
    """Branches with what a page about one shows of it (its bank, its manager's name)."""
    return Branch.objects.select_related("bank", "manager__user")


def get_branch_for_user(user, pk):
    return _shown_branches().get_for_user(user, pk=pk)


def branch_for_user_query(user, pk):
    """:func:`get_branch_for_user` as a queryset of that one branch or of none, to be read
    together with other rows (core.batch): none is the 404."""
    return _shown_branches().for_user(user).filter(pk=pk)


_BIGINT = 2**63 - 1


def get_branch_for_user_with(user, pk, key, reads):
    """``(branch, *rows)``: ``get_branch_for_user(user, pk)`` (404 outside the user's scope)
    and the rows of each queryset of ``reads(branch)``, all in one prepared statement
    (``core.prepared``): a form page's reads were most of its own time, built and compiled
    on each request (issue 22). ``reads`` gets the branch's id, or the placeholder for it, as
    the page_reads factories do (a filter's value only); ``key`` names the page's reads.
    A city or province head (their scope is a list of teams) reads the ordinary way."""
    shape = role_shape(user)
    if shape is None or not 0 < pk <= _BIGINT:
        branch = get_branch_for_user(user, pk)
        return (branch, *(list(queryset) for queryset in reads(branch.pk)))

    def build(v):
        branch = _shown_branches().for_user(viewer_of(shape, v))
        return [branch.filter(pk=v.branch), *reads(v.branch)]

    found, *rows = fetch_prepared(
        ("branches.branch_with", key, shape), build, branch=pk, **role_values(user, shape)
    )
    if not found:
        refuse(user, Branch)
    branch = found[0]
    for result in rows:
        page_reads.known_branch(result, branch)
    return (branch, *rows)


def get_visit_for_user(user, pk):
    return Visit.objects.select_related("branch__bank", "manager__user").get_for_user(user, pk=pk)


def checkins_for_user(user):
    """Visits with a check-in (every visit logged since check-ins exist), newest first."""
    return (
        Visit.objects.for_user(user)
        .exclude(location_status="")
        .select_related("branch__bank", "manager__user")
        .order_by("-visited_at")
    )


def branches_for_user(user):
    return Branch.objects.for_user(user).select_related("bank", "manager__user")


def branch_list(user):
    """Branches for the list page; last visit comes from the indexed Branch.last_visit_at."""
    return branches_for_user(user).order_by("bank__name", "code")


def district_choices_query(user):
    """The districts of the branches the user may see, for the list's filter (values)."""
    return (
        Branch.objects.for_user(user)
        .exclude(district="")
        .order_by("district")
        .values_list("district", flat=True)
        .distinct()
    )


def manager_choices_query(user):
    """The managers the user may see, for the list's filter (a supervisor's or more)."""
    return scoped(AccountManager.objects.select_related("user"), user, "")


def branch_search(text, lookup="icontains"):
    """A Q on Branch: ``text`` in the name, the code, the bank's name or short name (any case).
    ``lookup="icontains_pattern"`` takes ``text``'s pattern instead (core.prepared)."""
    return (
        Q(**{f"name__{lookup}": text})
        | Q(**{f"code__{lookup}": text})
        | Q(**{f"bank__name__{lookup}": text})
        | Q(**{f"bank__short_name__{lookup}": text})
    )


def not_visited_cutoff(days):
    """The start of the first local day too recent for "not visited for ``days`` days"."""
    first_day_too_recent = timezone.localdate() - datetime.timedelta(days=days - 1)
    return timezone.make_aware(datetime.datetime.combine(first_day_too_recent, datetime.time()))


def not_visited_since(cutoff):
    """A Q on Branch: never visited, or last visited before ``cutoff``."""
    return Q(last_visit_at__isnull=True) | Q(last_visit_at__lt=cutoff)


# The list's filters a prepared read takes, in BranchFilter's order (the same SQL): each one
# given shapes the SQL and is in the read's key, its value is a value of the read.
BRANCH_FILTERS = ("q", "tier", "district", "manager", "not_visited_days")


def filter_branches(queryset, names, v):
    """``queryset`` filtered as BranchFilter filters it by ``names`` (of BRANCH_FILTERS),
    with ``filter_values``' values as ``v``."""
    if "q" in names:
        queryset = queryset.filter(branch_search(v.q, "icontains_pattern"))
    if "tier" in names:
        queryset = queryset.filter(tier__exact=v.tier)
    if "district" in names:
        queryset = queryset.filter(district__exact=v.district)
    if "manager" in names:
        queryset = queryset.filter(manager__exact=v.manager)
    if "not_visited_days" in names:
        queryset = queryset.filter(not_visited_since(v.not_visited_days))
    return queryset


def filter_values(filters):
    """BranchFilter.prepared_filters' values as the read binds them: the search as its LIKE
    pattern, the days as the cutoff."""
    values = dict(filters)
    if "q" in values:
        values["q"] = contains_pattern(values["q"], router.db_for_read(Branch))
    if "not_visited_days" in values:
        values["not_visited_days"] = not_visited_cutoff(values["not_visited_days"])
    return values


def branch_list_reads(user, per_page, wanted, filters=None):
    """(page ``wanted``'s rows of ``branch_list`` filtered by ``filters`` with ``page_total``,
    the district choices, the manager choices or None) in one prepared statement
    (``core.prepared``) read for a stand-in of the user: the list's three reads were most of
    its own time, being built and compiled on each request (issue 22). ``filters``: the
    form's valid filters ({name: value}, BranchFilter.prepared_filters). None for a city or
    province head (their scope is a list of teams) and for a page below 1."""
    shape = role_shape(user)
    if shape is None or wanted < 1:
        return None
    team = sees_team(user)
    filters = filters or {}
    names = tuple(name for name in BRANCH_FILTERS if name in filters)

    def build(v):
        viewer = viewer_of(shape, v)
        reads = [
            page_rows_query(filter_branches(branch_list(viewer), names, v), per_page, wanted),
            district_choices_query(viewer),
        ]
        return [*reads, manager_choices_query(viewer)] if team else reads

    rows = fetch_prepared(
        ("branches.list", shape, team, per_page, wanted, names),
        build,
        **role_values(user, shape),
        **filter_values(filters),
    )
    return (*rows, None) if not team else tuple(rows)


def recent_events(branch, limit):
    """The branch's latest abnormal events, newest first.

    The overview (latest 10) and the timeline's events provider (latest 50) show the same
    rows: the first caller's query is kept on the branch instance for the request, so the
    branch page reads them once.
    """
    prefetched = page_reads.prefetched(branch, "branches.events")
    if prefetched is not None and prefetched[0] >= limit:
        return prefetched[1][:limit]
    cached = branch.__dict__.get("_recent_events")
    if cached is not None:
        fetched_limit, rows = cached
        # Enough rows, or every row there is: no need to ask again.
        if fetched_limit >= limit or len(rows) < fetched_limit:
            return rows[:limit]
    rows = page_reads.rows(branch, "branches.events", limit=limit)
    branch.__dict__["_recent_events"] = (limit, rows)
    return rows


def of_branch(related_name, branch):
    """The rows of the branch's ``related_name`` (a branch id or its page_reads placeholder:
    not ``branch.<related_name>``, which needs the instance)."""
    related = Branch._meta.get_field(related_name)
    return related.related_model._default_manager.filter(**{related.field.name: branch})


def _events(branch, limit):
    return (
        of_branch("events", branch)
        .select_related("reported_by", "responded_by")
        .order_by("-occurred_on", "-pk")[:limit]
    )


# The branch page's own reads, made with the panels' in one statement (branches.page_reads).
page_reads.register_read("branches.events", _events)
page_reads.register_read(
    "branches.deposits", lambda branch, limit: of_branch("deposits", branch).order_by("-as_of")[:2]
)
page_reads.register_read(
    "branches.current_targets",
    lambda branch, limit: of_branch("targets", branch)
    .filter(period_start__lte=timezone.localdate(), period_end__gte=timezone.localdate())
    .order_by("period_start"),
)
page_reads.register_read(
    "branches.competitors",
    lambda branch, limit: of_branch("competitors", branch).order_by(
        "insurer", "-observed_on", "-pk"
    ),
)
page_reads.register_read(
    "branches.staff",
    # The staff app's model, through the relation: branches does not import staff.
    lambda branch, limit: of_branch("staff", branch)
    .filter(is_active=True)
    .order_by("role", "name"),
)


def get_event_for_user(user, pk):
    return AbnormalEvent.objects.select_related(
        "branch__bank", "branch__manager__user", "reported_by", "responded_by", "escalated_to"
    ).get_for_user(user, pk=pk)


def event_history(event):
    """The event's actions, oldest first, with who did each."""
    return list(
        EventAction.objects.filter(event=event).select_related("actor").order_by("at", "pk")
    )


def overdue_events_for_user(user, now=None, limit=None):
    """Events in the user's scope past their response time and still unanswered, the most
    overdue first (the dashboard's list)."""
    rows = (
        AbnormalEvent.objects.for_user(user)
        .filter(status__in=OPEN_UNANSWERED, respond_by__lt=now or timezone.now())
        .select_related("branch__bank", "branch__manager__user", "escalated_to")
        .order_by("respond_by", "pk")
    )
    return rows[:limit] if limit else rows


def branch_overview(branch):
    """Key figures for the branch page, in a constant number of queries."""
    deposits = page_reads.rows(branch, "branches.deposits")
    deposit = None
    if deposits:
        latest = deposits[0]
        previous = deposits[1] if len(deposits) > 1 else None
        deposit = {
            "latest": latest,
            "previous": previous,
            "change": latest.total - previous.total if previous else None,
        }
    targets = page_reads.rows(branch, "branches.current_targets")
    # Append-only observations: the latest per insurer, compared with the one before it.
    latest_by_insurer = {}
    for row in page_reads.rows(branch, "branches.competitors"):
        latest_by_insurer.setdefault(row.insurer, []).append(row)
    competitors = []
    for rows in latest_by_insurer.values():
        latest = rows[0]
        previous = rows[1] if len(rows) > 1 else None
        competitors.append(
            {
                "latest": latest,
                "previous": previous,
                "annual_change": latest.annual_premium - previous.annual_premium
                if previous
                else None,
                "recent_change": latest.recent_premium - previous.recent_premium
                if previous
                else None,
            }
        )
    competitors.sort(key=lambda c: c["latest"].annual_premium, reverse=True)
    return {
        "deposit": deposit,
        "targets": targets,
        "competitors": competitors,
        "staff": page_reads.rows(branch, "branches.staff"),
        "events": recent_events(branch, 10),
    }


def default_visit_manager(user, branch):
    """Who a visit is logged for: the signed-in manager, else the branch's manager."""
    return acting_manager(user, branch.manager)


# --- Visits: when a branch is due one ---------------------------------------------------------


def visit_interval(tier):
    """Days between visits a branch of this tier should get."""
    return {
        Branch.Tier.A: settings.VISIT_INTERVAL_DAYS_A,
        Branch.Tier.B: settings.VISIT_INTERVAL_DAYS_B,
        Branch.Tier.C: settings.VISIT_INTERVAL_DAYS_C,
    }.get(tier, settings.VISIT_INTERVAL_DAYS_B)


def overdue_for_visit(today):
    """A Q on Branch: due a visit on ``today``, the planner's ``is_overdue`` in SQL.

    Never visited, or last visited on a local date more than the tier's interval before
    ``today`` (a 7-day tier last visited on Monday the 1st is overdue from Tuesday the 9th).
    The dashboard and the weekly digest count with this, so they agree with the planner.
    """
    condition = Q(last_visit_at__isnull=True)
    for tier in Branch.Tier.values:
        cutoff = local_midnight(today - datetime.timedelta(days=visit_interval(tier)))
        condition |= Q(tier=tier, last_visit_at__lt=cutoff)
    return condition


def is_overdue_for_visit(branch, today):
    """:func:`overdue_for_visit` for a branch already in memory (no query)."""
    if branch.last_visit_at is None:
        return True
    if branch.tier not in Branch.Tier.values:
        return False
    cutoff = local_midnight(today - datetime.timedelta(days=visit_interval(branch.tier)))
    return branch.last_visit_at < cutoff


def latest_visit_value(field, branch_ref="pk"):
    """A subquery: ``field`` of the branch's latest visit, the latest by its time, then by
    id (as the ``visit_branch_latest`` index orders them). ``branch_ref`` is the outer
    query's path to the branch id ("pk" on Branch)."""
    return Subquery(
        Visit.objects.filter(branch=OuterRef(branch_ref))
        .order_by("-visited_at", "-pk")
        .values(field)[:1]
    )


def latest_planned_visit(branch_ref="pk"):
    """A subquery: the next visit planned at the branch's latest visit.

    The latest visit's plan wins (an older visit's plan was superseded by the next visit).
    Pages read the stored copy, ``Branch.planned_visit_on`` (branches.services keeps it);
    this is its definition, for keeping it and for checking it.
    """
    return latest_visit_value("next_visit_on", branch_ref)


# --- Open events across branches ---------------------------------------------------------------

# Age of an event from the day it occurred: (key, label, youngest day, oldest day or None).
EVENT_AGES = (
    ("week", _("This week (up to 7 days)"), 0, 7),
    ("month", _("8 to 30 days"), 8, 30),
    ("older", _("Over 30 days"), 31, None),
)
OPEN_EVENTS_LIMIT = 1000


def age_of(occurred_on, today):
    days = (today - occurred_on).days
    for key, _label, youngest, oldest in EVENT_AGES:
        if days >= youngest and (oldest is None or days <= oldest):
            return key
    return EVENT_AGES[0][0]  # dated in the future: counts as new


def open_events(user, *, category=None, bank=None, age=None, status=None, today=None):
    """The user's open (not closed) abnormal events, filtered on indexed columns: status,
    category, the branch's bank and occurred_on (the age band). Oldest first."""
    today = today or timezone.localdate()
    rows = AbnormalEvent.objects.for_user(user).exclude(status=AbnormalEvent.Status.CLOSED)
    if status:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    if bank is not None:
        rows = rows.filter(branch__bank=bank)
    if age:
        _key, _label, youngest, oldest = next(band for band in EVENT_AGES if band[0] == age)
        rows = rows.filter(occurred_on__lte=today - datetime.timedelta(days=youngest))
        if oldest is not None:
            rows = rows.filter(occurred_on__gte=today - datetime.timedelta(days=oldest))
    return rows.select_related("branch__bank", "branch__manager__user").order_by(
        "occurred_on", "pk"
    )


@dataclass
class EventGroup:
    """Open events of one category at one bank within one age band: one bank-wide matter
    reported at several branches reads as one line."""

    category: str
    category_label: str
    bank: object
    age: str
    age_label: str
    events: list = field(default_factory=list)

    @property
    def branches(self):
        seen = {}
        for event in self.events:
            seen.setdefault(event.branch_id, event.branch)
        return list(seen.values())

    @property
    def overdue_count(self):
        now = timezone.now()
        return sum(event.is_overdue(now) for event in self.events)

    @property
    def first_occurred(self):
        return min(event.occurred_on for event in self.events)


def group_open_events(events, today=None):
    """EventGroups, the largest first (then the oldest): no query beyond reading ``events``."""
    today = today or timezone.localdate()
    ages = {key: label for key, label, _youngest, _oldest in EVENT_AGES}
    groups = {}
    for event in events:
        age = age_of(event.occurred_on, today)
        key = (event.category, event.branch.bank_id, age)
        if key not in groups:
            groups[key] = EventGroup(
                category=event.category,
                category_label=event.get_category_display(),
                bank=event.branch.bank,
                age=age,
                age_label=ages[age],
            )
        groups[key].events.append(event)
    return sorted(
        groups.values(),
        key=lambda group: (-len(group.branches), group.first_occurred, str(group.bank)),
    )
