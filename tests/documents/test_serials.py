import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from branches.models import Branch
from documents import services
from documents.models import SerialForm, SerialRange
from documents.selectors import serial_reconciliation
from tests.branches.factories import BranchFactory
from tests.documents.factories import item

pytestmark = pytest.mark.django_db


def issue(branch, first, last, user):
    return services.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=first,
        last_number=last,
        user=user,
    )


def test_issuing_a_range_creates_every_number(branch, manager):
    serial_range = issue(branch, 1000, 1099, manager.user)
    assert str(serial_range) == "0001000–0001099"
    assert serial_range.forms.count() == 100
    assert set(serial_range.forms.values_list("status", flat=True)) == {"issued"}


def test_an_overlapping_range_is_refused_naming_the_overlap(branch, manager):
    issue(branch, 1000, 1099, manager.user)
    other = BranchFactory(manager=manager)
    with pytest.raises(ValidationError) as refused:
        issue(other, 1050, 1200, manager.user)
    message = " ".join(refused.value.messages)
    assert "0001050–0001099" in message and "0001000–0001099" in message
    assert SerialRange.objects.count() == 1
    assert SerialForm.objects.count() == 100


def test_a_number_is_issued_once_only(branch, manager):
    issue(branch, 5, 5, manager.user)
    with pytest.raises(ValidationError):
        issue(branch, 5, 5, manager.user)
    assert SerialForm.objects.filter(number=5).count() == 1


def test_an_uncontrolled_item_has_no_ranges(branch, manager):
    with pytest.raises(ValidationError):
        services.issue_serial_range(
            branch=branch, item=item("brochure"), first_number=1, last_number=10, user=manager.user
        )


def test_a_used_form_cannot_be_voided(branch, manager):
    issue(branch, 1, 3, manager.user)
    services.collect_forms(branch=branch, serials=["1"], user=manager.user)
    with pytest.raises(ValidationError):
        services.set_serial_status(serial_form=SerialForm.objects.get(number=1), status="voided")


def test_reconciliation_counts_issued_against_accounted_for(branch, manager):
    issue(branch, 1, 10, manager.user)
    services.collect_forms(branch=branch, serials=["1", "2", "3"], user=manager.user)
    services.set_serial_status(serial_form=SerialForm.objects.get(number=4), status="voided")
    services.set_serial_status(serial_form=SerialForm.objects.get(number=5), status="lost")
    (row,) = serial_reconciliation(Branch.objects.all())
    assert (row.numbers_count, row.used_count, row.voided_count, row.lost_count) == (10, 3, 1, 1)
    assert (row.accounted_count, row.issued_count) == (5, 5)


def test_the_serial_page_issues_a_range(manager_client, branch):
    response = manager_client.post(
        reverse("documents:serials", args=[branch.pk]),
        {"issue": "1", "range-first_number": "100", "range-last_number": "109"},
    )
    assert response.status_code == 302
    assert SerialForm.objects.filter(serial_range__branch=branch).count() == 10


def test_the_serial_page_shows_an_overlap(manager_client, branch, manager):
    issue(branch, 100, 109, manager.user)
    response = manager_client.post(
        reverse("documents:serials", args=[branch.pk]),
        {"issue": "1", "range-first_number": "105", "range-last_number": "120"},
    )
    assert response.status_code == 200
    assert "0000105–0000109" in response.content.decode()
    assert SerialRange.objects.count() == 1


def test_the_serial_page_refuses_a_reversed_range(manager_client, branch):
    response = manager_client.post(
        reverse("documents:serials", args=[branch.pk]),
        {"issue": "1", "range-first_number": "120", "range-last_number": "100"},
    )
    assert response.status_code == 200 and response.context["range_form"].errors
    assert not SerialRange.objects.exists()


def test_the_serial_page_voids_a_number(manager_client, branch, manager):
    issue(branch, 100, 109, manager.user)
    response = manager_client.post(
        reverse("documents:serials", args=[branch.pk]),
        {"change": "1", "status-number": "104", "status-status": "voided"},
    )
    assert response.status_code == 302
    assert SerialForm.objects.get(number=104).status == "voided"


def test_voiding_another_branchs_number_is_refused(manager_client, branch, manager):
    issue(BranchFactory(manager=manager), 100, 109, manager.user)
    response = manager_client.post(
        reverse("documents:serials", args=[branch.pk]),
        {"change": "1", "status-number": "104", "status-status": "voided"},
    )
    assert response.status_code == 200 and response.context["status_form"].errors
    assert SerialForm.objects.get(number=104).status == "issued"


def test_serial_pages_are_private(other_client, branch):
    assert other_client.get(reverse("documents:serials", args=[branch.pk])).status_code == 404


def test_the_reconciliation_page_is_scoped(client, branch, manager, other_manager, supervisor):
    issue(branch, 1, 10, manager.user)
    issue(BranchFactory(manager=other_manager), 11, 20, other_manager.user)
    client.force_login(supervisor)
    page = client.get(reverse("documents:reconciliation"))
    assert [row.pk for row in page.context["rows"]] == [branch.pk]
    assert page.context["managers"][0]["issued"] == 10
    client.force_login(other_manager.user)
    page = client.get(reverse("documents:reconciliation"))
    assert branch.pk not in [row.pk for row in page.context["rows"]]


@pytest.mark.parametrize("branches", [3, 30])
def test_the_reconciliation_page_runs_constant_queries(
    manager_client, manager, django_assert_max_num_queries, branches
):
    for index in range(branches):
        issue(BranchFactory(manager=manager), index * 10, index * 10 + 9, manager.user)
    with django_assert_max_num_queries(2):
        response = manager_client.get(reverse("documents:reconciliation"))
    assert len(response.context["rows"]) == branches
