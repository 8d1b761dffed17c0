"""Who may see what: the single scoping rule applied to cases and everything under them."""

import pytest
from django.urls import reverse

from service import services
from service.models import Case, CaseEvent, SurrenderDetail
from tests.service.factories import CaseFactory


@pytest.fixture
def cases(branch, other_branch):
    mine = CaseFactory(branch=branch, kind="surrender", policy_number="P123456789")
    theirs = CaseFactory(branch=other_branch, kind="surrender", policy_number="P987654321")
    for case in (mine, theirs):
        services.record_surrender_details(case=case, user=case.created_by)
    return mine, theirs


@pytest.mark.parametrize("model", [Case, CaseEvent, SurrenderDetail])
def test_each_model_is_scoped_to_the_branch_manager_and_team(
    model, cases, manager, supervisor, superuser
):
    mine, theirs = cases

    def case_ids(user):
        rows = model.objects.for_user(user)
        return set(rows.values_list("pk" if model is Case else "case_id", flat=True))

    assert case_ids(manager.user) == {mine.pk}
    assert case_ids(supervisor) == {mine.pk}
    assert case_ids(superuser) == {mine.pk, theirs.pk}


def test_anonymous_visitors_are_sent_to_the_login_page(client, cases):
    mine, _theirs = cases
    urls = [
        reverse("service:list"),
        reverse("service:overdue"),
        reverse("service:branch", args=[mine.branch_id]),
        reverse("service:create", args=[mine.branch_id]),
        reverse("service:detail", args=[mine.pk]),
        reverse("service:surrender", args=[mine.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_supervisor_adds_notes_and_surrender_details_to_a_team_case(
    supervisor_client, supervisor, cases
):
    mine, _theirs = cases
    supervisor_client.post(reverse("service:note", args=[mine.pk]), {"text": "主管已关注"})
    assert mine.events.get(kind="note").actor == supervisor
    assert supervisor_client.get(reverse("service:surrender", args=[mine.pk])).status_code == 200


def test_a_supervisor_gets_404_on_another_teams_case(supervisor_client, cases):
    _mine, theirs = cases
    assert supervisor_client.get(reverse("service:detail", args=[theirs.pk])).status_code == 404
    response = supervisor_client.post(reverse("service:note", args=[theirs.pk]), {"text": "x"})
    assert response.status_code == 404
    assert not theirs.events.filter(kind="note").exists()
