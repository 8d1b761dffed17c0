"""branches.selectors.get_branch_for_user_with: the branch and a page's reads of it in one
prepared statement give what get_branch_for_user and the reads on their own give."""

import pytest
from django.http import Http404
from django.urls import reverse

from branches import selectors
from branches.forms import staff_met_choices
from branches.models import Branch
from tests.branches.factories import BranchFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_prepared_reads")]


def _reads(branch):
    return [staff_met_choices(branch), Branch.objects.filter(pk=branch).values("code")]


def _old(user, pk):
    """The reads as the page made them before: the branch, then each read of it."""
    try:
        branch = selectors.get_branch_for_user(user, pk)
    except Http404:
        return "404"
    return branch, [list(queryset) for queryset in _reads(branch.pk)]


def _new(user, pk):
    try:
        branch, *rows = selectors.get_branch_for_user_with(user, pk, "test", _reads)
    except Http404:
        return "404"
    return branch, rows


def _shown(answer):
    if answer == "404":
        return answer
    branch, (staff, codes) = answer
    return (
        (branch.pk, branch.bank.name, branch.manager.user.username),
        [(person.pk, person.name) for person in staff],
        codes,
    )


@pytest.mark.parametrize(
    "who", ["manager", "other_manager", "supervisor", "superuser", "city_head", "province_head"]
)
def test_each_role_reads_what_the_reads_on_their_own_read(request, who, org, branch, teller):
    BranchStaffFactory(branch=branch, name="王芳")
    BranchStaffFactory(branch=branch, name="已离职", is_active=False)
    other_branch = BranchFactory(manager=request.getfixturevalue("other_manager"))
    BranchStaffFactory(branch=other_branch, name="别家员工")
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    for pk in (branch.pk, other_branch.pk, other_branch.pk + 1000, 2**63):
        for _twice in range(2):  # prepared, then run again with the same statement
            user = type(user).objects.get(pk=user.pk)  # a new request's user
            assert _shown(_new(user, pk)) == _shown(_old(user, pk)), (who, pk)


def test_the_rows_know_their_branch(manager, branch, teller, django_assert_num_queries):
    found, staff, _codes = selectors.get_branch_for_user_with(
        manager.user, branch.pk, "test", _reads
    )
    with django_assert_num_queries(0):
        assert [person.branch for person in staff] == [found]


def test_the_visit_form_is_one_statement_after_the_session_and_the_user(
    manager_client, branch, teller, django_assert_max_num_queries
):
    manager_client.get(reverse("home"))  # the session as on a phone
    # 2 (issue 22; was 4): the session with the user, then the branch with its staff.
    with django_assert_max_num_queries(2):
        response = manager_client.get(reverse("branches:visit_create", args=[branch.pk]))
    assert response.status_code == 200
    assert "李娜" in response.text


def test_someone_elses_branch_answers_404_on_the_form(other_client, branch):
    response = other_client.get(reverse("branches:visit_create", args=[branch.pk]))
    assert response.status_code == 404
