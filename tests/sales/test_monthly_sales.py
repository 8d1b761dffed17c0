"""The monthly sales summary (sales.models.MonthlySales) the supervisor's dashboard reads:
after every write of policies it equals a recount of the policies."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from sales import services
from sales.models import MonthlySales, Policy
from tests.sales.factories import (
    PolicyFactory,
    assert_monthly_sales_in_step,
    monthly_sales_as_stored,
)
from tests.sales.test_import import csv_bytes, row

pytestmark = pytest.mark.django_db

OCT, NOV = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)


@pytest.fixture
def feed_ready(branch, teller, product, single_product):
    return branch


def test_an_import_counts_its_new_policies_by_branch_and_month_and_leaves_out_cancelled(
    feed_ready, product, single_product, other_branch
):
    services.import_policies(
        source=csv_bytes(
            row("P0001", premium="10000", signed="2026-10-31", effective="", received=""),
            row("P0002", premium="20000", signed="2026-11-01", effective="", received=""),
            row("P0003", premium="5000", signed="2026-11-30", effective="", received=""),
            row("P0004", premium="7000", signed="2026-11-02", status="撤单", changed="2026-11-05"),
            row("P0005", premium="3000", signed="2026-11-02", code="SH0002", staff=""),
        )
    )

    stored = assert_monthly_sales_in_step()
    assert stored[(feed_ready.pk, OCT)][:2] == (Decimal("10000"), 1)
    assert stored[(feed_ready.pk, NOV)][:2] == (Decimal("25000"), 2)  # not the 撤单
    assert stored[(other_branch.pk, NOV)][:2] == (Decimal("3000"), 1)


def test_a_later_feed_cancelling_or_restoring_a_policy_recounts_its_month(
    feed_ready, product, single_product
):
    first = [
        row("P0001", premium="10000", signed="2026-11-03"),
        row("P0002", premium="20000", signed="2026-10-03"),
    ]
    services.import_policies(source=csv_bytes(*first))
    services.import_policies(
        source=csv_bytes(
            row("P0001", premium="10000", signed="2026-11-03", status="撤单", changed="2026-11-10"),
            row("P0002", premium="20000", signed="2026-10-03", status="退保", changed="2026-11-10"),
        )
    )
    stored = assert_monthly_sales_in_step()
    assert (feed_ready.pk, NOV) not in stored  # nothing counted left in November
    assert stored[(feed_ready.pk, OCT)][:2] == (Decimal("20000"), 1)  # 退保 still a sale

    services.import_policies(source=csv_bytes(*first))  # back in force
    assert assert_monthly_sales_in_step()[(feed_ready.pk, NOV)][:2] == (Decimal("10000"), 1)


def test_cancelling_in_cooling_off_recounts_the_policys_month(branch):
    kept = PolicyFactory(branch=branch, signed_on=NOV, premium=Decimal("1000"))
    cancelled = PolicyFactory(branch=branch, signed_on=NOV, premium=Decimal("4000"))
    assert monthly_sales_as_stored()[(branch.pk, NOV)][:2] == (Decimal("5000"), 2)

    assert services.cancel_in_cooling_off(policy=cancelled, on=datetime.date(2026, 11, 8))

    stored = assert_monthly_sales_in_step()
    assert stored[(branch.pk, NOV)][:2] == (kept.premium, 1)


def test_deleting_policies_in_the_admin_recounts_their_months(branch, superuser, client):
    gone = PolicyFactory(branch=branch, signed_on=OCT, premium=Decimal("1000"))
    stays = PolicyFactory(branch=branch, signed_on=NOV, premium=Decimal("2000"))
    PolicyFactory(branch=branch, signed_on=NOV, premium=Decimal("3000"), number="PX1")
    client.force_login(superuser)

    response = client.post(reverse("admin:sales_policy_delete", args=[gone.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        reverse("admin:sales_policy_changelist"),
        {"action": "delete_selected", "_selected_action": [stays.pk], "post": "yes"},
    )
    assert response.status_code == 302

    assert list(Policy.objects.values_list("number", flat=True)) == ["PX1"]
    assert assert_monthly_sales_in_step() == {
        (branch.pk, NOV): (Decimal("3000"), 1, Decimal("1500.00"))
    }


def test_rebuild_recounts_a_summary_gone_wrong(branch, other_branch):
    for day, premium in ((OCT, "1000"), (NOV, "2000"), (NOV, "5")):
        PolicyFactory(branch=branch, signed_on=day, premium=Decimal(premium))
    PolicyFactory(branch=other_branch, signed_on=NOV, status=Policy.Status.CANCELLED)
    expected = assert_monthly_sales_in_step()
    MonthlySales.objects.filter(branch=branch, month=OCT).delete()
    MonthlySales.objects.filter(branch=branch, month=NOV).update(premium=Decimal("1"))
    MonthlySales.objects.create(
        branch=other_branch, month=NOV, premium=1, policies=1, standard_premium=1
    )

    assert services.rebuild_monthly_sales() == 2

    assert monthly_sales_as_stored() == expected


def test_the_command_recounts_the_summary(branch):
    import io

    from django.core.management import call_command

    PolicyFactory(branch=branch, signed_on=NOV, premium=Decimal("2000"))
    expected = assert_monthly_sales_in_step()
    MonthlySales.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_monthly_sales", stdout=out)
    assert out.getvalue().strip() == "1 branch months counted"
    assert monthly_sales_as_stored() == expected
