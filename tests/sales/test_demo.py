from django.core.management import call_command
from django.urls import reverse

from sales.models import Customer, Policy, Product
from sales.selectors import MONTH, manager_progress, window


def test_the_demo_has_products_targets_and_policies_showing_progress(client, db):
    call_command("seed_demo")
    assert Product.objects.count() >= 5
    assert Policy.objects.filter(status=Policy.Status.CANCELLED).exists()
    assert Customer.objects.exists()
    before = Policy.objects.count()

    call_command("seed_demo")  # idempotent

    assert Policy.objects.count() == before
    from accounts.models import AccountManager

    wang = AccountManager.objects.get(user__username="wang")
    month = window(MONTH)
    progress = manager_progress([wang.pk], [month])[(wang.pk, MONTH)]
    assert progress.premium_target > 0
    assert progress.premium_rate is not None
    client.force_login(wang.user)
    assert 'id="sales-month"' in client.get(reverse("home")).text
