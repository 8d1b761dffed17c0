from django import template

register = template.Library()


@register.filter
def yuan(value, signed=False):
    """1500000 -> "1,500,000" (whole 元, grouped the same way in every language)."""
    if value is None or value == "":
        return ""
    text = f"{value:,.0f}"
    if signed and value > 0:
        text = "+" + text
    return text


# Timeline entries are told apart at a glance by their icon; a kind added later by another
# app without an entry here still shows, with a plain dot.
TIMELINE_ICONS = {
    "visit": "bi-geo-alt-fill",
    "event": "bi-exclamation-triangle-fill",
    "event_response": "bi-reply-fill",
    "training": "bi-easel2",
    "delivery": "bi-box-seam",
    "intake": "bi-inboxes",
    "case": "bi-headset",
    "photo": "bi-camera-fill",
    "outreach": "bi-megaphone-fill",
}


@register.filter
def timeline_icon(kind):
    return TIMELINE_ICONS.get(kind, "bi-dot")
