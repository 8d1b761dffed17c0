"""Service cases linked to the register: pick a customer or policy, search, cooling-off."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sales.models import Policy
from service import services as service
from service.models import Case, Kind, Outcome
from tests.sales.factories import CustomerFactory, PolicyFactory
from tests.service.factories import CaseFactory


@pytest.fixture
def customer(branch):
    return CustomerFactory(branch=branch, name="王芳", phone="13912345678")


@pytest.fixture
def policy(branch, customer, product):
    policy = PolicyFactory(
        branch=branch,
        customer=customer,
        product=product,
        number="PL20261101",
        premium=Decimal("30000"),
        cooling_off_ends_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    customer.premium_in_force = Decimal("30000")
    customer.save()
    return policy


@pytest.fixture
def elsewhere(other_branch, product):
    return PolicyFactory(
        branch=other_branch,
        product=product,
        number="PL99990000",
        customer=CustomerFactory(branch=other_branch, name="赵六", phone="13700000000"),
    )


BASE = {"kind": Kind.HARD_QUESTION, "priority": "normal", "channel": "branch_counter"}


def test_the_case_form_offers_the_branchs_customers_and_policies_only(
    manager_client, branch, policy, elsewhere
):
    page = manager_client.get(reverse("service:create", args=[branch.pk])).text

    assert f'value="policy:{policy.pk}"' in page
    assert "王芳 · 139****5678" in page
    assert "13912345678" not in page  # masked in the picker
    assert "PL99990000" not in page and "赵六" not in page


def test_picking_a_policy_fills_the_case(manager_client, branch, policy):
    response = manager_client.post(
        reverse("service:create", args=[branch.pk]), {**BASE, "link": f"policy:{policy.pk}"}
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("service:detail", args=[case.pk])
    assert (case.customer_name, case.customer_mobile) == ("王芳", "13912345678")
    assert (case.policy_number, case.product) == ("PL20261101", policy.product.name)


def test_picking_a_customer_fills_name_and_phone(manager_client, branch, customer):
    manager_client.post(
        reverse("service:create", args=[branch.pk]), {**BASE, "link": f"customer:{customer.pk}"}
    )
    case = Case.objects.get()
    assert (case.customer_name, case.customer_mobile, case.policy_number) == (
        "王芳",
        "13912345678",
        "",
    )


def test_another_branchs_policy_cannot_be_picked(manager_client, branch, policy, elsewhere):
    response = manager_client.post(
        reverse("service:create", args=[branch.pk]), {**BASE, "link": f"policy:{elsewhere.pk}"}
    )
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_without_a_pick_name_and_mobile_are_still_required(manager_client, branch, policy):
    response = manager_client.post(reverse("service:create", args=[branch.pk]), BASE)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"customer_name", "customer_mobile"}
    assert not Case.objects.exists()


def test_search_by_customer_name_policy_number_and_phone_masks_the_phone(
    manager_client, branch, policy, other_branch
):
    CaseFactory(branch=branch, customer_name="王芳", customer_mobile="13912345678")
    # Filed under another name, but about her policy: her name finds it too.
    CaseFactory(branch=branch, customer_name="王芳的女儿", policy_number="PL20261101")
    CaseFactory(branch=branch, customer_name="李强", customer_mobile="13800000000")
    CaseFactory(branch=other_branch, customer_name="王芳", customer_mobile="13912345678")
    url = reverse("service:list")

    # Her phone finds the case about her policy too.
    for query, expected in (("王芳", 2), ("pl20261101", 1), ("13912345678", 2)):
        response = manager_client.get(url, {"q": query})
        names = [case.customer_name for case in response.context["page"]]
        assert len(names) == expected and "李强" not in names, query
        # The results (below the search box, which echoes what was typed) mask the phone.
        results = response.text.split('id="exports"')[1].split("<footer")[0]
        assert "13912345678" not in results and "****" in results


def test_search_covers_resolved_cases(manager_client, branch):
    CaseFactory(branch=branch, customer_name="王芳", status=Case.Status.CLOSED)
    page = manager_client.get(reverse("service:list"), {"q": "王芳"})
    assert len(page.context["page"]) == 1


def _cancellation(manager, branch, policy, outcome):
    case = service.open_case(
        branch=branch,
        user=manager.user,
        customer_name="王芳",
        customer_mobile="13912345678",
        kind=Kind.CANCELLATION,
        policy_number=policy.number,
        policy_received_on=timezone.localdate() - datetime.timedelta(days=2),
    )
    service.record_surrender_details(
        case=case,
        user=manager.user,
        procedure_explained=True,
        pros_and_cons_explained=True,
        outcome=outcome,
    )
    return service.transition(
        case=case, action_name="resolve", user=manager.user, resolution="撤单已办理"
    )


def test_resolving_a_cancellation_cancels_the_policy_and_the_policy_shows_its_case(
    manager_client, manager, branch, policy, customer
):
    case = _cancellation(manager, branch, policy, Outcome.CANCELLED)

    policy.refresh_from_db()
    customer.refresh_from_db()
    assert policy.status == Policy.Status.CANCELLED
    assert policy.status_changed_on == timezone.localdate()
    assert customer.premium_in_force == 0
    page = manager_client.get(reverse("sales:policy_detail", args=[policy.pk])).text
    assert f'data-case="{case.pk}"' in page
    page = manager_client.get(reverse("sales:customer_detail", args=[customer.pk])).text
    assert f'data-case="{case.pk}"' in page


def test_a_retained_customer_keeps_the_policy_in_force(manager, branch, policy):
    _cancellation(manager, branch, policy, Outcome.RETAINED)
    policy.refresh_from_db()
    assert policy.status == Policy.Status.IN_FORCE


def test_a_cancellation_at_another_branch_leaves_a_same_numbered_policy_alone(
    manager, branch, other_branch, product
):
    theirs = PolicyFactory(branch=other_branch, product=product, number="PL55550000")
    _cancellation(manager, branch, theirs, Outcome.CANCELLED)
    theirs.refresh_from_db()
    assert theirs.status == Policy.Status.IN_FORCE


def test_the_case_form_and_policy_page_keep_to_their_query_caps(
    manager_client, branch, policy, django_assert_max_num_queries
):
    CaseFactory(branch=branch, policy_number=policy.number)
    with django_assert_max_num_queries(4):
        assert manager_client.get(reverse("service:create", args=[branch.pk])).status_code == 200
    with django_assert_max_num_queries(3):
        url = reverse("sales:policy_detail", args=[policy.pk])
        assert manager_client.get(url).status_code == 200
