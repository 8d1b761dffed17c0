"""The stock rows' filters (documents/templatetags/stock.py) write what the includes wrote."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from documents.selectors import StockAssessment, StockState

# documents/_cover.html as it was before the `cover` filter replaced it (issue 22).
OLD_COVER = (
    '{% load i18n %}{% if a.days_of_cover is None %}{% translate "no recent usage" %}'
    "{% else %}{% blocktranslate with days=a.days_of_cover %}{{ days }} days of cover"
    "{% endblocktranslate %}{% endif %}"
)


def render(source, assessment):
    return Template(source).render(Context({"a": assessment}))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("days", [None, Decimal("0.0"), Decimal("5.5"), Decimal("1470.0")])
def test_cover_writes_what_the_include_wrote(language, days):
    assessment = StockAssessment(StockState.OK, days)
    with translation.override(language):
        old = render(OLD_COVER, assessment)
        new = render("{% load stock %}{{ a|cover }}", assessment)
    assert new == old
    assert ("天" in new) == (language == "zh-hans" and days is not None)


def test_cover_reads_in_the_screens_language():
    assessment = StockAssessment(StockState.LOW, Decimal("5.5"))
    with translation.override("zh-hans"):
        assert render("{% load stock %}{{ a|cover }}", assessment) == "可用 5.5 天"
    with translation.override("en"):
        assert render("{% load stock %}{{ a|cover }}", assessment) == "5.5 days of cover"


@pytest.mark.parametrize("state", list(StockState.LABELS))
def test_state_badge_writes_what_the_include_wrote_in_each_language(state):
    assessment = StockAssessment(state, None)
    # Both languages in turn, twice: a badge kept for one language never shows in the other.
    for language in ["zh-hans", "en", "zh-hans", "en"]:
        with translation.override(language):
            old = render('{% include "documents/_state_badge.html" with a=a %}', assessment)
            new = render("{% load stock %}{{ a|state_badge }}", assessment)
        assert new == old
        assert f'data-state="{state}"' in new
        assert str(StockState.LABELS[state]) not in ("", None)
