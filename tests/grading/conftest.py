import datetime
from decimal import Decimal

import pytest

from tests.grading.factories import (
    AssessmentPeriodFactory,
    LevelStandardFactory,
    SalesFigureFactory,
    level,
)


@pytest.fixture
def period(db):
    """2026Q4, whose figures were declared final on 11-30 (its close date): decisions on it are
    open (the clock is past that day), while the metrics still count the whole quarter."""
    return AssessmentPeriodFactory(
        name="2026Q4",
        start=datetime.date(2026, 10, 1),
        end=datetime.date(2026, 12, 31),
        closes_on=datetime.date(2026, 11, 30),
    )


@pytest.fixture
def standards(db):
    """客户专员 keeps with 50 000 元; 客户主任一级 needs 100 000 元 and 80% persistency."""
    return [
        LevelStandardFactory(level=level(1), keep_premium=Decimal("50000")),
        LevelStandardFactory(
            level=level(2),
            keep_premium=Decimal("80000"),
            promote_premium=Decimal("100000"),
            promote_persistency=Decimal("80"),
        ),
        LevelStandardFactory(level=level(3), promote_premium=Decimal("200000")),
    ]


@pytest.fixture
def strong_figures(period):
    def make(manager):
        return SalesFigureFactory(
            manager=manager, period=period, premium=Decimal("150000"), persistency=Decimal("90")
        )

    return make
