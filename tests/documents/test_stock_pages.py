import re

import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Visit
from documents.models import BranchStock, StockMovement
from tests.branches.factories import BranchFactory
from tests.documents.factories import item, stock_at

pytestmark = pytest.mark.django_db


def delivery_post(lines, **extra):
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "30",
        "note": "",
    }
    for index, (code, quantity) in enumerate(lines):
        data[f"lines-{index}-item"] = str(item(code).pk)
        data[f"lines-{index}-quantity"] = str(quantity)
    data.update(extra)
    return data


def test_the_branch_page_shows_the_stock_panel(manager_client, branch, manager):
    stock_at(branch, "brochure", 3, manager.user)
    page = manager_client.get(reverse("branches:detail", args=[branch.pk])).content.decode()
    assert 'id="stock-panel"' in page
    assert reverse("documents:delivery", args=[branch.pk]) in page
    assert "宣传彩页" in page


def test_it_records_a_multi_item_delivery_and_a_visit(manager_client, branch):
    response = manager_client.post(
        reverse("documents:delivery", args=[branch.pk]),
        delivery_post(
            [("application_form", 100), ("brochure", 30), ("poster", "")], also_log_visit="on"
        ),
    )
    assert response.status_code == 302
    stock = dict(BranchStock.objects.filter(branch=branch).values_list("item__code", "on_hand"))
    assert stock == {"application_form": 100, "brochure": 30}
    visit = Visit.objects.get(branch=branch)
    assert visit.purposes == ["delivery"]
    assert set(StockMovement.objects.values_list("visit", flat=True)) == {visit.pk}
    timeline = manager_client.get(reverse("branches:detail", args=[branch.pk])).content.decode()
    assert "投保单 100份" in timeline


def test_a_delivery_with_bad_input_saves_nothing(manager_client, branch):
    response = manager_client.post(
        reverse("documents:delivery", args=[branch.pk]),
        delivery_post([("application_form", 100), ("brochure", -3)], also_log_visit="on"),
    )
    assert response.status_code == 200
    assert response.context["formset"].errors[1]["quantity"]
    assert not StockMovement.objects.exists() and not Visit.objects.exists()


