"""The intake chain shows "policy issued" once the feed brings the form's policy."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from documents import services as documents
from documents.models import IntakeForm
from sales.models import Policy
from sales.services import import_policies
from tests.documents.factories import item
from tests.sales.test_import import csv_bytes, row


@pytest.fixture
def batch(branch, teller, product, manager):
    documents.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=1000,
        last_number=1009,
        user=manager.user,
    )
    return documents.collect_forms(branch=branch, serials=["1005", "1006"], user=manager.user)


def _page(client, batch):
    response = client.get(reverse("documents:intake_batch", args=[batch.pk]))
    assert response.status_code == 200
    return response.text


def test_the_batch_page_shows_the_policy_issued_from_a_form(manager_client, batch):
    import_policies(source=csv_bytes(row("P20261105", serial="0001005", signed="2026-11-03")))
    policy = Policy.objects.get()
    assert policy.intake_form == IntakeForm.objects.get(serial_form__number=1005)

    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _page(manager_client, batch)

    assert page.count('data-note="policy_issued"') == 1
    assert "Policy issued" in page
    assert "P20261105 · 2026-11-03" in page
    assert reverse("sales:policy_detail", args=[policy.pk]) in page


def test_in_chinese_it_reads_policy_issued_in_chinese(manager_client, batch):
    import_policies(source=csv_bytes(row("P20261105", serial="1005")))
    page = _page(manager_client, batch)  # Simplified Chinese is the default
    assert "已出单" in page and "Policy issued" not in page


def test_a_form_without_a_policy_shows_no_note(manager_client, batch):
    assert 'data-note="policy_issued"' not in _page(manager_client, batch)


def test_the_policy_page_links_back_to_the_form_and_is_scoped(
    client, manager, other_manager, batch
):
    import_policies(source=csv_bytes(row("P20261105", serial="1005")))
    policy = Policy.objects.get()
    url = reverse("sales:policy_detail", args=[policy.pk])

    client.force_login(manager.user)
    page = client.get(url).text
    assert reverse("documents:intake_batch", args=[batch.pk]) in page
    assert "P20261105" in page
    assert policy.customer.id_number not in page  # masked here; full only on the customer page
    client.force_login(other_manager.user)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("policies", [1, 2])
def test_the_batch_page_runs_a_constant_number_of_queries(
    manager_client, batch, django_assert_max_num_queries, policies
):
    rows = [row(f"P2026110{n}", serial=str(1005 + n), name=f"客户{n}") for n in range(policies)]
    import_policies(source=csv_bytes(*rows))
    assert Policy.objects.filter(intake_form__isnull=False).count() == policies
    with django_assert_max_num_queries(6):
        page = _page(manager_client, batch)
    assert page.count('data-note="policy_issued"') == policies


def test_the_date_shown_is_the_signing_date(manager_client, batch):
    import_policies(source=csv_bytes(row("P1", serial="1006", signed="2026-10-30")))
    assert Policy.objects.get().signed_on == datetime.date(2026, 10, 30)
    assert "P1 · 2026-10-30" in _page(manager_client, batch)
