"""People's names as Chinese users write them."""

import re

_CJK = re.compile(r"[\u3400-\u9fff]")


def full_name(user):
    """王芳 for Chinese names (family name first, no space); "Ann Lee" otherwise."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not first and not last:
        return user.get_username()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
