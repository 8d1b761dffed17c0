"""The delivery form's reads in one prepared statement (issue 22): the same lines, items and
stock on hand as the page read them one by one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents import selectors
from documents.models import BranchStock, StockItem
from documents.submissions import delivery_forms
from tests.branches.factories import BranchFactory, VisitFactory
from tests.documents.factories import stock_at
from tests.offline.test_sync import delivery_fields

pytestmark = pytest.mark.django_db


def _lines(formset):
    return [(line.item_object.pk, line.current_on_hand) for line in formset]


def test_the_branch_stock_without_its_ordering_is_the_same(manager, branch, other_branch):
    for code, quantity in (("brochure", 5), ("poster", 2), ("summary_sheet", 7)):
        stock_at(branch, code, quantity, manager.user)
    stock_at(other_branch, "brochure", 9, other_branch.manager.user)
    ordered = BranchStock.objects.filter(branch=branch).values_list("item_id", "on_hand")
    assert dict(selectors.on_hand_query(branch.pk)) == dict(ordered)


@pytest.mark.parametrize("who", ["manager_client", "supervisor_client", "admin_client"])
def test_the_page_lists_what_the_reads_on_their_own_list(
    request, who, manager, branch, other_branch, django_assert_max_num_queries
):
    client = request.getfixturevalue(who)
    stock_at(branch, "brochure", 5, manager.user)
    stock_at(branch, "poster", 3, manager.user)
    stock_at(other_branch, "brochure", 9, other_branch.manager.user)
    url = reverse("documents:delivery", args=[branch.pk])
    client.get(url)  # the session, as on a phone
    # 2 (issue 22; was 5): the session with the user, then the branch with the catalogue and
    # its stock.
    with django_assert_max_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200
    _form, formset = delivery_forms(branch)
    assert _lines(response.context["formset"]) == _lines(formset)
    assert dict(_lines(formset))[_item_pk("brochure")] == 5


def _item_pk(code):
    return StockItem.objects.get(code=code).pk


def test_another_managers_branch_answers_404(other_client, branch):
    assert other_client.get(reverse("documents:delivery", args=[branch.pk])).status_code == 404


def test_a_branch_of_a_city_is_read_for_its_head(client, city_head, manager, org):
    branch = BranchFactory(manager=manager)
    stock_at(branch, "brochure", 4, manager.user)
    client.force_login(city_head)
    response = client.get(reverse("documents:delivery", args=[branch.pk]))
    assert response.status_code == 200
    assert _lines(response.context["formset"]) == _lines(delivery_forms(branch)[1])


@pytest.mark.parametrize("more", [0, 20])
@pytest.mark.parametrize("also_log_visit, statements", [("on", 13), ("", 7)])
def test_posting_a_delivery_costs_the_same_statements_whatever_the_data(
    manager_client, manager, branch, more, also_log_visit, statements
):
    """The session, the branch with the catalogue and stock, then per line the locked row,
    its update and its ledger entry, in one transaction (BEGIN and COMMIT counted, as Django
    counts them on PostgreSQL); with its visit, the visit's own writes (issue 22: 19 and 12
    before the reads were batched and the nested savepoints went)."""
    stock_at(branch, "application_form", 10, manager.user)
    for index in range(more):
        VisitFactory(branch=branch, manager=manager)
        stock_at(BranchFactory(manager=manager), "brochure", index + 1, manager.user)
    data = dict(delivery_fields("5"))
    data["also_log_visit"] = also_log_visit
    url = reverse("documents:delivery", args=[branch.pk])
    manager_client.get(url)  # the session, as on a phone

    with CaptureQueriesContext(connection) as queries:
        response = manager_client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("branches:detail", args=[branch.pk])
    assert len(queries) == statements
    assert BranchStock.objects.get(branch=branch, item__code="application_form").on_hand == 15
