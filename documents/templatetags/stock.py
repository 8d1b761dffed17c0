"""Filters for stock rows shown in a loop: a row's days of cover and its state badge.

Issue 22: the stock overview shows 100 rows, and two includes per row (with a
``{% blocktranslate %}`` in one) were a third of its template time.
"""

from django import template
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()


@register.filter
def cover(assessment):
    """{{ row.assessment|cover }}: "12.5 days of cover" or "no recent usage", as the
    ``{% blocktranslate with days=... %}`` it replaces wrote it (the number localized
    and escaped, the translation as it is)."""
    days = assessment.days_of_cover
    if days is None:
        return gettext("no recent usage")
    return mark_safe(
        gettext("%(days)s days of cover") % {"days": conditional_escape(localize(days))}
    )


# documents/_state_badge.html shows nothing but the state and its label: rendered once per
# process for each state and language, as the cached template loader keeps the template.
_badges = {}


@register.filter
def state_badge(assessment):
    """{{ row.assessment|state_badge }}: what documents/_state_badge.html writes."""
    key = (get_language(), assessment.state)
    try:
        return _badges[key]
    except KeyError:
        badge = get_template("documents/_state_badge.html").render({"a": assessment})
        _badges[key] = mark_safe(badge)
        return _badges[key]
