"""Chinese resident ID numbers (GB 11643-1999): the check digit and masking."""

import operator

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def is_masked(value):
    return "*" in (value or "")


def id_number_valid(value):
    """True for an 18-character ID number whose last character is its check digit.

    A number the feed already masked (it contains ``*``) cannot be checked and is accepted.
    """
    value = (value or "").strip().upper()
    if is_masked(value):
        return len(value) == 18
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(map(operator.mul, map(int, value[:17]), _WEIGHTS))
    return _CHECK[total % 11] == value[17]


def mask_id_number(value):
    """110101********1234: the region and the last four, never the birth date."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"
