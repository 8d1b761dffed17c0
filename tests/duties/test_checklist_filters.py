"""The checklist's `due` filter writes what the blocktranslate it replaced wrote."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

OLD = (
    '{% load i18n %}{% blocktranslate with due=day|date:"m-d" %}due {{ due }}'
    "{% endblocktranslate %}"
)
NEW = "{% load checklist %}{{ day|due }}"


@pytest.mark.parametrize(
    "day", [datetime.date(2026, 12, 6), datetime.date(2026, 1, 31), datetime.date(2027, 2, 28)]
)
def test_due_writes_what_the_blocktranslate_wrote_in_each_language(day):
    context = Context({"day": day})
    # Both languages in turn, twice: a date written for one language never shows in the other.
    for language in ["zh-hans", "en", "zh-hans", "en"]:
        with translation.override(language):
            assert Template(NEW).render(context) == Template(OLD).render(context)
    with translation.override("zh-hans"):
        assert Template(NEW).render(context) == f"{day:%m-%d} 截止"
    with translation.override("en"):
        assert Template(NEW).render(context) == f"due {day:%m-%d}"
