"""Filters for branch rows in a list (issue 22): the branch list shows 25 to 100 rows."""

from functools import lru_cache

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext

register = template.Library()


@register.filter
def days_ago(days):
    """{{ days|days_ago }}: "3 days ago" (“3 天前”), as the
    ``{% blocktranslate count days=days %}`` it replaces wrote it."""
    return _days_ago(get_language(), days)


# Rows share day counts (a list's last visits fall within a few weeks): each is written once
# per language, then reused.
@lru_cache(maxsize=512)
def _days_ago(language, days):
    text = ngettext("%(days)s day ago", "%(days)s days ago", days)
    return mark_safe(text % {"days": conditional_escape(localize(days))})