def test_an_empty_delivery_is_refused(manager_client, branch):
    response = manager_client.post(
        reverse("documents:delivery", args=[branch.pk]), delivery_post([("brochure", "")])
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not StockMovement.objects.exists()


def test_another_manager_cannot_deliver_to_my_branch(other_client, branch):
    assert other_client.get(reverse("documents:delivery", args=[branch.pk])).status_code == 404
    response = other_client.post(
        reverse("documents:delivery", args=[branch.pk]), delivery_post([("brochure", 5)])
    )
    assert response.status_code == 404
    assert not StockMovement.objects.exists()


def test_the_supervisor_can_record_a_delivery_for_the_team(supervisor_client, branch):
    response = supervisor_client.post(
        reverse("documents:delivery", args=[branch.pk]),
        delivery_post([("brochure", 5)], also_log_visit="on"),
    )
    assert response.status_code == 302
    assert Visit.objects.get().manager == branch.manager


def test_it_records_a_count(manager_client, branch, manager):
    stock = stock_at(branch, "brochure", 30, manager.user)
    response = manager_client.post(reverse("documents:count", args=[stock.pk]), {"counted": 27})
    assert response.status_code == 302
    stock.refresh_from_db()
    assert stock.on_hand == 27
    history = manager_client.get(reverse("documents:movements", args=[stock.pk])).text
    assert f"上次盘点 {timezone.localdate():%Y-%m-%d}" in history
    assert "-3" in history


def test_a_negative_count_is_refused(manager_client, branch, manager):
    stock = stock_at(branch, "brochure", 30, manager.user)
    response = manager_client.post(reverse("documents:count", args=[stock.pk]), {"counted": -1})
    assert response.status_code == 200 and response.context["form"].errors["counted"]
    assert stock.movements.count() == 1


def test_count_and_history_are_private(other_client, branch, manager):
    stock = stock_at(branch, "brochure", 30, manager.user)
    assert other_client.get(reverse("documents:count", args=[stock.pk])).status_code == 404
    assert other_client.get(reverse("documents:movements", args=[stock.pk])).status_code == 404


def test_the_history_lists_movements(supervisor_client, branch, manager):
    stock = stock_at(branch, "brochure", 30, manager.user)
    page = supervisor_client.get(reverse("documents:movements", args=[stock.pk]))
    assert page.status_code == 200
    assert list(page.context["page"]) == list(stock.movements.all())


def test_usage_beyond_stock_shows_the_reason(manager_client, branch, manager):
    stock = stock_at(branch, "brochure", 3, manager.user)
    response = manager_client.post(
        reverse("documents:movements", args=[stock.pk]), {"kind": "usage", "quantity": 9}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    stock.refresh_from_db()
    assert stock.on_hand == 3


def test_it_records_usage(manager_client, branch, manager):
    stock = stock_at(branch, "brochure", 3, manager.user)
    response = manager_client.post(
        reverse("documents:movements", args=[stock.pk]), {"kind": "usage", "quantity": 2}
    )
    assert response.status_code == 302
    stock.refresh_from_db()
    assert stock.on_hand == 1


def test_the_overview_filters_by_state(manager_client, manager, other_manager):
    branch = BranchFactory(manager=manager)
    stock_at(branch, "brochure", 500, manager.user)
    low = stock_at(branch, "summary_sheet", 3, manager.user)
    stock_at(BranchFactory(manager=other_manager), "summary_sheet", 3, manager.user)
    everything = manager_client.get(reverse("documents:overview"))
    assert len(everything.context["page"]) == 2
    only_low = manager_client.get(reverse("documents:overview"), {"state": "low"})
    assert [row.pk for row in only_low.context["page"]] == [low.pk]


def test_the_supervisor_sees_the_team_in_the_overview(supervisor_client, branch, manager):
    stock_at(branch, "brochure", 5, manager.user)
    assert len(supervisor_client.get(reverse("documents:overview")).context["page"]) == 1


def test_another_manager_sees_none_of_my_stock(other_client, branch, manager):
    stock_at(branch, "brochure", 5, manager.user)
    assert len(other_client.get(reverse("documents:overview")).context["page"]) == 0


@pytest.mark.parametrize("branches", [3, 30])
def test_the_overview_runs_constant_queries(
    manager_client, manager, django_assert_max_num_queries, branches
):
    for _ in range(branches):
        stock_at(BranchFactory(manager=manager), "brochure", 5, manager.user)
    with django_assert_max_num_queries(3):
        response = manager_client.get(reverse("documents:overview"))
    assert len(response.context["page"]) == branches


@pytest.mark.parametrize("items", [2, 6])
def test_the_branch_panel_runs_constant_queries(
    manager_client, branch, manager, django_assert_max_num_queries, items
):
    codes = [
        "brochure",
        "summary_sheet",
        "poster",
        "application_form",
        "promotional_material",
        "display_board",
    ][:items]
    for code in codes:
        stock_at(branch, code, 5, manager.user)
    # The whole branch page, with every app's panels and timeline providers, in one
    # statement (tests/branches/test_branch_detail.py).
    with django_assert_max_num_queries(3):
        manager_client.get(reverse("branches:detail", args=[branch.pk]))


def test_a_delivery_of_an_unknown_item_is_refused(manager_client, branch):
    data = delivery_post([("brochure", 5)])
    data["lines-0-item"] = "99999"
    response = manager_client.post(reverse("documents:delivery", args=[branch.pk]), data)
    assert response.status_code == 200 and response.context["formset"].errors[0]["item"]
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize("catalogue_rows", [0, 1])
def test_the_delivery_page_reads_the_catalogue_once(
    manager_client, branch, django_assert_max_num_queries, catalogue_rows
):
    from documents.models import StockItem

    for index in range(catalogue_rows * 10):
        StockItem.objects.create(
            code=f"extra{index}", name=f"资料{index}", unit="份", default_threshold=1
        )
    # The catalogue and the branch's on-hand figures: one query each, whatever their size.
    with django_assert_max_num_queries(2):
        manager_client.get(reverse("documents:delivery", args=[branch.pk]))


def test_the_timeline_names_people_family_name_first(manager, branch):
    from branches.timeline import timeline_for
    from documents import services

    manager.user.first_name, manager.user.last_name = "芳", "王"
    manager.user.save()
    services.record_delivery(branch=branch, lines=[(item("brochure"), 10)], user=manager.user)
    services.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=1,
        last_number=5,
        user=manager.user,
    )
    services.collect_forms(branch=branch, serials=["1"], user=manager.user)

    actors = {entry.kind: entry.actor for entry in timeline_for(branch)}
    assert actors["delivery"] == actors["intake"] == "王芳"


def test_the_movement_history_names_who_recorded_it(manager_client, manager, branch):
    manager.user.first_name, manager.user.last_name = "芳", "王"
    manager.user.save()
    stock = stock_at(branch, "brochure", 3, manager.user)
    text = manager_client.get(reverse("documents:movements", args=[stock.pk])).text
    assert re.search(r"\d\d:\d\d · 王芳", text)


def test_the_delivery_page_names_each_item_and_what_the_branch_holds(
    manager_client, branch, manager
):
    stock_at(branch, "brochure", 12, manager.user)
    response = manager_client.get(reverse("documents:delivery", args=[branch.pk]))
    text = response.text
    brochure = response.context["formset"].forms[
        [line.item_object.code for line in response.context["formset"]].index("brochure")
    ]
    assert f'<label class="fw-semibold" for="{brochure["quantity"].id_for_label}">' in text
    assert "12 份" in text
    # The item is fixed per line, not a drop-down truncating the names on a phone.
    assert '<input type="hidden" name="lines-0-item"' in text


def test_delivering_posters_to_a_branch_that_forbids_them_warns(manager_client, branch):
    branch.allows_posters = False
    branch.save()
    url = reverse("documents:delivery", args=[branch.pk])
    page = manager_client.get(url).content.decode()
    assert 'id="poster-warning"' in page  # before saving, on the poster line

    response = manager_client.post(url, delivery_post([("poster", 5)]), follow=True)
    assert response.redirect_chain[-1] == (reverse("branches:detail", args=[branch.pk]), 302)
    messages = [str(m) for m in response.context["messages"]]
    assert any("不允许张贴海报" in m for m in messages), messages


def test_a_branch_allowing_posters_gets_no_poster_warning(manager_client, branch):
    branch.allows_posters = True
    branch.save()
    url = reverse("documents:delivery", args=[branch.pk])
    assert 'id="poster-warning"' not in manager_client.get(url).content.decode()
    response = manager_client.post(url, delivery_post([("poster", 5)]), follow=True)
    assert not any("海报" in str(m) for m in response.context["messages"])


def test_the_branch_page_shows_stock_and_deliveries_in_four_queries(
    manager_client, branch, manager, django_assert_max_num_queries
):
    """The stock panel reads its rows through branch.stock with the item only, the delivery
    entries only the columns they show (.only()): in both languages each row's item, unit,
    count and the recorder's name come without a query of their own."""
    manager.user.first_name, manager.user.last_name = "芳", "王"
    manager.user.save()
    codes = ["brochure", "summary_sheet", "poster"]
    for code in codes:
        stock_at(branch, code, 5, manager.user)
    url = reverse("branches:detail", args=[branch.pk])
    with django_assert_max_num_queries(3):
        page = manager_client.get(url).text
    for code in codes:
        stock = BranchStock.objects.select_related("item").get(branch=branch, item__code=code)
        assert stock.item.name in page
        assert f"{stock.item.name} 5{stock.item.unit}" in page  # the delivery entry
        assert reverse("documents:movements", args=[stock.pk]) in page
    assert page.count("王芳") >= 3
    manager_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    with django_assert_max_num_queries(3):
        page = manager_client.get(url).text
    for code in codes:
        stock_item = item(code)
        name, unit = stock_item.name_en or stock_item.name, stock_item.unit_en or stock_item.unit
        assert f"{name} 5 {unit}" in page
