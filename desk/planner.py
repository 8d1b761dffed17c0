"""The visit planner: which of my branches to visit next, and why.

A branch's urgency starts from how far it is through its tier's visit interval
(``settings.VISIT_INTERVAL_DAYS_A/B/C``): 1.0 means a visit is due today, 1.5 that it is
half an interval overdue. A branch never visited counts as :data:`NEVER_VISITED` intervals
through. Things that need the manager on site raise it:

- each item out of stock: +``WEIGHTS["stock_out"]``; each item low or at risk: +``stock_low``;
- each overdue case: +``case_overdue``; each other open case: +``case_open``;
- each key teller or centre of influence with a birthday in the next days: +``birthday``;
- a visit planned (at the latest visit: Branch.planned_visit_on) for today or earlier:
  +``planned``;
- this month's premium behind plan (达成率 at least ``BEHIND_PLAN_POINTS`` percentage points below
  the share of the month gone by): +``behind_plan`` ("Behind plan by 32%").

Beside the branches, the plan lists the customers (large customers above all) whose next
follow-up is due within ``FOLLOW_UP_DAYS``, with their branch.

Every row carries the reasons, so the page can say why a branch is where it is.
Eight queries, whatever the number of branches (the stock check reads only the candidate
rows, and their usage again where the stored figure is not today's).
"""

import functools
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import AccountManager
from branches.models import Bank, Branch
from branches.selectors import attach_branches, visit_interval
from core.names import NAME_FIELDS
from documents.selectors import (
    StockState,
    attention_for_user,
    attention_for_user_from,
)
from service.models import open_case_q
from staff.models import BranchStaff
from staff.selectors import in_birthday_window
from staff.selectors import upcoming_birthdays as staff_upcoming_birthdays

NEVER_VISITED = 2.0
WEIGHTS = {
    "stock_out": 0.5,
    "stock_low": 0.25,
    "case_overdue": 1.0,
    "case_open": 0.25,
    "birthday": 0.5,
    "planned": 0.5,
    "behind_plan": 0.5,
}
BEHIND_PLAN_POINTS = 20
BIRTHDAY_WINDOW_DAYS = 7
FOLLOW_UP_DAYS = 7
FOLLOW_UP_ROWS = 10


@dataclass(frozen=True)
class Reason:
    code: str
    text: str


@dataclass
class PlannerRow:
    branch: Branch
    interval: int
    days_since: int | None  # None: never visited
    score: float = 0.0
    # [(code, a function giving the text)]: the texts of the rows on the page only.
    reason_parts: list = field(default_factory=list, repr=False)
    stock: list = field(default_factory=list)  # BranchStock rows needing attention
    birthdays: list = field(default_factory=list)  # UpcomingBirthday of key staff
    behind_plan: int | None = None  # percentage points behind this month's pace; None: no target

    @cached_property
    def reasons(self):
        """[Reason]: why the branch is where it is, most important first."""
        return [Reason(code, text()) for code, text in self.reason_parts]

    @property
    def days_overdue(self):
        """Positive: overdue by that many days; zero or negative: due in that many days."""
        if self.days_since is None:
            return None
        return self.days_since - self.interval

    @property
    def is_overdue(self):
        return self.days_since is None or self.days_since > self.interval


@dataclass
class Plan:
    rows: list  # PlannerRow, most urgent first
    stock: list  # every BranchStock row in scope needing attention, most urgent first
    birthdays: list  # UpcomingBirthday of all staff in scope, soonest first
    follow_ups: list = field(default_factory=list)  # sales.Customer due a contact, soonest first

    @property
    def overdue_count(self):
        return sum(1 for row in self.rows if row.is_overdue)


# The columns the planner, the checklist, the stock and birthday rows and the page read,
# per model (a supervisor's 244 branches came with their addresses, coordinates, notes and
# every column of the manager and the user, password hash included).
BRANCH_FIELDS = (
    "id",
    "bank_id",
    "name",
    "tier",
    "is_active",
    "manager_id",
    "last_visit_at",
    "planned_visit_on",
)
BANK_FIELDS = ("id", "name", "short_name")  # str(bank)
MANAGER_FIELDS = ("id", "user_id")
USER_FIELDS = ("id", *NAME_FIELDS)
COUNTS = ("open_case_count", "overdue_case_count")


