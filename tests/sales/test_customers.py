"""The customer register: scoped to the branch's manager, masked in lists, full ID logged."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sales.models import IdNumberView
from tests.sales.factories import CustomerFactory, PolicyFactory, id_number

FULL_ID = id_number("11010519900307123")


@pytest.fixture
def customer(branch):
    customer = CustomerFactory(
        branch=branch,
        name="王芳",
        id_number=FULL_ID,
        phone="13912345678",
        premium_in_force=Decimal("250000"),
    )
    PolicyFactory(branch=branch, customer=customer, number="PL20261101")
    return customer


def test_the_list_shows_masked_id_numbers_and_phones(manager_client, customer):
    page = manager_client.get(reverse("sales:customer_list")).text

    assert "王芳" in page
    assert "110105********" + FULL_ID[-4:] in page
    assert "139****5678" in page
    assert FULL_ID not in page
    assert "13912345678" not in page


def test_search_by_name_policy_number_and_phone(manager_client, customer, branch):
    CustomerFactory(branch=branch, name="李强", phone="13700000000")
    url = reverse("sales:customer_list")
    for query in ("王", "PL20261101", "13912345678"):
        page = manager_client.get(url, {"q": query}).text
        assert "王芳" in page and "李强" not in page, query


def test_large_customers_are_those_over_the_configured_amount(
    manager_client, customer, branch, settings
):
    CustomerFactory(branch=branch, name="李强", premium_in_force=Decimal("1000"))
    settings.SALES_LARGE_CUSTOMER_PREMIUM = Decimal("200000")

    page = manager_client.get(reverse("sales:customer_list"), {"large": "1"}).text

    assert "王芳" in page and "李强" not in page


def test_another_managers_customers_are_invisible_and_404(other_client, customer):
    assert "王芳" not in other_client.get(reverse("sales:customer_list")).text
    response = other_client.get(reverse("sales:customer_detail", args=[customer.pk]))
    assert response.status_code == 404
    assert not IdNumberView.objects.exists()


def test_the_detail_page_shows_the_full_id_and_logs_each_view(manager_client, manager, customer):
    url = reverse("sales:customer_detail", args=[customer.pk])

    first = manager_client.get(url)
    manager_client.get(url)

    assert first.status_code == 200
    assert FULL_ID in first.text
    views = IdNumberView.objects.filter(customer=customer)
    assert views.count() == 2
    assert {view.viewed_by for view in views} == {manager.user}


def test_the_supervisor_sees_the_teams_customers(supervisor_client, customer):
    assert "王芳" in supervisor_client.get(reverse("sales:customer_list")).text


def test_the_admin_lists_masked_values_and_is_scoped(
    client, customer, other_supervisor, supervisor
):
    client.force_login(supervisor)
    page = client.get(reverse("admin:sales_customer_changelist")).text
    assert "王芳" in page and FULL_ID not in page and "13912345678" not in page
    client.force_login(other_supervisor)
    assert "王芳" not in client.get(reverse("admin:sales_customer_changelist")).text
    # Outside the scope the admin knows no such policy: back to the admin index.
    response = client.get(reverse("admin:sales_policy_change", args=[customer.policies.get().pk]))
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_a_manager_records_a_follow_up_that_sets_the_next_contact(manager_client, customer, branch):
    import datetime

    due = datetime.date(2027, 1, 15)
    response = manager_client.post(
        reverse("sales:customer_contact", args=[customer.pk]),
        {"summary": "到期续保提醒", "next_contact_due": due.isoformat()},
    )

    assert response.status_code == 302
    assert response.url == reverse("sales:customer_detail", args=[customer.pk])
    customer.refresh_from_db()
    assert customer.next_contact_due == due
    assert "到期续保提醒" in manager_client.get(response.url).text
    # The follow-up is on the branch's timeline too.
    page = manager_client.get(reverse("branches:detail", args=[branch.pk])).text
    assert "到期续保提醒" in page


def test_another_manager_cannot_record_a_follow_up(other_client, customer):
    response = other_client.post(
        reverse("sales:customer_contact", args=[customer.pk]), {"summary": "x"}
    )
    assert response.status_code == 404
    assert not customer.contacts.exists()


def test_an_empty_follow_up_saves_nothing_and_says_why(manager_client, customer):
    response = manager_client.post(
        reverse("sales:customer_contact", args=[customer.pk]), {"summary": ""}, follow=True
    )
    assert "请填写沟通内容" in response.text
    assert not customer.contacts.exists()
