"""An id larger than any database integer is "no such row", never a server error."""

import pytest
from django.urls import reverse

from branches.models import Branch, Visit
from tests.branches.factories import BranchFactory

pytestmark = pytest.mark.django_db

HUGE = 2**63  # one past the largest bigint


def test_a_query_for_oversized_ids_matches_nothing(manager):
    branch = BranchFactory(manager=manager)
    assert list(Branch.objects.filter(pk__in=[HUGE, -HUGE - 1])) == []
    assert list(Branch.objects.filter(pk__in=[HUGE, branch.pk])) == [branch]


def test_a_visit_naming_an_oversized_staff_id_is_a_form_error(manager_client, manager):
    branch = BranchFactory(manager=manager)
    response = manager_client.post(
        reverse("branches:visit_create", args=[branch.pk]),
        {
            "visited_at": "2026-11-01T10:00",
            "purposes": ["relationship"],
            "staff_met": [str(HUGE)],
            "summary": "拜访",
        },
    )
    assert response.status_code == 200
    assert "staff_met" in response.context["form"].errors
    assert not Visit.objects.exists()


# PostgreSQL's integer columns stop at 2**31 - 1 (small ones at 32767); SQLite's do not, so
# these are checked against the form's own bound, which keeps both databases from a 500.
INT_MAX = 2**31 - 1


def test_a_count_beyond_the_column_is_a_form_error(manager_client, manager):
    from documents.models import StockMovement
    from tests.documents.factories import stock_at

    stock = stock_at(BranchFactory(manager=manager), "brochure", 10, manager.user)
    response = manager_client.post(
        reverse("documents:count", args=[stock.pk]), {"counted": str(INT_MAX + 1)}
    )
    assert response.status_code == 200
    assert "counted" in response.context["form"].errors
    assert StockMovement.objects.count() == 1  # only the delivery that set it up
    stock.refresh_from_db()
    assert stock.on_hand == 10


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        ("documents.forms.CountForm", "counted"),
        ("documents.forms.MovementForm", "quantity"),
        ("documents.forms.DeliveryLineForm", "quantity"),
        ("documents.forms.SerialRangeForm", "first_number"),
        ("documents.forms.SerialRangeForm", "last_number"),
        ("documents.forms.SerialStatusForm", "number"),
        ("branches.forms.PlanTargetForm", "policy_count_target"),
    ],
)
def test_number_fields_stop_below_the_database_limit(form_class, field):
    from django.utils.module_loading import import_string

    bound = import_string(form_class).base_fields[field].max_value
    assert bound is not None and bound <= INT_MAX


def test_training_numbers_fit_a_small_integer_column():
    from duties.forms import TrainingForm

    for field in ("duration_minutes", "head_count"):
        assert TrainingForm.base_fields[field].max_value <= 32767


# --- Issue 14, finding 6: crafted numbers are form errors or ignored, never a 500 ------------

THIRTY_DIGITS = "1" * 30


@pytest.mark.parametrize("part", ["birth_year", "birth_month", "birth_day"])
def test_a_thirty_digit_birthday_part_is_a_form_error(manager_client, manager, part):
    from staff.models import BranchStaff

    branch = BranchFactory(manager=manager)
    data = {"name": "李娜", "role": "teller", "birth_year": "1990", "birth_month": "3"}
    data["birth_day"] = "4"
    data[part] = THIRTY_DIGITS
    response = manager_client.post(reverse("staff:create", args=[branch.pk]), data)
    assert response.status_code == 200
    assert part in response.context["form"].errors
    assert not BranchStaff.objects.exists()


def test_a_thirty_digit_birthday_part_is_an_admin_form_error(admin_client, manager):
    from staff.models import BranchStaff

    branch = BranchFactory(manager=manager)
    response = admin_client.post(
        reverse("admin:staff_branchstaff_add"),
        {
            "branch": branch.pk,
            "name": "李娜",
            "role": "teller",
            "birth_month": THIRTY_DIGITS,
            "birth_day": "4",
            "postings-TOTAL_FORMS": "0",
            "postings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert not BranchStaff.objects.exists()


@pytest.mark.parametrize("value", ["²", "٣", THIRTY_DIGITS, "-1", " 7"])
def test_a_crafted_branch_in_the_briefing_delivery_address_is_ignored(
    manager_client, manager, value
):
    from tests.duties.factories import PolicyBriefingFactory

    BranchFactory(manager=manager)
    briefing = PolicyBriefingFactory()
    url = reverse("duties:delivery_create", args=[briefing.pk])
    assert manager_client.get(url, {"branch": value}).status_code == 200


@pytest.mark.parametrize("value", ["²", THIRTY_DIGITS])
def test_a_crafted_branch_on_the_training_form_is_ignored(manager_client, value):
    response = manager_client.get(reverse("duties:training_create"), {"branch": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", THIRTY_DIGITS])
def test_a_crafted_period_on_the_assessment_export_is_ignored(supervisor_client, value):
    url = reverse("grading:assessment_export_csv")
    assert supervisor_client.get(url, {"period": value}).status_code == 200


def test_a_superscript_serial_number_is_a_message_not_a_500(manager):
    from django.core.exceptions import ValidationError

    from documents.services import collect_forms

    branch = BranchFactory(manager=manager)
    with pytest.raises(ValidationError):
        collect_forms(branch=branch, serials=["²"], user=manager.user)


def test_parse_id_takes_ascii_digits_only():
    from core.validators import parse_id

    assert [parse_id(v) for v in ("42", "²", "٣", "", None, THIRTY_DIGITS, "4 2")] == [
        42,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
