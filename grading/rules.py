"""The grading rules of 四等十级, as plain functions on numbers (no database).

The ladder has ten ranks, 1 (客户专员) to 10 (高级客户经理三级). An assessment compares a
manager's metrics for one period with two sets of thresholds taken from LevelStandard rows:
the *keep* thresholds (保级) of the manager's own level and the *promotion* thresholds (晋级)
of the level above. Every threshold is an "at least" bar; an empty threshold (None) is not
required.

Rules, in the order they are applied:

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

- A metric that could not be measured (None, e.g. trainings while the duties app is absent)
  does not meet a threshold that requires it; the supervisor can override with a reason.
- A level without a standard in force has no keep bar, so its holders cannot be demoted.
- The standard in force for a period is the latest one effective on or before the period's
  last day (see grading.selectors.standard_for).
"""

from dataclasses import dataclass
from decimal import Decimal

FLOOR_RANK = 1
FIRST_PROMOTION_RANK = 2
CEILING_RANK = 10

PROMOTE = "promote"
KEEP = "keep"
DEMOTE = "demote"


@dataclass(frozen=True)
class Recommendation:
    outcome: str
    rank: int
    first_period_passed: bool | None = None


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
    ceiling). Both are {metric: threshold or None}.
    """
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
