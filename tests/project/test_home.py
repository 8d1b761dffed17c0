"""The manager's home: today's checklist, the planner, birthdays, stock and cases."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from branches.models import Branch
from duties.models import ChecklistItem
from tests.branches.factories import BranchFactory
from tests.documents.factories import stock_at
from tests.duties.factories import ChecklistTemplateFactory, task
from tests.service.factories import CaseFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db


def _busy_branch(manager, name):
    branch = BranchFactory(manager=manager, name=name, tier=Branch.Tier.A)
    stock_at(branch, "poster", 1, manager.user)  # at or below the threshold: low
    CaseFactory(branch=branch, customer_name=f"{name}的客户")
    today = timezone.localdate() + datetime.timedelta(days=1)
    BranchStaffFactory(
        branch=branch, name=f"{name}主任", birth_month=today.month, birth_day=today.day
    )
    return branch


def test_it_shows_my_day(manager_client, manager, other_manager):
    _busy_branch(manager, "人民路支行")
    _busy_branch(other_manager, "别人的支行")
    page = manager_client.get(reverse("home")).text
    assert "人民路支行" in page
    assert "从未拜访" in page  # the planner says why
    assert "人民路支行主任" in page  # birthdays this week
    assert "人民路支行的客户" in page  # open cases
    assert "海报" in page  # low stock
    assert "别人的支行" not in page
    branch = Branch.objects.get(name="人民路支行")
    for url in (
        reverse("branches:visit_create", args=[branch.pk]),
        reverse("documents:delivery", args=[branch.pk]),
        reverse("service:create", args=[branch.pk]),
    ):
        assert url in page


def test_it_generates_todays_checklist_once(manager_client, manager):
    ChecklistTemplateFactory(task=task("daily-log"))
    manager_client.get(reverse("home"))
    manager_client.get(reverse("home"))
    assert ChecklistItem.objects.filter(manager=manager).count() == 1
    page = manager_client.get(reverse("home")).text
    assert 'id="checklist"' in page
    assert "已完成 0 / 1" in page


def test_a_supervisor_is_offered_the_dashboard(supervisor_client, manager):
    _busy_branch(manager, "人民路支行")
    page = supervisor_client.get(reverse("home")).text
    assert reverse("desk:dashboard") in page
    assert 'id="dashboard-offer"' in page
    assert "人民路支行" in page  # the team's branches in the planner
    assert 'id="checklist"' not in page  # no checklist of their own


def test_a_manager_is_not_offered_the_dashboard(manager_client):
    assert 'id="dashboard-offer"' not in manager_client.get(reverse("home")).text


@pytest.mark.parametrize("size", [3, 30])
def test_the_home_page_runs_a_constant_number_of_queries(
    manager_client, manager, django_assert_max_num_queries, size
):
    for index in range(size):
        _busy_branch(manager, f"网点{index}")
    manager_client.get(reverse("home"))  # the first visit generates the checklist
    # 3 (issue 22): the session with the user and their roles; every read of the page in
    # one prepared statement (the planner's branches, birthdays, follow-ups and stock
    # candidates, the cases, returned forms, handovers, work log, checklist and the month's
    # sales and targets: desk.home.home_reads); and the stock rows' usage from the ledger,
    # read while the nightly usage refresh has not run, as here.
    with django_assert_max_num_queries(3):
        response = manager_client.get(reverse("home"))
    assert response.status_code == 200


def test_a_user_without_a_role_sees_an_empty_day(client, manager):
    from tests.grading.factories import UserFactory

    _busy_branch(manager, "人民路支行")
    client.force_login(UserFactory())
    page = client.get(reverse("home")).text
    assert "人民路支行" not in page
    assert 'id="dashboard-offer"' not in page


def test_a_manager_without_branches_is_told_what_happens_next(manager_client, manager):
    page = manager_client.get(reverse("home")).content.decode()
    assert 'id="no-branches"' in page
    assert "您名下还没有网点" in page
    assert "周敏" in page  # who assigns them


@pytest.mark.parametrize("size", [3, 12])
def test_the_supervisors_home_names_each_branchs_manager_in_constant_queries(
    supervisor_client, manager, django_assert_max_num_queries, size
):
    """The planner reads only the columns the page shows: no query per row for a
    column it left out (the manager's name, the bank's short name, the tier)."""
    from branches.models import Bank
    from core.names import full_name

    bank = Bank.objects.create(name="中国农业银行", short_name="农行")
    for index in range(size):
        _busy_branch(manager, f"网点{index}")
    Branch.objects.filter(manager=manager).update(bank=bank)
    supervisor_client.get(reverse("home"))
    with django_assert_max_num_queries(3):  # as the manager's home, above
        page = supervisor_client.get(reverse("home")).text
    assert page.count(full_name(manager.user)) >= min(size, 8)
    assert "农行 网点0" in page or "农行 网点1" in page
    with translation.override("zh-hans"):
        tier = str(Branch.Tier.A.label)
    assert f'<span class="bd-badge bd-badge-neutral">{tier}</span>' in page


@pytest.mark.parametrize("ticked", [0, 3, 9])
def test_the_checklist_card_from_the_open_items_and_flags_is_the_card_from_every_item(
    manager, ticked
):
    """The home reads the first open items with their task and every item's done flag
    (desk.home.checklist_queries): the same card as from every item read, with more items
    open than shown, some, or none."""
    from core.batch import fetch_together
    from desk.home import checklist_queries, checklist_today
    from desk.planner import plan_visits

    ChecklistTemplateFactory(task=task("daily-log"))
    ChecklistTemplateFactory(task=task("visit-branch"), per_branch=True)
    for number in range(8):
        BranchFactory(manager=manager, name=f"{number}号支行", tier=Branch.Tier.A)
    today = timezone.localdate()
    checklist_today(manager, today)  # generate the day's items (nine)
    items = ChecklistItem.objects.filter(manager=manager).order_by("pk")
    items.filter(pk__in=list(items.values_list("pk", flat=True)[:ticked])).update(done=True)
    branches = [row.branch for row in plan_visits(manager.user, today).rows]

    def view(checklist):
        rows = [
            (item.pk, item.task.label, item.branch and f"{item.branch.bank} {item.branch.name}")
            for item in checklist["items"]
        ]
        return rows, [checklist[key] for key in ("open_count", "done", "total", "percent")]

    read = fetch_together(checklist_queries(manager.pk, today))
    card = view(checklist_today(manager, today, branches, read))
    assert card == view(checklist_today(manager, today))
    assert card[1][2] == 9 and card[1][1] == ticked


def test_the_checklist_card_gives_the_same_items_from_the_planners_branches(manager):
    """The home's checklist takes each item's branch from the planner (one read for a
    branch the planner does not have): the same items, tasks and branches as read alone."""
    from desk.home import checklist_today
    from desk.planner import plan_visits

    ChecklistTemplateFactory(task=task("daily-log"))
    ChecklistTemplateFactory(task=task("visit-branch"), per_branch=True)
    first, second = _busy_branch(manager, "一号支行"), _busy_branch(manager, "二号支行")
    today = timezone.localdate()
    checklist_today(manager, today)  # generate the day's items (one per branch)
    Branch.objects.filter(pk=second.pk).update(is_active=False)  # not in the planner now
    branches = [row.branch for row in plan_visits(manager.user, today).rows]
    assert [b.pk for b in branches] == [first.pk]

    def view(checklist):
        rows = [
            (item.pk, item.task.label, item.branch and f"{item.branch.bank} {item.branch.name}")
            for item in checklist["items"]
        ]
        return rows, checklist["open_count"], checklist["done"], checklist["total"]

    told = view(checklist_today(manager, today, branches))
    assert told == view(checklist_today(manager, today))
    assert any(row[2] for row in told[0])


def _lists(branch, manager, numbers):
    """One of each list the home shows beside the planner per number: an open case, staff
    with a birthday, a customer to follow up, a form the review returned."""
    from documents import services as documents
    from documents.models import IntakeForm
    from tests.documents.factories import GOOD_REVIEW, item
    from tests.sales.factories import CustomerFactory

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for number in numbers:
        CaseFactory(branch=branch, customer_name=f"投诉客户{number}")
        BranchStaffFactory(
            branch=branch, name=f"柜员{number}", birth_month=tomorrow.month, birth_day=tomorrow.day
        )
        CustomerFactory(branch=branch, name=f"回访客户{number}", next_contact_due=tomorrow)
    documents.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=numbers[0],
        last_number=numbers[-1],
        user=manager.user,
    )
    documents.collect_forms(branch=branch, serials=[str(n) for n in numbers], user=manager.user)
    for form in IntakeForm.objects.filter(serial_form__number__in=numbers):
        documents.review_form(
            intake_form=form, user=manager.user, **{**GOOD_REVIEW, "signatures_present": False}
        )


@pytest.mark.parametrize("client_of", ["manager_client", "supervisor_client"])
def test_the_lists_read_every_column_they_show(
    request, client_of, manager, django_assert_num_queries
):
    """The home reads only the columns its lists show (desk.home.CASE_FIELDS and the
    others): a column left out would be read on the page, a query per row."""
    client = request.getfixturevalue(client_of)
    branch = _busy_branch(manager, "列表支行")
    _lists(branch, manager, [1])
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    queries = len(one)  # now: the next request empties the connection's log
    _lists(branch, manager, [2, 3, 4, 5])
    client.get(reverse("home"))
    with django_assert_num_queries(queries):
        page = client.get(reverse("home")).text
    for shown in ("投诉客户5", "柜员5", "回访客户5", "0000001", "0000003"):
        assert shown in page
