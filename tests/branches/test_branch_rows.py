"""The branch rows' filters write what the tags they replaced wrote (issue 22)."""

import pytest
from django.template import Context, Template
from django.utils import translation

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
