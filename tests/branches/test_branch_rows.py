"""The branch rows' filters write what the tags they replaced wrote (issue 22)."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from branches.models import Branch

OLD_DAYS = (
    "{% load i18n %}{% blocktranslate count days=days %}{{ days }} day ago{% plural %}"
    "{{ days }} days ago{% endblocktranslate %}"
)


@pytest.mark.parametrize("days", [1, 2, 31, 1000, 12345])
def test_days_ago_writes_what_the_blocktranslate_wrote_in_each_language(days):
    context = Context({"days": days})
    # Both languages in turn, twice: a count written for one language never shows in the other.
    for language in ["zh-hans", "en", "zh-hans", "en"]:
        with translation.override(language):
            new = Template("{% load branch_rows %}{{ days|days_ago }}").render(context)
            assert new == Template(OLD_DAYS).render(context)
    with translation.override("en"):
        assert Template("{% load branch_rows %}{{ 1|days_ago }} {{ 2|days_ago }}").render(
            Context()
        ) == ("1 day ago 2 days ago")


@pytest.mark.parametrize("tier", [*Branch.Tier.values, "Z"])
def test_display_writes_what_get_display_wrote_in_each_language(tier):
    branch = Branch(tier=tier)
    context = Context({"branch": branch})
    for language in ["zh-hans", "en", "zh-hans", "en"]:
        with translation.override(language):
            new = Template('{% load branchdesk %}{{ branch|display:"tier" }}').render(context)
            assert new == Template("{{ branch.get_tier_display }}").render(context)
            assert new == (tier if tier == "Z" else str(Branch.Tier(tier).label))


OLD_LAST_VISIT = (
    '{% load i18n branch_rows %}{% translate "Last visit" as last_visit_label %}'
    '{% translate "today" as today_label %}{% translate "Never visited" as never_label %}'
    "{% if branch.last_visit_at %}{% with days=branch.days_since_visit %}"
    '{{ last_visit_label }}: {{ branch.last_visit_at|date:"Y-m-d" }}\n      '
    '<span class="{% if days > 30 %}text-danger{% else %}text-body-secondary{% endif %}">'
    "({% if days == 0 %}{{ today_label }}{% else %}{{ days|days_ago }}{% endif %})</span>"
    "{% endwith %}{% else %}"
    '<span class="text-danger">{{ never_label }}</span>'
    "{% endif %}"
)


def _local(day, hour, minute):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.mark.parametrize(
    "visited",
    [
        None,
        lambda today: timezone.now(),
        lambda today: _local(today, 0, 1),  # today, just after midnight
        lambda today: _local(today - datetime.timedelta(days=1), 23, 59),
        lambda today: _local(today - datetime.timedelta(days=30), 12, 0),  # not red yet
        lambda today: _local(today - datetime.timedelta(days=31), 12, 0),  # red
        lambda today: _local(today - datetime.timedelta(days=1000), 8, 0),
        lambda today: _local(today + datetime.timedelta(days=2), 8, 0),  # a clock ahead
    ],
)
def test_last_visit_writes_what_the_rows_template_wrote_in_each_language(visited):
    today = timezone.localdate()
    branch = Branch(last_visit_at=visited(today) if visited else None)
    context = Context({"branch": branch})
    for language in ["zh-hans", "en", "zh-hans", "en"]:
        with translation.override(language):
            new = Template("{% load branch_rows %}{{ branch|last_visit }}").render(context)
            assert new == Template(OLD_LAST_VISIT).render(context)


def _shown_in_english(branch):
    with translation.override("en"):
        return Template("{% load branch_rows %}{{ branch|last_visit }}").render(
            Context({"branch": branch})
        )


def test_last_visit_reads_the_day_in_the_current_time_zone():
    # 16:30 UTC on 20 November is 00:30 on the 21st in Shanghai.
    branch = Branch(last_visit_at=datetime.datetime(2026, 11, 20, 16, 30, tzinfo=datetime.UTC))

    assert _shown_in_english(branch).startswith("Last visit: 2026-11-21\n")
    with timezone.override("UTC"):
        assert _shown_in_english(branch).startswith("Last visit: 2026-11-20\n")
