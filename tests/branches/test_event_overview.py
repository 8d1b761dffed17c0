"""The cross-branch view of open events: one bank-wide change reported at three branches is
one group; scoped to the supervisor's or head's branches; a constant number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import AbnormalEvent
from tests.branches.factories import AbnormalEventFactory, BankFactory, BranchFactory

URL = reverse("branches:event_overview")


def _event(branch, category="bank_policy", days_ago=1, **extra):
    return AbnormalEventFactory(
        branch=branch,
        category=category,
        occurred_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        **extra,
    )


def _groups(page):
    return [
        (g.category, g.bank.name, g.age, sorted(e.pk for e in g.events))
        for g in page.context["groups"]
    ]


def test_one_bank_wide_change_at_three_branches_is_one_group(supervisor_client, manager):
    icbc, boc = BankFactory(name="工商银行"), BankFactory(name="中国银行")
    at_icbc = [_event(BranchFactory(manager=manager, bank=icbc), days_ago=d) for d in (1, 2, 3)]
    at_boc = _event(BranchFactory(manager=manager, bank=boc))
    old = _event(BranchFactory(manager=manager, bank=icbc), days_ago=40)
    staff = _event(BranchFactory(manager=manager, bank=icbc), category="staff_change")
    closed = _event(BranchFactory(manager=manager, bank=icbc))
    AbnormalEvent.objects.filter(pk=closed.pk).update(status=AbnormalEvent.Status.CLOSED)

    page = supervisor_client.get(URL)
    assert page.status_code == 200
    groups = _groups(page)
    assert groups[0] == ("bank_policy", "工商银行", "week", sorted(e.pk for e in at_icbc))
    assert ("bank_policy", "中国银行", "week", [at_boc.pk]) in groups
    assert ("bank_policy", "工商银行", "older", [old.pk]) in groups
    assert ("staff_change", "工商银行", "week", [staff.pk]) in groups
    assert len(groups) == 4  # the closed one is not open
    assert "3 个网点" in page.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": "staff_change"}, {"staff"}),
        ({"age": "older"}, {"old"}),
        ({"status": "acknowledged"}, {"acknowledged"}),
    ],
)
def test_the_filters(supervisor_client, manager, query, expected):
    bank = BankFactory(name="工商银行")
    rows = {
        "policy": _event(BranchFactory(manager=manager, bank=bank)),
        "staff": _event(BranchFactory(manager=manager, bank=bank), category="staff_change"),
        "old": _event(BranchFactory(manager=manager, bank=bank), days_ago=45),
        "acknowledged": _event(BranchFactory(manager=manager, bank=bank), days_ago=10),
    }
    AbnormalEvent.objects.filter(pk=rows["acknowledged"].pk).update(
        status=AbnormalEvent.Status.ACKNOWLEDGED
    )
    page = supervisor_client.get(URL, query)
    assert page.status_code == 200
    shown = {e.pk for g in page.context["groups"] for e in g.events}
    assert shown == {rows[name].pk for name in expected}


def test_the_bank_filter_and_a_bad_value(supervisor_client, manager):
    icbc, boc = BankFactory(name="工商银行"), BankFactory(name="中国银行")
    mine = _event(BranchFactory(manager=manager, bank=icbc))
    _event(BranchFactory(manager=manager, bank=boc))
    page = supervisor_client.get(URL, {"bank": icbc.pk})
    assert [e.pk for g in page.context["groups"] for e in g.events] == [mine.pk]
    page = supervisor_client.get(URL, {"bank": "abc", "age": "forever"})
    assert page.status_code == 200
    assert page.context["form"].errors  # said on the form; the list is simply unfiltered
    assert page.context["event_count"] == 2


def test_only_the_users_branches_and_only_for_supervisors(
    client, supervisor, manager, other_manager
):
    mine = _event(BranchFactory(manager=manager))
    _event(BranchFactory(manager=other_manager))
    client.force_login(supervisor)
    page = client.get(URL)
    assert [e.pk for g in page.context["groups"] for e in g.events] == [mine.pk]
    client.force_login(manager.user)
    assert client.get(URL).status_code == 404


def test_a_city_head_sees_every_team_below(client, org, manager, other_manager):
    mine = _event(BranchFactory(manager=manager))
    _event(BranchFactory(manager=other_manager))
    client.force_login(org.city_head)
    page = client.get(URL)
    assert [e.pk for g in page.context["groups"] for e in g.events] == [mine.pk]


@pytest.mark.parametrize("count", [3, 30])
def test_the_view_costs_the_same_for_any_number(
    supervisor_client, manager, count, django_assert_max_num_queries
):
    for index in range(count):
        bank = BankFactory(name=f"银行{index % 4}")
        services.report_event(
            branch=BranchFactory(manager=manager, bank=bank),
            category="bank_policy" if index % 2 else "staff_change",
            description="变化",
            reported_by=manager.user,
        )
    with django_assert_max_num_queries(3):
        page = supervisor_client.get(URL, {"status": "reported"})
    assert page.status_code == 200
    assert page.context["event_count"] == count


def test_the_filtered_columns_are_indexed():
    indexed = {tuple(index.fields) for index in AbnormalEvent._meta.indexes}
    assert ("status", "category", "occurred_on") in indexed
    assert ("category",) in indexed and ("status",) in indexed
    assert AbnormalEvent._meta.get_field("branch").db_index  # the bank is reached through it