def _branches(user, today, now=None):
    """The planner's read of the user's active branches; ``now`` (the overdue cases' cut)
    a moment or a prepared read's placeholder (core.prepared)."""
    now = timezone.now() if now is None else now
    return (
        Branch.objects.for_user(user)
        .filter(is_active=True)
        # Only the open cases are joined (the condition sits in the join, served by the
        # cases' open-by-branch partial index): joining every case of every branch and
        # filtering in the aggregate read twenty rows a branch to count one.
        .annotate(open_cases=FilteredRelation("cases", condition=open_case_q("cases__")))
        .annotate(
            open_case_count=Count("open_cases"),
            overdue_case_count=Count("open_cases", filter=Q(open_cases__due_at__lt=now)),
        )
        .order_by("bank__name", "code")
    )


def _in_model_order(model, names):
    """``names`` in the order of the model's concrete fields (as Model.from_db wants)."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


@functools.cache
def _shapes():
    user_model = get_user_model()
    return [
        (Branch, _in_model_order(Branch, BRANCH_FIELDS), ""),
        (Bank, _in_model_order(Bank, BANK_FIELDS), "bank__"),
        (AccountManager, _in_model_order(AccountManager, MANAGER_FIELDS), "manager__"),
        (user_model, _in_model_order(user_model, USER_FIELDS), "manager__user__"),
    ]


def branch_rows_query(queryset):
    """The planner's branch query as plain rows, unevaluated (``_read_branches`` reads them;
    to be read with others: core.batch, core.prepared)."""
    columns = [prefix + name for _model, names, prefix in _shapes() for name in names]
    return queryset.values_list(*columns, *COUNTS)


def _read_branches(queryset):
    """[Branch] of the planner's query, with their bank and manager's user, one statement."""
    return _branches_from(list(branch_rows_query(queryset)), queryset.db)


def _branches_from(rows, db):
    """[Branch] from the rows of ``branch_rows_query``.

    What ``select_related("bank", "manager__user").only(...)`` would give, but a bank,
    manager and user are built once for all their branches (a supervisor's 244 branches
    share a dozen banks and ten managers: 976 models became about 270).
    """
    user_model = get_user_model()
    shapes = _shapes()
    banks, managers = {}, {}
    set_bank = Branch._meta.get_field("bank").set_cached_value
    set_manager = Branch._meta.get_field("manager").set_cached_value
    set_user = AccountManager._meta.get_field("user").set_cached_value
    branch_names, bank_names, manager_names, user_names = (names for _m, names, _p in shapes)
    b_end = len(branch_names)
    k_end = b_end + len(bank_names)
    m_end = k_end + len(manager_names)
    u_end = m_end + len(user_names)
    branches = []
    for row in rows:
        branch = Branch.from_db(db, branch_names, row[:b_end])
        branch.open_case_count, branch.overdue_case_count = row[u_end:]
        bank = banks.get(row[b_end])
        if bank is None:
            bank = banks[row[b_end]] = Bank.from_db(db, bank_names, row[b_end:k_end])
        manager = managers.get(row[k_end])
        if manager is None:
            manager = managers[row[k_end]] = AccountManager.from_db(
                db, manager_names, row[k_end:m_end]
            )
            set_user(manager, user_model.from_db(db, user_names, row[m_end:u_end]))
        set_bank(branch, bank)
        set_manager(branch, manager)
        branches.append(branch)
    return branches


# What the planner and the home use of a member of staff with a birthday coming.
STAFF_FIELDS = (
    "name",
    "role",
    "is_key_teller",
    "is_influencer",
    "birth_month",
    "birth_day",
    "branch",
)


def birthdays_query(user, today, days=BIRTHDAY_WINDOW_DAYS):
    """``upcoming_birthdays``' read (``branches`` given), unevaluated."""
    staff = BranchStaff.objects.for_user(user).only(*STAFF_FIELDS)
    return in_birthday_window(staff, today, days)


