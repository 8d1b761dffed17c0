"""Filters for checklist rows (issue 22): the checklist shows some fifty items, most of them
a week's or a month's, each with its due date."""

from functools import lru_cache

from django import template
from django.template.defaultfilters import date
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

register = template.Library()


@register.filter
def due(day):
    """{{ item.due_on|due }}: "due 12-06" (“12-06 截止”), as the
    ``{% blocktranslate with due=item.due_on|date:"m-d" %}`` it replaces wrote it."""
    return _due(get_language(), day)


# A page's items share a few due dates (the week's end, the month's end): each is written
# once per language, then reused.
@lru_cache(maxsize=64)
def _due(language, day):
    return mark_safe(gettext("due %(due)s") % {"due": conditional_escape(date(day, "m-d"))})
