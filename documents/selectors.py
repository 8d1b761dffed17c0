"""Reads for the documents app: stock states, days of cover, scoped lookups.

A branch item's state, most urgent first:

- ``out``: nothing on hand;
- ``low``: on hand at or below the reorder threshold;
- ``at_risk``: days of cover (on hand ÷ average daily usage over the last 30 days) is
  shorter than the days until the next planned visit, or shorter than 7 days;
- ``ok``: otherwise (including items nobody has used lately: infinite cover).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import router
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Bank, Branch
from branches.selectors import attach_branches
from core.functions import DaysBetween
from documents.models import (
    BranchStock,
    Handover,
    IntakeBatch,
    IntakeForm,
    LayoutPlacement,
    SerialForm,
    SerialRange,
    StockItem,
    StockMovement,
    format_serial,
)

USAGE_WINDOW_DAYS = 30
MINIMUM_COVER_DAYS = 7


class StockState:
    OK = "ok"
    LOW = "low"
    OUT = "out"
    AT_RISK = "at_risk"

    LABELS = {
        OK: _("OK"),
        LOW: _("Low"),
        OUT: _("Out"),
        AT_RISK: _("At risk"),
    }
    ATTENTION = (OUT, LOW, AT_RISK)


@dataclass(frozen=True)
class StockAssessment:
    state: str
    days_of_cover: Decimal | None  # None: no usage in the window, cover is unlimited

    @property
    def label(self):
        return StockState.LABELS[self.state]


def usage_window(today):
    """Aware datetimes [start, end) covering the 30 local days ending with ``today``."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=USAGE_WINDOW_DAYS - 1), datetime.time.min, tzinfo=tz
    )
    end = datetime.datetime.combine(
        today + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


def assess(*, on_hand, threshold, usage_in_window, next_visit_on, today):
    """The state and days of cover from plain figures (no queries)."""
    usage_in_window = max(usage_in_window or 0, 0)
    if usage_in_window:
        days_of_cover = (Decimal(on_hand) * USAGE_WINDOW_DAYS / Decimal(usage_in_window)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    else:
        days_of_cover = None
    if on_hand <= 0:
        return StockAssessment(StockState.OUT, days_of_cover)
    if on_hand <= threshold:
        return StockAssessment(StockState.LOW, days_of_cover)
    if days_of_cover is not None:
        horizon = MINIMUM_COVER_DAYS
        if next_visit_on is not None:
            horizon = max(horizon, (next_visit_on - today).days)
        if days_of_cover < horizon:
            return StockAssessment(StockState.AT_RISK, days_of_cover)
    return StockAssessment(StockState.OK, days_of_cover)


def with_state_inputs(queryset, today):
    """Annotate BranchStock rows with usage in the window and the next planned visit (in SQL)."""
    start, end = usage_window(today)
    usage = (
        StockMovement.objects.filter(
            branch_stock=OuterRef("pk"),
            kind=StockMovement.Kind.USAGE,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by()
        .values("branch_stock")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    next_visit = F("branch__planned_visit_on")
    return queryset.annotate(
        usage_in_window=Coalesce(
            Subquery(usage, output_field=IntegerField()), Value(0), output_field=IntegerField()
        ),
        next_visit_on=next_visit,
    )


def _assess_annotated(row, today):
    return assess(
        on_hand=row.on_hand,
        threshold=row.threshold,
        # Usage movements are negative in the ledger; usage is their opposite.
        usage_in_window=-row.usage_in_window,
        next_visit_on=row.next_visit_on,
        today=today,
    )


def stock_state(branch_stock, today=None):
    """The StockAssessment (state, days of cover) of one BranchStock."""
    today = today or timezone.localdate()
    row = getattr(branch_stock, "usage_in_window", None) is not None and branch_stock
    if not row:
        row = (
            with_state_inputs(BranchStock.objects.select_related("item"), today)
            .filter(pk=branch_stock.pk)
            .get()
        )
    return _assess_annotated(row, today)


def assessed(queryset, today=None):
    """The rows of a BranchStock queryset, each with ``.assessment``; constant queries."""
    return assess_rows(list(assessed_query(queryset, today)), today)


# What a stock list shows of a row besides its item: the branch, its bank and manager.
LIST_RELATED = ("item", "branch__bank", "branch__manager__user")


def assessed_query(queryset, today=None, related=LIST_RELATED):
    """``assessed``'s read, unevaluated (to be read with others: ``core.batch``)."""
    today = today or timezone.localdate()
    return with_state_inputs(queryset.select_related(*related), today)


def assess_rows(rows, today=None):
    """Rows read through ``assessed_query(..., today)``, each given its ``.assessment``."""
    today = today or timezone.localdate()
    for row in rows:
        row.assessment = _assess_annotated(row, today)
    return rows


def stock_for_user(user):
    return BranchStock.objects.for_user(user).filter(item__is_active=True, branch__is_active=True)


URGENCY = {StockState.OUT: 0, StockState.LOW: 1, StockState.AT_RISK: 2, StockState.OK: 3}


# The overview's order before urgency: pk last, so branches of the same name keep one order.
OVERVIEW_ORDER = ("branch__name", "item__code", "pk")
# What the overview page shows of a row besides its figures, read with them: the item's names
# and units, the branch's name and its bank's names (documents/overview.html).
OVERVIEW_SHOWN = (
    "branch_id",
    "item_id",
    "item__name",
    "item__name_en",
    "item__unit",
    "item__unit_en",
    "branch__name",
    "branch__bank_id",
    "branch__bank__name",
    "branch__bank__short_name",
)


def stock_overview(user, state=None, today=None):
    """My branches' stock, most urgent first, optionally only one state."""
    rows = assessed(stock_for_user(user).order_by(*OVERVIEW_ORDER), today)
    if state:
        rows = [row for row in rows if row.assessment.state == state]
    rows.sort(key=lambda row: URGENCY[row.assessment.state])
    return rows


@dataclass(frozen=True)
class OverviewKey:
    """One row of :func:`stock_overview` before it is a model: its pk, verdict, on hand and
    what the page shows of it (OVERVIEW_SHOWN's values)."""

    pk: int
    assessment: StockAssessment
    on_hand: int
    shown: tuple


def stock_overview_keys(user, state=None, today=None):
    """:func:`stock_overview`'s rows as OverviewKey, in its order: one query (two when some
    item's stored usage is not today's), no models.

    A page shows 100 rows; a manager has about 170 branch items, a supervisor's team
    3,400, and building each with its item, branch, bank, manager and user cost more
    than the rest of the page (600 ms for a supervisor). The same figures are read as
    plain values and assessed by :func:`assess`, with what the page shows of each row;
    :func:`overview_rows` makes the page's rows models from them.
    """
    today = today or timezone.localdate()
    # Each item's usage: the stored one where it is today's, else the ledger's (_usage_now).
    values = list(
        stock_for_user(user)
        .annotate(next_visit_on=F("branch__planned_visit_on"))
        .order_by(*OVERVIEW_ORDER)
        .values_list(
            "pk",
            "on_hand",
            Coalesce("threshold_override", "item__default_threshold"),
            "usage_30d",
            "usage_30d_on",
            "next_visit_on",
            *OVERVIEW_SHOWN,
        )
    )
    usage_now = _usage_now([(row[0], row[3], row[4]) for row in values], today)
    keys = []
    for pk, on_hand, threshold, _usage, _usage_on, next_visit_on, *shown in values:
        assessment = assess(
            on_hand=on_hand,
            threshold=threshold,
            usage_in_window=usage_now[pk],
            next_visit_on=next_visit_on,
            today=today,
        )
        if not state or assessment.state == state:
            keys.append(OverviewKey(pk, assessment, on_hand, tuple(shown)))
    keys.sort(key=lambda key: URGENCY[key.assessment.state])
    return keys


def _partial(model, db, **values):
    """A ``model`` instance as the database would give it with only these fields read (the
    others deferred: read on first use, as after ``.only()``)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


def overview_rows(keys):
    """The BranchStock rows of some OverviewKeys (one page), in their order, each with
    ``.assessment``, its item, branch and bank holding what the page shows: no query."""
    db = router.db_for_read(BranchStock)
    items, banks, branches, rows = {}, {}, {}, []
    for key in keys:
        (
            branch_id,
            item_id,
            name,
            name_en,
            unit,
            unit_en,
            branch_name,
            bank_id,
            bank_name,
            short_name,
        ) = key.shown
        item = items.get(item_id) or items.setdefault(
            item_id,
            _partial(
                StockItem, db, id=item_id, name=name, name_en=name_en, unit=unit, unit_en=unit_en
            ),
        )
        bank = banks.get(bank_id) or banks.setdefault(
            bank_id, _partial(Bank, db, id=bank_id, name=bank_name, short_name=short_name)
        )
        branch = branches.get(branch_id)
        if branch is None:
            branch = branches[branch_id] = _partial(
                Branch, db, id=branch_id, bank_id=bank_id, name=branch_name
            )
            branch.bank = bank
        row = _partial(
            BranchStock, db, id=key.pk, branch_id=branch_id, item_id=item_id, on_hand=key.on_hand
        )
        row.item, row.branch, row.assessment = item, branch, key.assessment
        rows.append(row)
    return rows


def attention_items(manager=None, today=None):
    """Every branch item that is low, out or at risk, for one AccountManager or (None) all.

    Returns BranchStock rows with ``.assessment`` (state, days of cover); three queries,
    whatever the size. For the morning scan over a province (35,000 branch items, a million
    ledger lines) the per-row subqueries of :func:`with_state_inputs` took over a second
    (PostgreSQL even JIT-compiled them) and a model per row with its branch, bank, manager
    and user took seconds more. Here the same figures come from one aggregate over the usage
    window and plain values; only the rows needing attention are then loaded as models.
    """
    queryset = BranchStock.objects.filter(item__is_active=True, branch__is_active=True)
    if manager is not None:
        queryset = queryset.filter(branch__manager=manager)
    return attention_in(
        queryset, today, ("branch__manager_id", "branch__name", "item__code"), plain_first=True
    )


def attention_for_user(user, today=None, branches=None):
    """The rows of :func:`stock_overview` that are low, out or at risk, in its order.

    One query (two when some rows' stored usage is not today's), and models only for the
    rows needing attention: a supervisor's home and the team dashboard look at every item
    of the team's branches (17,500 at scale 1), and building each with its branch, bank,
    manager and user cost seconds (see :func:`attention_items`). ``branches``: {pk: Branch}
    already read with their bank and manager's user (the home's planner): see
    :func:`attention_in`.
    """
    rows = attention_in(stock_for_user(user), today, branches=branches)
    rows.sort(key=lambda row: URGENCY[row.assessment.state])
    return rows


def attention_in(
    queryset,
    today=None,
    ordering=("branch__name", "item__code"),
    plain_first=False,
    branches=None,
):
    """The rows of a BranchStock queryset that need attention, with ``.assessment``.

    One query (two when some rows' stored usage is not today's). The database returns only
    the candidates (:func:`attention_candidates`); each is then assessed exactly by
    :func:`assess`.

    ``branches``: {pk: Branch} with bank and manager's user already read, covering the
    queryset's branches (the home's planner reads the same scope): the rows are given
    those instead of a copy of each joined in (a branch missing from it is read, in one
    query, as before).
    """
    today = today or timezone.localdate()
    candidates = attention_candidates(queryset, today)
    if plain_first:
        # A province's scan: thousands of candidates. Assess their plain figures first and
        # build models (item, branch, bank, manager, user) for the rows needing attention.
        wanted = _assessed_plain(candidates, today)
        if not wanted:
            return []
        rows = list(
            BranchStock.objects.filter(pk__in=wanted)
            .select_related(*LIST_RELATED)
            .order_by(*ordering)
        )
        for row in rows:
            row.assessment = wanted[row.pk]
        return rows
    if branches is None:
        rows = list(candidates.select_related(*LIST_RELATED).order_by(*ordering))
    else:
        rows = list(candidates.select_related("item").order_by(*ordering))
    return _assessed_candidates(rows, today, branches)


def attention_candidates(queryset, today):
    """The rows of a BranchStock queryset that could need attention ``today``, each with
    ``next_visit_on`` (its branch's planned visit): to be assessed exactly by :func:`assess`.

    They are the rows low by their threshold, the rows whose stored usage (``usage_30d``,
    refreshed by the morning scan and by every usage movement) leaves them at risk before
    their own branch's horizon, and the rows whose stored usage is not today's (their
    usage is read again). The horizon is :func:`assess`'s, per row: the days to the
    branch's planned visit (``Branch.planned_visit_on``, stored beside the latest visit),
    at least MINIMUM_COVER_DAYS. At risk means days of cover, on_hand * 30 / usage rounded
    to 0.1 half up, below the horizon: on_hand * 30 / usage < horizon - 0.05, that is
    on_hand * 600 < usage * (20 * horizon - 1) in whole numbers. One horizon for a whole
    team (its furthest planned visit) let ten times too many rows through: 1,708 read for
    161 kept at scale 5.

    ``today`` may be a core.prepared placeholder.
    """
    threshold = Coalesce("threshold_override", "item__default_threshold")
    horizon = Greatest(
        Value(MINIMUM_COVER_DAYS),
        Coalesce(DaysBetween(today, "branch__planned_visit_on"), Value(MINIMUM_COVER_DAYS)),
    )
    could_run_out = Q(usage_30d__gt=0) & Q(cover_margin__lt=F("usage_30d") * F("cover_factor"))
    stale = Q(usage_30d_on__isnull=True) | ~Q(usage_30d_on=today)
    return (
        queryset.alias(
            threshold_now=threshold,
            cover_margin=F("on_hand") * 600,
            cover_factor=horizon * 20 - 1,
        )
        .annotate(next_visit_on=F("branch__planned_visit_on"))
        .filter(Q(on_hand__lte=F("threshold_now")) | could_run_out | stale)
    )


def attention_for_user_query(user, today):
    """:func:`attention_for_user`'s read (with ``branches``), unevaluated, for ``user`` (a
    stand-in with placeholder ids may be it: core.prepared); ``attention_for_user_from``
    assesses its rows."""
    return (
        attention_candidates(stock_for_user(user), today)
        .select_related("item")
        .order_by("branch__name", "item__code")
    )


def attention_for_user_from(rows, today, branches):
    """:func:`attention_for_user`'s result from the rows of ``attention_for_user_query``."""
    rows = _assessed_candidates(rows, today, branches)
    rows.sort(key=lambda row: URGENCY[row.assessment.state])
    return rows


def _assessed_candidates(rows, today, branches=None):
    if branches is not None:
        attach_branches(rows, branches, "bank", "manager__user")
    usage_now = _usage_now([(row.pk, row.usage_30d, row.usage_30d_on) for row in rows], today)
    wanted = []
    for row in rows:
        row.assessment = assess(
            on_hand=row.on_hand,
            threshold=row.threshold,
            usage_in_window=usage_now[row.pk],
            next_visit_on=row.next_visit_on,
            today=today,
        )
        if row.assessment.state in StockState.ATTENTION:
            wanted.append(row)
    return wanted


def _assessed_plain(candidates, today):
    """{pk: StockAssessment} of the candidates needing attention, from plain values."""
    figures = list(
        candidates.order_by().values_list(
            "pk",
            "next_visit_on",
            "on_hand",
            "threshold_override",
            "item__default_threshold",
            "usage_30d",
            "usage_30d_on",
        )
    )
    usage_now = _usage_now([(row[0], row[5], row[6]) for row in figures], today)
    wanted = {}
    for pk, next_visit_on, on_hand, override, default, _usage, _usage_on in figures:
        assessment = assess(
            on_hand=on_hand,
            threshold=default if override is None else override,
            usage_in_window=usage_now[pk],
            next_visit_on=next_visit_on,
            today=today,
        )
        if assessment.state in StockState.ATTENTION:
            wanted[pk] = assessment
    return wanted


def _usage_now(figures, today):
    """{BranchStock id: usage over the 30 days ending ``today``} for (id, stored usage, the
    day it was stored) triples: the stored figure where it is today's (kept in step by every
    usage movement, refreshed each morning), else the ledger's, one aggregate over the stale
    rows."""
    stale = [pk for pk, _usage, stored_on in figures if stored_on != today]
    live = (
        usage_in_window_by_stock(BranchStock.objects.filter(pk__in=stale), today) if stale else {}
    )
    return {
        pk: usage if stored_on == today else live.get(pk, 0) for pk, usage, stored_on in figures
    }


def usage_in_window_by_stock(queryset, today):
    """{BranchStock id: usage (positive) over the 30 days ending ``today``}, one aggregate;
    items without usage in the window are left out."""
    start, end = usage_window(today)
    rows = (
        StockMovement.objects.filter(
            branch_stock__in=queryset.values("pk"),
            kind=StockMovement.Kind.USAGE,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by()
        .values("branch_stock")
        .annotate(total=Sum("quantity"))
        .values_list("branch_stock", "total")
    )
    # Usage movements are negative in the ledger; usage is their opposite.
    return {pk: -total for pk, total in rows if total}


def branch_stock_panel_query(branch, today=None):
    """The branch's active items, to assess (``assess_rows``): for a branch id or a prepared
    read's placeholder (core.prepared). The branch page gives the rows their branch
    (``branches.page_reads``), so it needs no join to the branch, its bank, manager and user."""
    query = BranchStock.objects.filter(branch=branch, item__is_active=True).order_by("item__code")
    return assessed_query(query, today, related=("item",))


def on_hand_query(branch):
    """(item id, on hand) rows of one branch (its id or a core.prepared placeholder), in no
    order: a dict of them needs none (one row per item), and BranchStock's ordering joined
    the branch and the item for nothing."""
    return BranchStock.objects.filter(branch=branch).order_by().values_list("item_id", "on_hand")


def _shown_stock():
    return BranchStock.objects.select_related("branch__bank", "item")


def get_branch_stock_for_user(user, pk):
    return _shown_stock().get_for_user(user, pk=pk)


def branch_stock_for_user_query(user, pk):
    """:func:`get_branch_stock_for_user` as a queryset of that one row or of none (none is
    the 404), to be read together with other rows (core.batch)."""
    return _shown_stock().for_user(user).filter(pk=pk)


def movements_of(branch_stock):
    return branch_stock.movements.select_related("recorded_by", "visit").order_by(
        "-occurred_at", "-pk"
    )


def get_serial_range_for_user(user, pk):
    return SerialRange.objects.select_related("branch__bank", "item").get_for_user(user, pk=pk)


def get_intake_batch_for_user(user, pk):
    return IntakeBatch.objects.select_related("branch__bank", "collected_by").get_for_user(
        user, pk=pk
    )


def get_intake_form_for_user(user, pk):
    return IntakeForm.objects.select_related("batch__branch", "serial_form").get_for_user(
        user, pk=pk
    )


def serial_reconciliation(branches):
    """Per branch: numbers issued (numbers_count) and how many are used, voided, lost, or
    still unused at the branch (issued_count); accounted = used + voided + lost.

    ``branches`` is a Branch queryset (already scoped); one query.
    """
    counts = {
        f"{status}_count": Coalesce(
            Sum(Value(1), filter=Q(serial_ranges__forms__status=status)),
            Value(0),
            output_field=IntegerField(),
        )
        for status in SerialForm.Status.values
    }
    rows = (
        branches.annotate(
            numbers_count=Coalesce(
                Sum(Value(1), filter=Q(serial_ranges__forms__isnull=False)),
                Value(0),
                output_field=IntegerField(),
            ),
            **counts,
        )
        .filter(numbers_count__gt=0)
        .select_related("bank", "manager__user")
        .order_by("manager__employee_number", "name")
    )
    result = list(rows)
    for row in result:
        row.accounted_count = row.used_count + row.voided_count + row.lost_count
        row.unaccounted_count = row.numbers_count - row.accounted_count
    return result


def reconciliation_by_manager(rows):
    """Totals per account manager from serial_reconciliation rows (no queries)."""
    totals = {}
    for row in rows:
        entry = totals.setdefault(
            row.manager_id,
            {"manager": row.manager, "issued": 0, "used": 0, "voided": 0, "lost": 0, "open": 0},
        )
        entry["issued"] += row.numbers_count
        entry["used"] += row.used_count
        entry["voided"] += row.voided_count
        entry["lost"] += row.lost_count
        entry["open"] += row.issued_count
    return list(totals.values())


def serial_ranges_of(branch):
    counts = {
        f"{status}_count": Coalesce(
            Sum(Value(1), filter=Q(forms__status=status)), Value(0), output_field=IntegerField()
        )
        for status in SerialForm.Status.values
    }
    return (
        branch.serial_ranges.select_related("item", "issued_by")
        .annotate(**counts)
        .order_by("-issued_at")
    )


def collectable_serials(branch):
    """The numbers issued to ``branch`` and still unused, as runs of consecutive numbers
    ("0001001–0001050"), with their count: what the collect form accepts."""
    numbers = (
        SerialForm.objects.filter(serial_range__branch=branch, status=SerialForm.Status.ISSUED)
        .order_by("number")
        .values_list("number", flat=True)
    )
    runs = []
    for number in numbers.iterator():
        if runs and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    count = sum(last - first + 1 for first, last in runs)
    labels = [
        format_serial(first) if first == last else f"{format_serial(first)}–{format_serial(last)}"
        for first, last in runs
    ]
    return count, labels


def intake_batches_for_user(user):
    return (
        IntakeBatch.objects.for_user(user)
        .select_related("branch__bank", "collected_by")
        .annotate(
            form_count=Count("forms"),
            open_count=Count("forms", filter=~Q(forms__status=IntakeForm.Status.HANDED_OVER)),
        )
        .order_by("-collected_at")
    )


def registered_forms_for_user(user):
    return (
        IntakeForm.objects.for_user(user)
        .filter(status=IntakeForm.Status.REGISTERED)
        .select_related("serial_form", "batch__branch__bank")
        .order_by("serial_form__number")
    )


def get_handover_for_user(user, pk):
    return Handover.objects.select_related(
        "manager__user", "handed_over_by", "confirmed_by"
    ).get_for_user(user, pk=pk)


def placements_of(branch):
    return branch.placements.select_related("item", "placed_by").order_by(
        "removed_on", "-since", "-pk"
    )


def get_placement_for_user(user, pk):
    return LayoutPlacement.objects.select_related("branch").get_for_user(user, pk=pk)


# --- Returned forms and handovers waiting for the archive -----------------------------------


def returned_forms_for_user(user):
    """Forms the review sent back to their branch, still to be collected again after
    correction: outstanding at the branch until then. The longest waiting first."""
    return (
        IntakeForm.objects.for_user(user)
        .filter(status=IntakeForm.Status.RETURNED)
        .select_related("serial_form", "batch__branch__bank")
        .order_by("returned_at", "pk")
    )


def returned_forms_of(branch):
    return (
        IntakeForm.objects.filter(batch__branch=branch, status=IntakeForm.Status.RETURNED)
        .select_related("serial_form")
        .order_by("returned_at", "pk")
    )


def get_intake_form_history(intake_form):
    """The form's review rounds, oldest first, with who reviewed and the batch reviewed."""
    return list(intake_form.reviews.select_related("reviewed_by", "batch").order_by("round"))


def unconfirmed_before(now=None):
    """The moment before which an unconfirmed handover is flagged (HANDOVER_CONFIRM_DAYS)."""
    from django.conf import settings

    return (now or timezone.now()) - datetime.timedelta(days=settings.HANDOVER_CONFIRM_DAYS)


def handovers_for_user(user, *, flagged=False, now=None):
    """The user's handovers, newest first; ``flagged``: only those the archive has not
    confirmed within HANDOVER_CONFIRM_DAYS days, oldest first (index handover_unconfirmed)."""
    rows = (
        Handover.objects.for_user(user)
        .select_related("manager__user", "confirmed_by")
        .annotate(form_count=Count("forms"))
    )
    if flagged:
        return rows.filter(
            confirmed_at__isnull=True, handed_over_at__lt=unconfirmed_before(now)
        ).order_by("handed_over_at", "pk")
    return rows.order_by("-handed_over_at", "-pk")


def flagged_handover_count(user, now=None):
    return (
        Handover.objects.for_user(user)
        .filter(confirmed_at__isnull=True, handed_over_at__lt=unconfirmed_before(now))
        .count()
    )


def flagged_handover_count_query(user, now=None, *, before=None):
    """``flagged_handover_count`` as a read of at most one row ``(count,)`` (none: 0), to be
    read with other reads in one statement (``core.batch``); ``before``: the cut
    ``unconfirmed_before(now)`` gives, given instead (a core.prepared placeholder for it)."""
    from django.db.models import Window

    return (
        Handover.objects.for_user(user)
        .filter(
            confirmed_at__isnull=True,
            handed_over_at__lt=unconfirmed_before(now) if before is None else before,
        )
        .annotate(flagged=Window(Count("pk")))
        .order_by()
        .values_list("flagged")[:1]
    )