def upcoming_birthdays(user, today, days=BIRTHDAY_WINDOW_DAYS, branches=None, staff=None):
    """Active staff of the user's active branches with a birthday today .. today + days.

    The window is the staff app's rule (indexed monthday ranges); one query.
    ``branches``: {pk: Branch} with their bank already read (the planner's, the same scope):
    each member is given its branch from there rather than a copy joined in.
    ``staff``: ``birthdays_query`` already read (``branches`` given).
    """
    if branches is None:
        query = birthdays_query(user, today, days)
        return staff_upcoming_birthdays(query.select_related("branch__bank"), today)
    if staff is None:
        staff = list(birthdays_query(user, today, days))
    return staff_upcoming_birthdays(attach_branches(staff, branches, "bank"), today)


def _days_since(branch, today, zone):
    if branch.last_visit_at is None:
        return None
    return (today - branch.last_visit_at.astimezone(zone).date()).days


def _visit_reason(row):
    """(code, text function) of the visit reason."""
    if row.days_since is None:
        return "never", lambda: _("Never visited")
    overdue = row.days_overdue
    if overdue > 0:
        return "overdue", lambda: (
            ngettext(
                "Visit overdue by %(days)d day (every %(interval)d days)",
                "Visit overdue by %(days)d days (every %(interval)d days)",
                overdue,
            )
            % {"days": overdue, "interval": row.interval}
        )
    if overdue == 0:
        return "due", lambda: _("Visit due today")
    return "not_due", lambda: (
        ngettext("Next visit due in %(days)d day", "Next visit due in %(days)d days", -overdue)
        % {"days": -overdue}
    )


def _birthday_text(birthday):
    if birthday.days_away == 0:
        return _("Birthday today: %(name)s") % {"name": birthday.staff.name}
    return ngettext(
        "Birthday in %(days)d day: %(name)s (%(date)s)",
        "Birthday in %(days)d days: %(name)s (%(date)s)",
        birthday.days_away,
    ) % {
        "days": birthday.days_away,
        "name": birthday.staff.name,
        "date": birthday.date.strftime("%m-%d"),
    }


def _score(row, today):
    """Set the row's score and its reasons (their texts are made when first shown: a
    supervisor's planner ranks hundreds of branches and shows eight)."""
    parts = [_visit_reason(row)]
    score = NEVER_VISITED if row.days_since is None else row.days_since / row.interval
    out = sum(1 for item in row.stock if item.assessment.state == StockState.OUT)
    low = len(row.stock) - out
    if out:
        score += WEIGHTS["stock_out"] * out
        parts.append(
            (
                "stock_out",
                lambda: ngettext("%(count)d item out of stock", "%(count)d items out of stock", out)
                % {"count": out},
            )
        )
    if low:
        score += WEIGHTS["stock_low"] * low
        parts.append(
            (
                "stock_low",
                lambda: ngettext(
                    "%(count)d item low or at risk", "%(count)d items low or at risk", low
                )
                % {"count": low},
            )
        )
    branch = row.branch
    overdue_cases = branch.overdue_case_count
    other_open = branch.open_case_count - overdue_cases
    if overdue_cases:
        score += WEIGHTS["case_overdue"] * overdue_cases
        parts.append(
            (
                "case_overdue",
                lambda: ngettext("%(count)d overdue case", "%(count)d overdue cases", overdue_cases)
                % {"count": overdue_cases},
            )
        )
    if other_open:
        score += WEIGHTS["case_open"] * other_open
        parts.append(
            (
                "case_open",
                lambda: ngettext("%(count)d open case", "%(count)d open cases", other_open)
                % {"count": other_open},
            )
        )
    for birthday in row.birthdays:
        score += WEIGHTS["birthday"]
        parts.append(("birthday", lambda birthday=birthday: _birthday_text(birthday)))
    behind = row.behind_plan
    if behind is not None and behind >= BEHIND_PLAN_POINTS:
        score += WEIGHTS["behind_plan"]
        parts.append(("behind_plan", lambda: _("Behind plan by %(points)s%%") % {"points": behind}))
    planned = branch.planned_visit_on
    if planned is not None and planned <= today:
        score += WEIGHTS["planned"]
        parts.append(
            ("planned", lambda: _("Visit planned for %(date)s") % {"date": planned.isoformat()})
        )
    row.score = round(score, 3)
    row.reason_parts = parts


