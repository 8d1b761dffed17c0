"""The customer register's download: the page's search and tab, the user's scope, masked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.project.export_reading import column, read_rows
from tests.sales.factories import CustomerFactory, PolicyFactory, id_number

FULL_ID = id_number("11010519900307123")


@pytest.fixture
def customers(branch, other_branch, settings):
    settings.SALES_LARGE_CUSTOMER_PREMIUM = Decimal("200000")
    big = CustomerFactory(
        branch=branch,
        name="王芳",
        id_number=FULL_ID,
        phone="13912345678",
        premium_in_force=Decimal("250000"),
    )
    PolicyFactory(branch=branch, customer=big, number="PL20261101")
    CustomerFactory(branch=branch, name="李强", phone="13700000000", premium_in_force=1000)
    CustomerFactory(branch=other_branch, name="赵六")
    return big


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_lists_my_customers_with_id_numbers_and_phones_masked(manager_client, customers, fmt):
    response = manager_client.get(reverse(f"sales:customer_export_{fmt}"))
    assert response.streaming
    rows = read_rows(response)
    assert sorted(column(rows, "姓名")) == ["李强", "王芳"]
    assert "110105********" + FULL_ID[-4:] in column(rows, "证件号码")
    assert sorted(column(rows, "电话")) == ["137****0000", "139****5678"]


def test_a_supervisor_gets_masked_phones_too(supervisor_client, customers):
    rows = read_rows(supervisor_client.get(reverse("sales:customer_export_csv")))
    assert "13912345678" not in str(rows) and FULL_ID not in str(rows)
    assert "139****5678" in column(rows, "电话")


def test_it_keeps_the_pages_search_and_large_tab(manager_client, customers):
    url = reverse("sales:customer_export_csv")
    assert column(read_rows(manager_client.get(url, {"q": "PL20261101"})), "姓名") == ["王芳"]
    assert column(read_rows(manager_client.get(url, {"large": "1"})), "姓名") == ["王芳"]


def test_the_list_page_links_to_the_export(manager_client, customers):
    page = manager_client.get(reverse("sales:customer_list"), {"large": "1"}).text
    assert reverse("sales:customer_export_xlsx") + "?q=&amp;large=1" in page


def test_a_bad_format_is_404(manager_client, customers):
    assert manager_client.get("/sales/customers/export.pdf").status_code == 404
