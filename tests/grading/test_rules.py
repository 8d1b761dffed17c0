"""The grading rules as a table: rank, metrics, keep bars, promotion bars → recommendation."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grading.rules import DEMOTE, KEEP, NONE, PROMOTE, recommend

KEEP_BARS = {"premium": "100000", "visits": 10, "trainings": None}
PROMOTION_BARS = {"premium": "200000", "visits": 20, "persistency": "85"}
GOOD = {"premium": "250000.00", "visits": 25, "persistency": "90.00", "trainings": None}
AVERAGE = {"premium": "150000.00", "visits": 15, "persistency": "90.00", "trainings": None}
POOR = {"premium": "50000.00", "visits": 15, "persistency": "90.00", "trainings": None}
NO_FIGURES = {"premium": None, "visits": 15, "persistency": None, "trainings": None}


@pytest.mark.parametrize(
    ("rank", "metrics", "keep", "promotion", "first_period", "expected"),
    [
        # meets every promotion bar of the next level: one level up, never two
        (4, GOOD, KEEP_BARS, PROMOTION_BARS, False, (PROMOTE, 5)),
        # keeps but misses one promotion bar: stays
        (4, AVERAGE, KEEP_BARS, PROMOTION_BARS, False, (KEEP, 4)),
        # misses a keep bar of their own level: one level down
        (4, POOR, KEEP_BARS, PROMOTION_BARS, False, (DEMOTE, 3)),
        # a missed keep bar wins over met promotion bars
        (4, {**GOOD, "visits": 5}, KEEP_BARS, {"premium": "200000"}, False, (DEMOTE, 3)),
        # floor: 客户专员 missing its keep bar stays 客户专员
        (1, POOR, KEEP_BARS, PROMOTION_BARS, False, (KEEP, 1)),
        # ceiling: 高级客户经理三级 cannot go higher
        (10, GOOD, KEEP_BARS, None, False, (KEEP, 10)),
        # a demoted 客户主任一级 lands on the floor
        (2, POOR, KEEP_BARS, PROMOTION_BARS, False, (DEMOTE, 1)),
        # new hire passing the first period (客户专员 keep bars): 客户主任一级
        (1, AVERAGE, KEEP_BARS, None, True, (PROMOTE, 2)),
        # new hire failing the first period stays 客户专员
        (1, POOR, KEEP_BARS, None, True, (KEEP, 1)),
        # a 客户专员 after the first period needs the promotion bars of 客户主任一级
        (1, AVERAGE, KEEP_BARS, PROMOTION_BARS, False, (KEEP, 1)),
        (1, GOOD, KEEP_BARS, PROMOTION_BARS, False, (PROMOTE, 2)),
        # no standard for the next level (or no bar set in it): no promotion
        (4, GOOD, KEEP_BARS, None, False, (KEEP, 4)),
        (4, GOOD, KEEP_BARS, {"premium": None}, False, (KEEP, 4)),
        # no standard for the own level: cannot be demoted
        (4, POOR, None, PROMOTION_BARS, False, (KEEP, 4)),
        # no data for a metric a bar needs: no recommendation, never a demotion
        (4, NO_FIGURES, KEEP_BARS, PROMOTION_BARS, False, (NONE, 4)),
        (4, AVERAGE, {"trainings": 1}, None, False, (NONE, 4)),
        (1, NO_FIGURES, KEEP_BARS, None, True, (NONE, 1)),
        # no data for a metric nobody asks for changes nothing
        (4, {**AVERAGE, "trainings": None}, KEEP_BARS, PROMOTION_BARS, False, (KEEP, 4)),
        # a bar exactly met is met
        (
            4,
            {"premium": "200000", "visits": 20, "persistency": "85"},
            KEEP_BARS,
            PROMOTION_BARS,
            False,
            (PROMOTE, 5),
        ),
    ],
)
def test_recommendation_table(rank, metrics, keep, promotion, first_period, expected):
    result = recommend(rank, metrics, keep, promotion, first_period=first_period)
    assert (result.outcome, result.rank) == expected


METRIC = st.one_of(st.none(), st.integers(min_value=0, max_value=500))
BARS = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(["premium", "visits"]), st.one_of(st.none(), METRIC)),
)


@given(
    rank=st.integers(min_value=1, max_value=10),
    metrics=st.fixed_dictionaries({"premium": METRIC, "visits": METRIC}),
    keep=BARS,
    promotion=BARS,
    first_period=st.booleans(),
)
def test_a_recommendation_moves_at_most_one_level_and_stays_on_the_ladder(
    rank, metrics, keep, promotion, first_period
):
    result = recommend(rank, metrics, keep, promotion, first_period=first_period)
    assert 1 <= result.rank <= 10
    assert abs(result.rank - rank) <= 1
    assert {PROMOTE: 1, KEEP: 0, DEMOTE: -1, NONE: 0}[result.outcome] == result.rank - rank
    if keep and any(bar is not None and metrics.get(key) is None for key, bar in keep.items()):
        # A keep bar without data never demotes: there is no recommendation.
        assert result.outcome == NONE
