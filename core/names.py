"""People's names as Chinese users write them."""

import re

_CJK = re.compile(r"[\u3400-\u9fff]")

# The user fields full_name reads: what a query that shows a name must load (``.only()``).
NAME_FIELDS = ("first_name", "last_name", "username")


def name_fields(path):
    """NAME_FIELDS of the user at ``path`` ("manager__user"), for ``.only()``."""
    return tuple(f"{path}__{name}" for name in NAME_FIELDS)


def full_name(user):
    """王芳 for Chinese names (family name first, no space); "Ann Lee" otherwise."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not first and not last:
        return user.get_username()
    if _CJK.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
