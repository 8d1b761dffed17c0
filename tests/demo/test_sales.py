"""The sales part of the demo: products, targets and policies that show progress."""

import pytest
from django.urls import reverse

from accounts.models import AccountManager
from sales.models import Customer, Policy, Product
from sales.selectors import MONTH, manager_progress, window

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]


def test_the_demo_has_products_targets_and_policies_showing_progress(demo, client):
    assert Product.objects.count() >= 5
    assert Policy.objects.filter(status=Policy.Status.CANCELLED).exists()
    assert Customer.objects.exists()
    wang = AccountManager.objects.get(user__username="wang")
    month = window(MONTH)
    progress = manager_progress([wang.pk], [month])[(wang.pk, MONTH)]
    assert progress.premium_target > 0
    assert progress.premium_rate is not None
    client.force_login(wang.user)
    assert 'id="sales-month"' in client.get(reverse("home")).text


def test_the_demos_monthly_sales_summary_equals_a_recount_of_its_policies(demo):
    from tests.sales.factories import assert_monthly_sales_in_step

    assert assert_monthly_sales_in_step()