@dataclass
class PlannerReads:
    """The planner's reads made already (the home page reads them with its other reads in
    one prepared statement): the rows of ``branch_rows_query(_branches(...))``, of
    ``birthdays_query`` and of ``sales.selectors.follow_ups_query``."""

    branch_rows: list
    staff: list
    follow_ups: list
    # stock: the rows of documents.selectors.attention_for_user_query, or None: read here.
    stock: list | None = None


def reads_queries(user, today, now=None):
    """The querysets whose rows make a :class:`PlannerReads`, unevaluated. ``user`` may be
    a stand-in whose ids are placeholders (core.prepared), ``now`` too."""
    from sales.selectors import follow_ups_query

    return [
        branch_rows_query(_branches(user, today, now)),
        birthdays_query(user, today),
        follow_ups_query(user, today, FOLLOW_UP_DAYS, FOLLOW_UP_ROWS),
    ]


def plan_visits(user, today=None, progress_of=None, reads=None):
    """The user's active branches, most urgent visit first, each with its reasons.

    Scope: the user's own branches (a supervisor: the team's). Eight queries; ``reads``
    (:class:`PlannerReads`) made already: none, or one for stale stock usage.
    """
    from sales.selectors import MONTH, branch_progress, follow_ups_due, window

    today = today or timezone.localdate()
    if reads is None:
        branches = _read_branches(_branches(user, today))
    else:
        branches = _branches_from(reads.branch_rows, Branch.objects.db)
    by_pk = {branch.pk: branch for branch in branches}
    # The planner already has each branch's bank and manager: the stock check and the
    # birthdays reuse them (same scope) instead of joining a copy per row.
    if reads is not None and reads.stock is not None:
        stock = attention_for_user_from(reads.stock, today, by_pk)
    else:
        stock = attention_for_user(user, today=today, branches=by_pk)
    birthdays = upcoming_birthdays(
        user, today, branches=by_pk, staff=None if reads is None else reads.staff
    )
    stock_by_branch = {}
    for item in stock:
        stock_by_branch.setdefault(item.branch_id, []).append(item)
    key_birthdays = {}
    for birthday in birthdays:
        if birthday.staff.is_key_teller or birthday.staff.is_influencer:
            key_birthdays.setdefault(birthday.staff.branch_id, []).append(birthday)
    month = window(MONTH, today)
    # progress_of(branches) -> {(branch id, MONTH): Progress}: the home page reads it
    # together with the manager's month (sales.selectors.home_month).
    ids = [branch.pk for branch in branches]
    progress = progress_of(branches) if progress_of else branch_progress(ids, [month])
    zone = timezone.get_current_timezone()
    rows = []
    for branch in branches:
        rate = progress[(branch.pk, MONTH)].premium_rate
        row = PlannerRow(
            branch=branch,
            interval=visit_interval(branch.tier),
            days_since=_days_since(branch, today, zone),
            stock=stock_by_branch.get(branch.pk, []),
            birthdays=key_birthdays.get(branch.pk, []),
            behind_plan=None if rate is None else max(month.elapsed_percent - int(rate), 0),
        )
        _score(row, today)
        rows.append(row)
    rows.sort(key=lambda row: (-row.score, row.branch.name, row.branch.pk))
    if reads is None:
        follow_ups = follow_ups_due(user, today, FOLLOW_UP_DAYS, FOLLOW_UP_ROWS)
    else:
        follow_ups = reads.follow_ups
    return Plan(rows=rows, stock=stock, birthdays=birthdays, follow_ups=follow_ups)
