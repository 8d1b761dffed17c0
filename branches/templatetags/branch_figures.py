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
