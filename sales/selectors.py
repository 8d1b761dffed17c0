"""Reads of the sales app: 达成率 (results against plan) per branch, manager and team.

The rules:

- A *window* is a month, a quarter, or the year to date. Sales count the policies *signed*
  in the window, except those cancelled within the cooling-off period (撤单: never a sale);
  a later surrender (退保) does not undo the sale of its month.
- A window's *target* is every PlanTarget overlapping it, pro-rated by the days they share:
  a monthly target counts whole in its month, a quarterly one a third per month, and the
  year to date takes each target up to today. A branch without a target has target 0, and
  a rate against 0 is "no target" (None), never a division by zero or 100%.
- A manager's figures are those of the branches they own (Branch.manager); a team's are its
  managers' summed. Every function here costs a fixed number of queries however many rows.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import AccountManager
from branches.models import PlanTarget
from core.batch import fetch_together
from sales.models import Customer, MonthlySales, Policy, Product
from staff.models import BranchStaff

ZERO = Decimal("0")
MONTH, QUARTER, YEAR = "month", "quarter", "year"
PERIOD_KINDS = (MONTH, QUARTER, YEAR)
TREND_MONTHS = 6


@dataclass(frozen=True)
class Window:
    kind: str
    start: datetime.date
    end: datetime.date  # last day counted for the target
    today: datetime.date

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def elapsed_percent(self):
        """时间进度: the share of the window gone by today (today included)."""
        if self.today < self.start:
            return 0
        if self.today >= self.end:
            return 100
        return round(100 * ((self.today - self.start).days + 1) / self.days)


def window(kind, today=None):
    """The month or quarter containing ``today``, or 1 January to ``today``."""
    today = today or timezone.localdate()
    if kind == MONTH:
        start = today.replace(day=1)
        end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    elif kind == QUARTER:
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = datetime.date(today.year, first_month, 1)
        last_month = first_month + 2
        end = datetime.date(today.year, last_month, calendar.monthrange(today.year, last_month)[1])
    elif kind == YEAR:
        start, end = datetime.date(today.year, 1, 1), today
    else:
        raise ValueError(kind)
    return Window(kind, start, end, today)


CHART_MONTHS = 12


def month_windows(today=None, months=CHART_MONTHS):
    """One window per calendar month, the last ``months`` months up to today's, oldest first.

    Each is keyed (``kind``) by "mYYYYMM" so it can share one ``manager_progress`` call with the
    usual month/quarter/year windows; a past month counts whole, this month to today.
    """
    today = today or timezone.localdate()
    result = []
    for back in range(months - 1, -1, -1):
        start = _months_before(today.replace(day=1), back)
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        result.append(Window(f"m{start:%Y%m}", start, end, today))
    return result


def _rate(done, target):
    if not target:
        return None
    return (Decimal(done) * 100 / Decimal(target)).quantize(Decimal("0.1"))


@dataclass
class Progress:
    premium: Decimal = ZERO
    policies: int = 0
    standard_premium: Decimal = ZERO
    premium_target: Decimal = ZERO
    policy_target: Decimal = ZERO

    @property
    def premium_rate(self):
        """达成率 of premium in percent, or None when there is no target."""
        return _rate(self.premium, self.premium_target)

    @property
    def policy_rate(self):
        return _rate(self.policies, self.policy_target)

    @property
    def gap(self):
        """Premium still missing to reach the target (0 once reached)."""
        return max(self.premium_target - self.premium, ZERO)

    @property
    def bar_percent(self):
        rate = self.premium_rate
        return 0 if rate is None else min(100, int(rate))

    def __add__(self, other):
        return Progress(
            self.premium + other.premium,
            self.policies + other.policies,
            self.standard_premium + other.standard_premium,
            self.premium_target + other.premium_target,
            self.policy_target + other.policy_target,
        )


def counted_policies():
    """The policies that count as sales: every status but 撤单."""
    return Policy.objects.exclude(status=Policy.Status.CANCELLED)


def _sales(group, ids, windows):
    """{(id, kind): (premium, count, standard premium)} in one query for all windows."""
    if not ids:
        return {}
    return _sales_result(group, windows, _sales_query(group, ids, windows))


def _sales_query(group, ids, windows, by=None, where=None):
    """Sums per window of the policies whose ``group`` is in ``ids`` (or matching the
    filter ``where``), a row per ``by`` (default: ``group``)."""
    earliest = min(w.start for w in windows)
    latest = max(w.today for w in windows)
    aggregates = {}
    for w in windows:
        in_window = Q(signed_on__gte=w.start, signed_on__lte=min(w.end, w.today))
        aggregates[f"premium_{w.kind}"] = Sum("premium", filter=in_window)
        aggregates[f"count_{w.kind}"] = Count("pk", filter=in_window)
        aggregates[f"standard_{w.kind}"] = Sum("standard_premium", filter=in_window)
    return (
        counted_policies()
        .filter(_where(where, group, ids), signed_on__gte=earliest, signed_on__lte=latest)
        .values(by or group)
        .annotate(**aggregates)
    )


def _where(where, group, ids):
    """The filter choosing the rows: ``where`` (a Q or a boolean expression) if given, else
    ``group`` in ``ids`` (one id compared with "=", whose value a core.prepared placeholder
    can be)."""
    if where is not None:
        return where
    return Q(**({group: ids[0]} if len(ids) == 1 else {f"{group}__in": ids}))


def _sales_result(group, windows, rows):
    result = {}
    for row in rows:
        for w in windows:
            result[(row[group], w.kind)] = (
                row[f"premium_{w.kind}"] or ZERO,
                row[f"count_{w.kind}"],
                row[f"standard_{w.kind}"] or ZERO,
            )
    return result


def _targets(group, ids, windows):
    """{(id, kind): (premium target, policy target)} pro-rated to each window (one query)."""
    if not ids:
        return {}
    return _targets_result(windows, _targets_query(group, ids, windows))


def _targets_query(group, ids, windows, by=None, where=None):
    earliest = min(w.start for w in windows)
    latest = max(w.end for w in windows)
    return PlanTarget.objects.filter(
        _where(where, group, ids), period_start__lte=latest, period_end__gte=earliest
    ).values_list(
        by or group, "period_start", "period_end", "premium_target", "policy_count_target"
    )


def _overlaps(start, end, bounds):
    """[(window kind, days shared, target's days)] of a target period with each window."""
    length = (end - start).days + 1
    return [
        (kind, (min(end, w_end) - max(start, w_start)).days + 1, length)
        for kind, w_start, w_end in bounds
        if start <= w_end and end >= w_start
    ]


def _targets_result(windows, rows):
    # A dashboard pro-rates a team's ~3,000 targets over 13 windows on every view, and
    # branches share their periods (every branch has a target for each month): each distinct
    # period is matched against the windows once.
    bounds = [(w.kind, w.start, w.end) for w in windows]
    overlaps = {}
    result = {}
    for key, start, end, premium, count in rows:
        parts = overlaps.get((start, end))
        if parts is None:
            parts = overlaps[(start, end)] = _overlaps(start, end, bounds)
        if not parts:
            continue
        count = Decimal(count)
        for kind, share, length in parts:
            if share == length:  # the whole target falls in the window
                premium_part, count_part = premium, count
            else:
                premium_part, count_part = premium * share / length, count * share / length
            old = result.get((key, kind))
            result[(key, kind)] = (
                (premium_part, count_part)
                if old is None
                else (old[0] + premium_part, old[1] + count_part)
            )
    return result


def _quantized(targets):
    return {
        key: (premium.quantize(Decimal("0.01")), count.quantize(Decimal("0.1")))
        for key, (premium, count) in targets.items()
    }


def _progress(sales_group, target_group, ids, windows):
    sales = _sales(sales_group, ids, windows)
    targets = _quantized(_targets(target_group, ids, windows))
    return _combined(ids, windows, sales, targets)


def _combined(ids, windows, sales, targets):
    result = {}
    for pk in ids:
        for w in windows:
            premium, count, standard = sales.get((pk, w.kind), (ZERO, 0, ZERO))
            premium_target, policy_target = targets.get((pk, w.kind), (ZERO, ZERO))
            result[(pk, w.kind)] = Progress(premium, count, standard, premium_target, policy_target)
    return result


def branch_progress(branch_ids, windows):
    """{(branch id, window kind): Progress} in two queries."""
    return _progress("branch_id", "branch_id", list(branch_ids), windows)


def branch_sales_query(branch_id, windows):
    """``branch_progress([branch_id], windows)``'s sales read, unevaluated (to be read with
    others: ``core.batch``, ``core.prepared``, whose placeholder ``branch_id`` may be);
    ``branch_progress_from`` makes the result from its rows and ``branch_targets_query``'s."""
    return _sales_query("branch_id", [branch_id], windows)


def branch_targets_query(branch_id, windows):
    """``branch_progress([branch_id], windows)``'s targets read, unevaluated."""
    return _targets_query("branch_id", [branch_id], windows)


def branch_progress_from(branch, windows, sales_rows, target_rows):
    sales = _sales_result("branch_id", windows, sales_rows)
    targets = _quantized(_targets_result(windows, target_rows))
    return _combined([branch.pk], windows, sales, targets)


def manager_progress(manager_ids, windows):
    """{(manager id, window kind): Progress} over the branches each manager owns (two queries)."""
    return _progress("branch__manager_id", "branch__manager_id", list(manager_ids), windows)


def manager_progress_queries(manager_ids, windows):
    """``manager_progress``'s two reads, unevaluated (to be read with others: ``core.batch``);
    ``manager_progress_from`` makes the result from their rows. None without managers."""
    ids = list(manager_ids)
    if not ids:
        return None
    return (
        _sales_query("branch__manager_id", ids, windows),
        _targets_query("branch__manager_id", ids, windows),
    )


def manager_progress_from(manager_ids, windows, sales_rows, target_rows):
    ids = list(manager_ids)
    sales = _sales_result("branch__manager_id", windows, sales_rows)
    targets = _quantized(_targets_result(windows, target_rows))
    return _combined(ids, windows, sales, targets)


def _monthly_sales_query(branch_ids, windows, where=None, current=True):
    """The branches' sales per owner and calendar month, to today: two reads, three sums a
    row: the whole months before today's from the summary ``MonthlySales`` (kept in step by
    sales.services), today's month to today from the policies themselves (a policy may be
    signed after today).

    A dashboard's thirteen windows as FILTERed sums over every policy of the team cost the
    database 39 aggregates a row (30–90 ms for a team); the months are added up in Python
    instead (:func:`_monthly_sales_result`), which is exact because every window starts on
    the first of a month and ends at a month's end or today. The past months from the
    summary: ~3,000 rows a team instead of ~9,000 policies (21.5 -> ~2 ms at scale 1).
    A branch's sales go to its owner today (``branch__manager_id``), as everywhere here.
    """
    for w in windows:
        if w.start.day != 1:
            raise ValueError(f"{w.kind} does not start on the first of a month")
    today = max(w.today for w in windows)
    this_month = today.replace(day=1)
    chosen = _where(where, "branch_id", branch_ids)
    sums = {"premium": Sum("premium"), "standard": Sum("standard_premium")}
    past = (
        MonthlySales.objects.filter(
            chosen, month__gte=min(w.start for w in windows), month__lt=this_month
        )
        .values("branch__manager_id", "month")
        .annotate(count=Sum("policies"), **sums)
    )
    this_month_sales = (
        counted_policies()
        .filter(chosen, signed_on__gte=this_month, signed_on__lte=today)
        .values("branch__manager_id")
        .annotate(count=Count("*"), **sums)
    )
    # current=False: the caller has today's month per branch and adds it up itself.
    return past, this_month_sales if current else this_month_sales.none()


def _monthly_sales_result(windows, rows, current_rows=()):
    """{(manager id, kind): (premium, count, standard premium)} from the monthly rows (and
    those of today's month, :func:`_monthly_sales_query`'s second read)."""
    this_month = max(w.today for w in windows).replace(day=1)
    rows = [*rows, *({**row, "month": this_month} for row in current_rows)]
    result = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        figures = (row["premium"] or ZERO, row["count"], row["standard"] or ZERO)
        for w in windows:
            if not w.start <= month <= min(w.end, w.today):
                continue
            key = (row["branch__manager_id"], w.kind)
            old = result.get(key)
            result[key] = (
                figures if old is None else tuple(map(sum, zip(old, figures, strict=True)))
            )
    return result


def branch_and_manager_progress(owners, windows, *, branch_windows=None):
    """({(branch id, kind): Progress}, {(manager id, kind): Progress}) in one statement.

    ``owners`` is {branch id: manager id} for every branch of the managers (inactive ones
    too): the managers' figures are their branches' summed, exactly as
    :func:`manager_progress` groups them (targets are summed before rounding). The branches'
    own figures are made for ``branch_windows`` only (default: all of ``windows``).
    """
    branch_ids = list(owners)
    manager_ids = list(dict.fromkeys(owners.values()))
    branch_windows = branch_windows or windows
    if not branch_ids:
        return {}, {}
    rows = fetch_together(
        branch_and_manager_progress_queries(
            # Chosen by manager where PostgreSQL does it as fast: a list of a team's
            # hundreds of branch ids costs Django a conversion per id in each query.
            Q(branch__manager_id__in=manager_ids),
            windows,
            branch_windows=branch_windows,
        )
    )
    return branch_and_manager_progress_from(owners, windows, rows, branch_windows=branch_windows)


def _this_month_in(windows, branch_windows):
    """The kind of a branch window that is exactly today's month up to today, or None: the
    branches' sums in it, added up per owner, are the managers' figures of today's month
    (:func:`_monthly_sales_query`'s second read, then not made)."""
    today = max(w.today for w in windows)
    for w in branch_windows:
        if w.start == today.replace(day=1) and min(w.end, w.today) == today:
            return w.kind
    return None


def _this_month_from_branches(owners, kind, sales_rows):
    """The second read's rows of :func:`_monthly_sales_query` (per owner, today's month)
    from the branches' rows of window ``kind``: the same policies, summed per owner."""
    totals = {}
    for row in sales_rows:
        count = row[f"count_{kind}"]
        if not count:
            continue  # as in SQL: an owner with no policy this month has no row
        total = totals.setdefault(
            owners[row["branch_id"]], {"count": 0, "premium": ZERO, "standard": ZERO}
        )
        total["count"] += count
        total["premium"] += row[f"premium_{kind}"] or ZERO
        total["standard"] += row[f"standard_{kind}"] or ZERO
    return [{"branch__manager_id": owner, **total} for owner, total in totals.items()]


def branch_and_manager_progress_queries(by_manager, windows, *, branch_windows=None):
    """``branch_and_manager_progress``'s five reads, unevaluated, the policies and targets
    chosen by the filter ``by_manager`` (a Q or boolean expression on the branch's manager,
    e.g. ``Q(branch__manager_id__in=ids)``, or on a subquery of a supervisor's managers for
    ``core.prepared``). Where a branch window is today's month up to today, the managers'
    figures of this month are the branches' added up (the third read is empty: no SQL)."""
    branch_windows = branch_windows or windows
    # The managers' sales come per owner and month (a team's dozen rows a month), not as
    # hundreds of branches times every window added up in Python; their targets likewise
    # per owner and period (_target_sums_query), the branches' own only for branch_windows.
    return [
        _sales_query(None, None, branch_windows, by="branch_id", where=by_manager),
        # The summary through the join on the branches' manager alone: PostgreSQL probes
        # its (branch, month) index once per branch. Also filtering on a subquery of the
        # branches' ids made it guess ~100 rows for a team's ~2,600 and sort them to group
        # (the sums 3.1 -> 1.6 ms, this month's 1.1 -> 0.5 ms at scale 5, issue 22).
        *_monthly_sales_query(
            None, windows, where=by_manager, current=_this_month_in(windows, branch_windows) is None
        ),
        _targets_query(None, None, branch_windows, by="branch_id", where=by_manager),
        _target_sums_query(windows, by="branch__manager_id", where=by_manager),
    ]


def _target_sums_query(windows, by, where):
    """The targets overlapping ``windows`` summed per ``by`` and period: rows shaped as
    :func:`_targets_query`'s, one per (``by``, period start, period end).

    Summing before pro-rating gives exactly what :func:`_targets_result` gives over the
    single targets once quantized (``_quantized``): a dashboard read a team's ~3,250
    targets (250 branches x 13 months) and pro-rated each in Python; branches share their
    periods, so the sums are ~130 rows. Why exact enough: the sums themselves are exact
    (numeric in SQL; Decimal has 28 digits). A target's part of a window is
    ``premium * share / length``, and sum(p_i) * s / l equals sum(p_i * s / l) as rational
    numbers; the old form rounded each term at the 28th significant digit (a total error
    below 1e-10 even for thousands of targets of 10^14 yuan), the new one rounds once.
    Quantizing to 0.01 (0.1 for counts) could only tell the two apart if the exact total
    were that close to a rounding boundary, but the exact total is N * s / (100 * l) with
    integer N (cents) and l the period's days, so it is either exactly on a half-cent or
    at least 1 / (200 * l) away from it (above 1e-7 for a period of a century). Exactly on it,
    the new form rounds the exact value (half to even) where the old one rounded an
    approximation of it: the new figure is the correct one. tests/sales/test_results.py
    compares the two over targets of uneven amounts and periods.
    """
    earliest = min(w.start for w in windows)
    latest = max(w.end for w in windows)
    return (
        PlanTarget.objects.filter(where, period_start__lte=latest, period_end__gte=earliest)
        .order_by()
        .values_list(by, "period_start", "period_end")
        .annotate(premium=Sum("premium_target"), count=Sum("policy_count_target"))
    )


def branch_and_manager_progress_from(owners, windows, rows, *, branch_windows=None):
    """``branch_and_manager_progress``'s result from the rows of its five reads."""
    sales_rows, monthly_rows, current_rows, target_rows, target_sum_rows = rows
    branch_ids = list(owners)
    manager_ids = list(dict.fromkeys(owners.values()))
    branch_windows = branch_windows or windows
    if not branch_ids:
        return {}, {}
    sales = _sales_result("branch_id", branch_windows, sales_rows)
    kind = _this_month_in(windows, branch_windows)
    if kind is not None:
        current_rows = _this_month_from_branches(owners, kind, sales_rows)
    manager_sales = _monthly_sales_result(windows, monthly_rows, current_rows)
    targets = _targets_result(branch_windows, target_rows)
    manager_targets = _targets_result(windows, target_sum_rows)
    return (
        _combined(branch_ids, branch_windows, sales, _quantized(targets)),
        _combined(manager_ids, windows, manager_sales, _quantized(manager_targets)),
    )


def team_progress(manager_ids, w):
    """The team's Progress in ``w``: its managers' figures summed."""
    by_manager = manager_progress(manager_ids, [w])
    total = Progress()
    for pk in manager_ids:
        total = total + by_manager[(pk, w.kind)]
    return total


def rank_key(progress):
    """Ranking: the highest premium 达成率 first; no target ranks below any rate."""
    rate = progress.premium_rate
    return (rate is not None, rate or ZERO, progress.premium)


def _peers(manager):
    """Ids of the active managers with the manager's supervisor, the manager included."""
    if manager.supervisor_id is None:
        return [manager.pk]
    return _peers_from(manager.pk, _peers_query(manager.supervisor_id))


def _peers_query(supervisor_id):
    return AccountManager.objects.filter(supervisor_id=supervisor_id, is_active=True).values_list(
        "pk", flat=True
    )


def _peers_from(manager_id, rows):
    peers = list(rows)
    if manager_id not in peers:
        peers.append(manager_id)
    return peers


def _month_figures(peers, progress, w):
    ordered = sorted(peers, key=lambda pk: rank_key(progress[(pk, w.kind)]), reverse=True)
    return lambda manager: {
        "window": w,
        "progress": progress[(manager.pk, w.kind)],
        "rank": ordered.index(manager.pk) + 1,
        "team_size": len(peers),
    }


def home_month(manager, branch_ids, today=None, branch_managers=None):
    """The home page's sales, three queries: ({(branch id, kind): Progress} of this month for
    ``branch_ids`` (the planner's "behind plan"), :func:`manager_month` of ``manager``).

    One read of the policies and one of the targets serve both: grouped by branch and
    owner, then summed per manager (targets before rounding, as :func:`manager_progress`).
    ``branch_managers``: the ids of the managers of ``branch_ids``, when known. If they are
    all peers (a manager's home: their own branches), the peers' branches already include
    ``branch_ids`` and the read filters on the branch's manager alone: the OR across the
    two tables made PostgreSQL hash every branch of the province to keep the peers'.
    """
    w = window(MONTH, today)
    peers = _peers(manager)
    branch_ids = list(branch_ids)
    condition = Q(branch__manager_id__in=peers)
    if branch_managers is None or not set(branch_managers) <= set(peers):
        condition |= Q(branch_id__in=branch_ids)
    sales, targets = _home_month_queries(condition, w)
    return _home_month_from(manager, peers, branch_ids, w, sales, list(targets))


def _home_month_queries(condition, w):
    in_window = Q(signed_on__gte=w.start, signed_on__lte=min(w.end, w.today))
    sales = (
        counted_policies()
        .filter(condition, in_window)
        .values("branch_id", "branch__manager_id")
        .annotate(premium=Sum("premium"), count=Count("pk"), standard=Sum("standard_premium"))
    )
    targets = PlanTarget.objects.filter(
        condition, period_start__lte=w.end, period_end__gte=w.start
    ).values_list(
        "branch_id",
        "branch__manager_id",
        "period_start",
        "period_end",
        "premium_target",
        "policy_count_target",
    )
    return sales, targets


def _home_month_from(manager, peers, branch_ids, w, sales, targets):
    by_branch, by_manager = {}, {}
    for row in sales:
        figures = (row["premium"] or ZERO, row["count"], row["standard"] or ZERO)
        by_branch[(row["branch_id"], w.kind)] = figures
        key = (row["branch__manager_id"], w.kind)
        old = by_manager.get(key, (ZERO, 0, ZERO))
        by_manager[key] = tuple(a + b for a, b in zip(old, figures, strict=True))
    branch_targets = _targets_result([w], [(row[0], *row[2:]) for row in targets])
    manager_targets = _targets_result([w], [row[1:] for row in targets])
    progress = _combined(branch_ids, [w], by_branch, _quantized(branch_targets))
    managers = _combined(peers, [w], by_manager, _quantized(manager_targets))
    return progress, _month_figures(peers, managers, w)(manager)


def own_home_month_queries(manager_id, supervisor_id, today):
    """:func:`home_month`'s reads for a manager's own home (every branch of the planner the
    manager's own: ``branch_managers`` within the peers), unevaluated, on the two ids alone
    (no list of peers): ``[peers, sales, targets]``, ``supervisor_id`` None: no peers read.
    The ids may be core.prepared placeholders; ``own_home_month_from`` gives the result.

    The peers' branches through a subquery of the managers (the manager, and the active ones
    with the supervisor): the same rows as ``branch__manager_id__in=peers``.
    """
    w = window(MONTH, today)
    if supervisor_id is None:
        peers = None
        condition = Q(branch__manager_id=manager_id)
    else:
        peers = _peers_query(supervisor_id)
        # The managers as a subquery: an OR across the branch and its manager made
        # PostgreSQL scan every branch of the province; this reads the peers' by index.
        condition = Q(
            branch__manager_id__in=AccountManager.objects.filter(
                Q(pk=manager_id) | Q(supervisor_id=supervisor_id, is_active=True)
            ).values("pk")
        )
    return [peers, *_home_month_queries(condition, w)]


def own_home_month_from(manager, branch_ids, today, peer_rows, sales_rows, target_rows):
    """:func:`home_month`'s result from the rows of :func:`own_home_month_queries`
    (``peer_rows`` None when the manager has no supervisor)."""
    w = window(MONTH, today)
    peers = [manager.pk] if peer_rows is None else _peers_from(manager.pk, peer_rows)
    return _home_month_from(manager, peers, list(branch_ids), w, sales_rows, target_rows)


def branch_progress_queries_where(lookup, value, windows):
    """:func:`branch_progress`'s two reads for the branches matching ``lookup=value`` (one
    id: a core.prepared placeholder may be it), unevaluated; with
    ``branch_progress_from_rows`` the figures of any branches among them (the others'
    rows are read and left out)."""
    return (
        _sales_query(lookup, [value], windows, by="branch_id"),
        _targets_query(lookup, [value], windows, by="branch_id"),
    )


def branch_progress_from_rows(branch_ids, windows, sales_rows, target_rows):
    """{(branch id, kind): Progress} of ``branch_ids`` from the rows of
    :func:`branch_progress_queries_where`."""
    sales = _sales_result("branch_id", windows, sales_rows)
    targets = _quantized(_targets_result(windows, target_rows))
    return _combined(list(branch_ids), windows, sales, targets)


def manager_month(manager, today=None):
    """The home page's figure: the manager's month to date and their rank (排名) in the team.

    Peers are the active managers with the same supervisor. Three queries.
    """
    w = window(MONTH, today)
    peers = _peers(manager)
    return _month_figures(peers, manager_progress(peers, [w]), w)(manager)


def monthly_trend(branch, today=None, months=TREND_MONTHS):
    """[(first day of month, premium)] for the branch's last ``months`` months (one query)."""
    today = today or timezone.localdate()
    return monthly_trend_from(monthly_trend_query(branch, today, months), today, months)


def monthly_trend_query(branch, today=None, months=TREND_MONTHS):
    today = today or timezone.localdate()
    first = _months_before(today.replace(day=1), months - 1)
    return (
        counted_policies()
        .filter(branch=branch, signed_on__gte=first, signed_on__lte=today)
        .annotate(month=TruncMonth("signed_on"))
        .values("month")
        .annotate(premium=Sum("premium"))
    )


def monthly_trend_from(rows, today, months=TREND_MONTHS):
    found = {row["month"]: row["premium"] for row in rows}
    return [
        (month, found.get(month, ZERO))
        for month in (_months_before(today.replace(day=1), n) for n in range(months - 1, -1, -1))
    ]


def sales_by_staff(branch, w, limit=10):
    """[(BranchStaff or None, premium, count)] at the branch in ``w``, best first (one query)."""

    rows = list(sales_by_staff_query(branch, w, limit))
    staff = BranchStaff.objects.in_bulk([r["credited_staff"] for r in rows if r["credited_staff"]])
    return sales_by_staff_from(rows, staff)


def sales_by_staff_query(branch, w, limit=10):
    return (
        counted_policies()
        .filter(branch=branch, signed_on__gte=w.start, signed_on__lte=min(w.end, w.today))
        .values("credited_staff")
        .annotate(premium=Sum("premium"), count=Count("pk"))
        .order_by("-premium")[:limit]
    )


def sales_by_staff_sellers(branch, w, limit=10):
    """The BranchStaff of ``sales_by_staff_query``'s rows, as one read of its own."""

    sellers = sales_by_staff_query(branch, w, limit).values("credited_staff")
    return BranchStaff.objects.filter(pk__in=sellers)


def sales_by_staff_from(rows, staff):
    """[(BranchStaff or None, premium, count)] from the query's rows and {pk: BranchStaff}."""
    return [(staff.get(r["credited_staff"]), r["premium"], r["count"]) for r in rows]


def cancellations(branch, w):
    """{status: (count, premium)} of the policies cancelled (撤单) or surrendered (退保)."""
    return cancellations_from(cancellations_query(branch, w))


def cancellations_query(branch, w):
    return (
        Policy.objects.filter(
            branch=branch,
            status__in=[Policy.Status.CANCELLED, Policy.Status.SURRENDERED],
            status_changed_on__gte=w.start,
            status_changed_on__lte=w.end,
        )
        .values("status")
        .annotate(count=Count("pk"), premium=Sum("premium"))
    )


def cancellations_from(rows):
    found = {row["status"]: (row["count"], row["premium"]) for row in rows}
    return {
        status: found.get(status, (0, ZERO))
        for status in (Policy.Status.CANCELLED, Policy.Status.SURRENDERED)
    }


def in_cooling_off(branch, today=None, limit=20):
    """The branch's policies still inside 犹豫期, the soonest to end first (one query)."""
    today = today or timezone.localdate()
    return (
        Policy.objects.filter(
            branch=branch, status=Policy.Status.IN_FORCE, cooling_off_ends_on__gte=today
        )
        .select_related("customer", "product")
        .order_by("cooling_off_ends_on", "number")[:limit]
    )


def persistency_13_month(manager_ids, as_of):
    """13-month persistency (继续率) per manager, in percent, or None with no policy to measure.

    The cohort is the regular-premium policies whose 13th month ended in the 12 months up to
    ``as_of`` (signed 13 to 25 months before it); the rate is the share still in force.
    Policies cancelled in cooling-off never were sales and are left out. One query.
    """
    latest = _months_before(as_of, 13)
    earliest = _months_before(as_of, 25)
    rows = (
        counted_policies()
        .filter(
            branch__manager_id__in=manager_ids,
            product__kind=Product.Kind.REGULAR,
            signed_on__gt=earliest,
            signed_on__lte=latest,
        )
        .values("branch__manager_id")
        .annotate(issued=Count("pk"), kept=Count("pk", filter=Q(status=Policy.Status.IN_FORCE)))
    )
    return {
        row["branch__manager_id"]: (Decimal(row["kept"] * 100) / Decimal(row["issued"])).quantize(
            Decimal("0.01")
        )
        for row in rows
        if row["issued"]
    }


def _months_before(day, months):
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_ups_due(user, today=None, days=7, limit=10):
    """Customers in the user's scope whose next contact is due by ``today + days`` (overdue
    ones first, then the largest), with their branch. One query."""
    return list(follow_ups_query(user, today or timezone.localdate(), days, limit))


def follow_ups_query(user, today, days=7, limit=10):
    """``follow_ups_due``'s read, unevaluated (the home page's planner reads it with its other
    reads: core.prepared, for which ``user`` may be a stand-in with placeholder ids)."""
    return (
        Customer.objects.for_user(user)
        .filter(next_contact_due__lte=today + datetime.timedelta(days=days))
        .select_related("branch__bank")
        # What the planner shows (templates/home/_planner.html): the home's statement is as
        # wide as its widest part.
        .only(
            "name",
            "premium_in_force",
            "next_contact_due",
            "branch__name",
            "branch__bank__name",
            "branch__bank__short_name",
        )
        .order_by("next_contact_due", "-premium_in_force", "pk")[:limit]
    )


def customers_for(user, query="", large=False):
    """The customer register as the list shows it: the user's scope, searched by name (part),
    policy number or phone (exact); ``large`` keeps the large customers (大客户), the next
    contact due first. Shared by the page and its export."""

    customers = Customer.objects.for_user(user).select_related("branch__bank")
    if query:
        customers = customers.filter(
            Q(name__icontains=query) | Q(policies__number=query) | Q(phone=query)
        ).distinct()
    if large:
        customers = customers.filter(
            premium_in_force__gte=settings.SALES_LARGE_CUSTOMER_PREMIUM
        ).order_by("next_contact_due", "-premium_in_force", "pk")
    return customers
