import unicodedata

from django import template
from django.template.defaultfilters import stringfilter, truncatechars
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

from core.links import id_url
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


@register.filter
def width_step(percent):
    """{{ 37|width_step }} → "bd-w-35": the width class (5 % steps, 0–100) for a bar.

    The CSP forbids style="" attributes, so a bar's width is a class; anything above zero
    shows at least the first step."""
    try:
        value = float(percent)
    except (TypeError, ValueError):
        return "bd-w-0"
    step = min(100, max(0, int(value / 5 + 0.5) * 5))
    if value > 0 and step == 0:
        step = 5
    return f"bd-w-{step}"


@register.filter
def url_for(pk, name):
    """{{ row.pk|url_for:"documents:movements" }}: what {% url "documents:movements" row.pk %}
    writes, from the route reversed once per process (core.links): for rows in a loop.
    Only for routes of one namespace instance (Django's URL tag would pick the request's)."""
    return id_url(name, pk)


# A choice field's labels per (model, field, language): get_FOO_display() builds the
# field's choices into a dict on every call (a tenth of a 100-row list's template time).
_choice_labels = {}


@register.filter
def display(obj, field_name):
    """{{ branch|display:"tier" }}: what {{ branch.get_tier_display }} writes, the
    field's labels kept per language."""
    key = (type(obj), field_name, get_language())
    labels = _choice_labels.get(key)
    if labels is None:
        field = obj._meta.get_field(field_name)
        labels = {make_hashable(value): str(label) for value, label in field.flatchoices}
        _choice_labels[key] = labels
    value = getattr(obj, field_name)
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


@register.filter(is_safe=True)
@stringfilter
def shorten(value, length):
    """{{ text|shorten:200 }}: what {{ text|truncatechars:200 }} writes. Text that fits (most
    of a timeline's summaries) comes back without building the truncation's translated
    ellipsis, a catalogue lookup on every call (a tenth of the branch page's timeline)."""
    try:
        limit = int(length)
    except (TypeError, ValueError):
        return truncatechars(value, length)
    # Truncator counts characters of the NFC form, leaving out combining ones: a text no
    # longer than the limit is returned whole (normalized), as Truncator returns it.
    text = unicodedata.normalize("NFC", value)
    if limit > 0 and len(text) <= limit:
        return text
    return truncatechars(value, length)
