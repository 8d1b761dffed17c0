import datetime

import pytest
from django.core.exceptions import ValidationError

from staff.models import BranchStaff, StaffPosting
from staff.services import add_staff, move_staff, update_staff
from tests.branches.factories import BranchFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_adding_staff_opens_a_posting():
    branch = BranchFactory()
    staff = add_staff(
        branch=branch,
        name="李娜",
        role=BranchStaff.Role.DIRECTOR,
        mobile="13812345678",
        started_on=datetime.date(2025, 1, 1),
    )
    posting = StaffPosting.objects.get(staff=staff)
    assert (posting.branch, posting.role, posting.ended_on) == (branch, "director", None)


def test_it_refuses_a_birthday_that_does_not_exist():
    with pytest.raises(ValidationError) as error:
        add_staff(branch=BranchFactory(), name="王", birth_month=2, birth_day=30)
    assert "birth_day" in error.value.message_dict
    assert not BranchStaff.objects.exists()


def test_29_february_without_a_year_is_a_birthday():
    staff = add_staff(branch=BranchFactory(), name="王", birth_month=2, birth_day=29)
    assert staff.birthday_display == "02-29"


def test_29_february_in_a_common_year_is_not():
    with pytest.raises(ValidationError):
        add_staff(branch=BranchFactory(), name="王", birth_month=2, birth_day=29, birth_year=1990)


def test_it_refuses_a_malformed_mobile():
    with pytest.raises(ValidationError) as error:
        add_staff(branch=BranchFactory(), name="王", mobile="2381234567")
    assert "mobile" in error.value.message_dict


def test_moving_staff_keeps_the_history_of_postings_and_visits():
    old_branch = BranchFactory()
    new_branch = BranchFactory()
    staff = add_staff(
        branch=old_branch,
        name="张伟",
        role=BranchStaff.Role.TELLER,
        started_on=datetime.date(2024, 3, 1),
    )
    visit = VisitFactory(branch=old_branch)
    visit.staff_met.add(staff)

    move_staff(
        staff=staff,
        new_branch=new_branch,
        role=BranchStaff.Role.LOBBY_MANAGER,
        on=datetime.date(2025, 6, 1),
    )

    staff.refresh_from_db()
    assert staff.branch == new_branch
    assert staff.role == "lobby_manager"
    postings = list(staff.postings.order_by("started_on"))
    assert [(p.branch, p.started_on, p.ended_on) for p in postings] == [
        (old_branch, datetime.date(2024, 3, 1), datetime.date(2025, 6, 1)),
        (new_branch, datetime.date(2025, 6, 1), None),
    ]
    assert list(staff.visits.all()) == [visit]
    assert staff.history.count() == 2


def test_a_move_cannot_predate_the_current_posting():
    staff = add_staff(branch=BranchFactory(), name="张", started_on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        move_staff(
            staff=staff, new_branch=BranchFactory(), role="teller", on=datetime.date(2024, 1, 1)
        )
    assert staff.postings.count() == 1


def test_update_keeps_a_history_of_changes():
    staff = add_staff(branch=BranchFactory(), name="张", mobile="13800000000")
    update_staff(staff=staff, mobile="13900000000")
    assert [h.mobile for h in staff.history.order_by("history_date")] == [
        "13800000000",
        "13900000000",
    ]
