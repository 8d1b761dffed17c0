"""Validators for data our users type on a phone: mainland numbers, Chinese ID tails."""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mainland mobile numbers start 13–19; 10x, 11x and 12x are not issued to phones.
mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$",
    _("Enter a mainland mobile number: 11 digits starting with 1, e.g. 13812345678."),
    code="invalid_mobile",
)

landline_validator = RegexValidator(
    r"^(0\d{2,3}-?)?\d{7,8}(-\d{1,6})?$",
    _("Enter a landline such as 021-12345678 or 0571-8765432, or a mobile number."),
    code="invalid_landline",
)

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def validate_phone(value):
    """A branch phone may be a landline or a mobile."""
    if _MOBILE.match(value or ""):
        return
    landline_validator(value)


def mask_phone(value):
    """138****5678: enough to recognise a number, not enough to call it."""
    if not value:
        return ""
    digits = str(value)
    if len(digits) <= 7:
        return digits[:2] + "*" * max(len(digits) - 2, 0)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


# A mobile number or an 18-character ID number inside free text (not part of a longer number).
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def is_id_number(value):
    """True for an 18-character resident ID number whose check character is right."""
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]", value or ""):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value, _ID_WEIGHTS, strict=False))
    return "10X98765432"[total % 11] == value[-1].upper()


def mask_personal_numbers(text):
    """Mask every mobile number (138****5678) and resident ID number (110***********123X)
    in free text: the last line of defence for messages, whatever a template or a user put
    in them. An 18-digit run that fails the ID checksum (a policy number) is left alone."""
    if not text:
        return text
    text = _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)
    return _ID_IN_TEXT.sub(
        lambda m: f"{m.group()[:3]}{'*' * 11}{m.group()[-4:]}"
        if is_id_number(m.group())
        else m.group(),
        text,
    )


_ASCII_NUMBER = re.compile(r"[0-9]+")


def parse_id(value, *, max_digits=18):
    """An id (or serial number) typed or sent in a query string, or None.

    ``str.isdigit()`` is true for "²" or "٣", which ``int()`` refuses, and for a 30-digit
    number no database column holds: only ASCII digits, at most ``max_digits`` of them.
    """
    text = str(value if value is not None else "").strip()
    if len(text) > max_digits or not _ASCII_NUMBER.fullmatch(text):
        return None
    return int(text)
