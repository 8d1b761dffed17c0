"""The grading rules of 四等十级, as plain functions on numbers (no database).

The ladder has ten ranks, 1 (客户专员) to 10 (高级客户经理三级). An assessment compares a
manager's metrics for one period with two sets of thresholds taken from LevelStandard rows:
the *keep* thresholds (保级) of the manager's own level and the *promotion* thresholds (晋级)
of the level above. Every threshold is an "at least" bar; an empty threshold (None) is not
required.

Rules, in the order they are applied:

0. **Assessable or not; data or not** (see docs/grading.md). A manager hired, or placed by
   同职级挂靠, after the period started is *not assessable this period*: there is no
   recommendation and the level stays until a supervisor decides otherwise (with a reason
   and a second approval). We chose this over prorating because the thresholds are
   quarterly totals set by the insurer, and a prorated bar would be our invention. A metric
   whose value is None means *no data* (e.g. no sales figures imported): when any bar that
   applies needs a metric without data, there is no recommendation either, never a demotion.
1. **New hire, first period.** A new hire (entry route "new hire") who has no approved
   assessment yet is in their first period. They *pass* when they meet every keep threshold of
   客户专员 and then move to 客户主任一级 (rank 2); if they fail they stay 客户专员.
   Assumption: the probation bar is the 客户专员 keep standard, because the deck names no other
   and the promotion standard of 客户主任一级 already governs every later 客户专员.
2. **Demotion.** A manager who misses any keep threshold of their own level is recommended one
   level down. 客户专员 is the floor: missing its bar keeps them 客户专员.
   Assumption: a missed keep bar wins over met promotion bars (a manager cannot be promoted in
   the same period they fail to hold their level).
3. **Promotion.** A manager who meets every promotion threshold of the next level up is
   recommended that level: one level at a time, never two. 高级客户经理三级 is the ceiling.
   Assumption: a next level with no standard, or a standard with no promotion threshold set,
   cannot be reached by assessment (an unset bar would otherwise promote everyone).
4. **Keep.** Anyone else keeps their level.

Further assumptions:

- A metric that could not be measured (None) makes no recommendation (rule 0); a bar that is
  not set does not need the metric, so a missing metric nobody asks for changes nothing.
- A level without a standard in force has no keep bar, so its holders cannot be demoted.
- The standard in force for a period is the latest one effective on or before the period's
  last day (see grading.selectors.standard_for).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

FLOOR_RANK = 1
FIRST_PROMOTION_RANK = 2
CEILING_RANK = 10

PROMOTE = "promote"
KEEP = "keep"
DEMOTE = "demote"
NONE = "none"

NOT_ASSESSABLE = "not_assessable"
MISSING_DATA = "missing_data"


@dataclass(frozen=True)
class Recommendation:
    outcome: str
    rank: int
    first_period_passed: bool | None = None
    # For outcome NONE: NOT_ASSESSABLE or MISSING_DATA, and the metrics without data.
    why_none: str = ""
    missing: tuple = field(default=())


def is_assessable(
    *, hire_date: datetime.date, placed_on: datetime.date | None, period_start: datetime.date
) -> bool:
    """A manager is assessable in a period only when they were hired, and (for 同职级挂靠)
    placed at their level, on or before its first day."""
    if hire_date > period_start:
        return False
    return placed_on is None or placed_on <= period_start


def missing_data(metrics, *threshold_sets):
    """The metric keys some set bar needs but whose value is None (no data), in order."""
    needed = []
    for thresholds in threshold_sets:
        for key, bar in (thresholds or {}).items():
            if bar is not None and metrics.get(key) is None and key not in needed:
                needed.append(key)
    return needed


def _number(value):
    return None if value is None else Decimal(str(value))


def meets(value, threshold):
    """True when ``value`` reaches the "at least" ``threshold``; a None threshold is always met."""
    if threshold is None:
        return True
    if value is None:
        return False
    return _number(value) >= _number(threshold)


def misses(metrics, thresholds):
    """The metric keys whose threshold ``metrics`` do not reach."""
    return [key for key, bar in (thresholds or {}).items() if not meets(metrics.get(key), bar)]


def has_any_threshold(thresholds):
    return any(bar is not None for bar in (thresholds or {}).values())


def recommend(rank, metrics, keep_thresholds, promotion_thresholds, *, first_period=False):
    """The recommended outcome and rank for a manager at ``rank`` with ``metrics``.

    ``keep_thresholds`` are those of the manager's own level (None: no standard);
    ``promotion_thresholds`` those of the level at ``rank + 1`` (None: no standard, or the
    ceiling). Both are {metric: threshold or None}. When a bar needs a metric without data
    (None) there is no recommendation (outcome NONE at the same rank), never a demotion.
    """
    missing = missing_data(metrics, keep_thresholds, promotion_thresholds)
    if missing:
        return Recommendation(NONE, rank, why_none=MISSING_DATA, missing=tuple(missing))
    if first_period and rank == FLOOR_RANK:
        if misses(metrics, keep_thresholds):
            return Recommendation(KEEP, FLOOR_RANK, first_period_passed=False)
        return Recommendation(PROMOTE, FIRST_PROMOTION_RANK, first_period_passed=True)
    if misses(metrics, keep_thresholds):
        if rank == FLOOR_RANK:
            return Recommendation(KEEP, FLOOR_RANK)
        return Recommendation(DEMOTE, rank - 1)
    if (
        rank < CEILING_RANK
        and has_any_threshold(promotion_thresholds)
        and not misses(metrics, promotion_thresholds)
    ):
        return Recommendation(PROMOTE, rank + 1)
    return Recommendation(KEEP, rank)


def not_assessable(rank):
    """The recommendation for a manager who is not assessable this period: none."""
    return Recommendation(NONE, rank, why_none=NOT_ASSESSABLE)


@dataclass(frozen=True)
class Route:
    """What a decision needs before it applies."""

    needs_reason: bool
    needs_second_approval: bool


def decision_route(*, start_rank: int, recommended_rank: int | None, decided_rank: int) -> Route:
    """The separation rule for a decided level.

    - Accepting the recommendation (a move of at most one step) is the supervisor's decision.
    - Any override against the recommendation needs a reason and a second approval.
    - Without a recommendation (not assessable, no data) any decision needs a reason; one that
      moves the level needs a second approval too.
    - A move of more than one step always needs a reason and a second approval.
    """
    steps = abs(decided_rank - start_rank)
    if recommended_rank is not None and decided_rank == recommended_rank:
        return Route(needs_reason=steps > 1, needs_second_approval=steps > 1)
    if recommended_rank is None:
        return Route(needs_reason=True, needs_second_approval=steps >= 1)
    return Route(needs_reason=True, needs_second_approval=True)
