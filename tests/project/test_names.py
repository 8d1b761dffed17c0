from types import SimpleNamespace

import pytest

from core.names import full_name
from core.validators import mask_phone


@pytest.mark.parametrize(
    ("first", "last", "username", "expected"),
    [
        ("芳", "王", "wang", "王芳"),
        ("Ann", "Lee", "ann", "Ann Lee"),
        ("", "", "zhou", "zhou"),
    ],
)
def test_it_writes_names_in_the_order_of_their_script(first, last, username, expected):
    user = SimpleNamespace(first_name=first, last_name=last, get_username=lambda: username)
    assert full_name(user) == expected


@pytest.mark.parametrize(
    ("phone", "expected"),
    [("13812345678", "138****5678"), ("", ""), ("021-62345678", "021*****5678")],
)
def test_it_masks_phones(phone, expected):
    assert mask_phone(phone) == expected


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(0, "bd-w-0"), (1, "bd-w-5"), (37, "bd-w-35"), (38, "bd-w-40"), (100, "bd-w-100")]
    + [(250, "bd-w-100"), (-3, "bd-w-0"), (None, "bd-w-0")],
)
def test_a_bar_width_is_a_class_in_five_percent_steps(percent, expected):
    from core.templatetags.branchdesk import width_step

    assert width_step(percent) == expected
