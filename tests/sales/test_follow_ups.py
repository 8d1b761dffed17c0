"""Customers due a follow-up appear beside the visit planner, with their branch."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from desk.planner import plan_visits
from sales import services
from tests.sales.factories import CustomerFactory


def test_the_planner_lists_customers_due_a_contact_with_their_branch(
    manager_client, manager, branch, other_branch, settings
):
    today = timezone.localdate()
    settings.SALES_LARGE_CUSTOMER_PREMIUM = Decimal("200000")
    overdue = CustomerFactory(
        branch=branch,
        name="王芳",
        premium_in_force=Decimal("500000"),
        next_contact_due=today - datetime.timedelta(days=2),
    )
    soon = CustomerFactory(
        branch=branch, name="李强", next_contact_due=today + datetime.timedelta(days=3)
    )
    CustomerFactory(branch=branch, name="张伟", next_contact_due=today + datetime.timedelta(30))
    CustomerFactory(branch=branch, name="无计划")
    CustomerFactory(branch=other_branch, name="赵六", next_contact_due=today)

    assert plan_visits(manager.user).follow_ups == [overdue, soon]
    page = manager_client.get(reverse("home")).text
    section = page.split('id="follow-ups"')[1].split("</ul>")[0]
    assert "王芳" in section and "李强" in section and branch.name in section
    assert "张伟" not in section and "赵六" not in section
    assert reverse("sales:customer_detail", args=[overdue.pk]) in section
    assert section.count("bd-badge-brand") == 1  # only 王芳 is a large customer


def test_recording_a_follow_up_moves_the_customer_off_the_list(manager, branch):
    today = timezone.localdate()
    customer = CustomerFactory(branch=branch, next_contact_due=today)
    services.record_customer_contact(
        customer=customer,
        manager=manager,
        summary="电话回访，续期提醒",
        next_contact_due=today + datetime.timedelta(days=90),
    )
    assert plan_visits(manager.user).follow_ups == []
