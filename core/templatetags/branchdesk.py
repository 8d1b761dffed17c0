from django import template

from core.lists import join_list
from core.names import full_name
from core.validators import mask_phone

register = template.Library()


@register.filter
def person(user):
    """{{ user|person }}: the user's name in the order its script expects."""
    return full_name(user) if user is not None else ""


@register.filter
def masked(phone):
    """{{ staff.mobile|masked }}: 138****5678."""
    return mask_phone(phone)


@register.filter
def listing(items):
    """{{ visit.get_purposes_display|listing }}: joined with 、 in Chinese, ", " in English."""
    return join_list(items)
