"""The home's reads as one prepared read (core.prepared, issue 22): each read, built for a
stand-in of the user with their ids, is the read the selectors make for the user, and the
month's figures and "behind plan" read on one id are those read on lists of ids."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.access import Viewer, manager_profile
from branches.models import Branch
from desk.home import (
    _shape,
    cases_query,
    returned_forms_for_user,
)
from desk.planner import reads_queries
from documents.selectors import (
    attention_for_user,
    attention_for_user_from,
    attention_for_user_query,
    flagged_handover_count_query,
    unconfirmed_before,
)
from sales import selectors
from tests.branches.factories import BranchFactory, PlanTargetFactory, VisitFactory
from tests.grading.factories import AccountManagerFactory, UserFactory
from tests.sales.factories import PolicyFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 15)
NOV = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))


def _sql(queryset):
    return queryset.query.sql_with_params()


def _fresh(user):
    """The user as a new request sees them (the role caches unfilled)."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def team_manager_supervisor(supervisor, manager):
    """A supervisor who is an account manager too (their own branches and the team's)."""
    AccountManagerFactory(user=supervisor, supervisor=None)
    return supervisor


@pytest.mark.parametrize(
    "who", ["manager", "supervisor", "team_manager_supervisor", "superuser", "nobody"]
)
def test_the_reads_for_the_stand_in_are_the_users_own(request, who, manager):
    if who == "nobody":
        user = UserFactory(username="nobody")
    elif who == "manager":
        user = manager.user
    else:
        user = request.getfixturevalue(who)
    user = _fresh(user)
    profile = manager_profile(user)
    shape = _shape(user, profile)
    assert shape is not None
    viewer = Viewer(
        user.pk,
        None if profile is None else profile.pk,
        superuser=user.is_superuser,
        supervisor=shape[1],
    )
    now = timezone.now()
    before = unconfirmed_before(now)
    pairs = [
        *zip(reads_queries(viewer, TODAY, now), reads_queries(user, TODAY, now), strict=True),
        (cases_query(viewer, now), cases_query(user, now)),
        (returned_forms_for_user(viewer), returned_forms_for_user(user)),
        (
            flagged_handover_count_query(viewer, before=before),
            flagged_handover_count_query(user, now),
        ),
        (attention_for_user_query(viewer, TODAY), attention_for_user_query(user, TODAY)),
    ]
    for mine, theirs in pairs:
        assert _sql(mine) == _sql(theirs)


def _sales_at(branch, premium):
    PlanTargetFactory(
        branch=branch,
        period_start=NOV[0],
        period_end=NOV[1],
        premium_target=Decimal("100000"),
        policy_count_target=10,
    )
    PolicyFactory(branch=branch, signed_on=datetime.date(2026, 11, 2), premium=Decimal(premium))


def _own_month(manager, ids):
    peers, sales, targets = selectors.own_home_month_queries(
        manager.pk, manager.supervisor_id, TODAY
    )
    return selectors.own_home_month_from(
        manager, ids, TODAY, None if peers is None else list(peers), list(sales), list(targets)
    )


def test_a_managers_month_on_their_ids_is_home_month(manager, other_manager, supervisor):
    """Peers, an inactive peer, another team's manager, a manager without a supervisor."""
    peer = AccountManagerFactory(supervisor=supervisor)
    gone = AccountManagerFactory(supervisor=supervisor, is_active=False)
    alone = AccountManagerFactory(supervisor=None)
    premiums = {manager: "40000", peer: "70000", gone: "90000", other_manager: "80000"}
    for owner, premium in (*premiums.items(), (alone, "1000")):
        _sales_at(BranchFactory(manager=owner), premium)
        _sales_at(BranchFactory(manager=owner, is_active=False), "500")
    for who in (manager, peer, alone):
        ids = list(Branch.objects.filter(manager=who, is_active=True).values_list("pk", flat=True))
        expected = selectors.home_month(who, ids, TODAY, branch_managers={who.pk})
        assert _own_month(who, ids) == expected
    progress, month = _own_month(manager, [])
    assert (month["rank"], month["team_size"]) == (
        2,
        2,
    )  # the peer first; the inactive one left out


def test_a_teams_progress_on_the_supervisors_id_is_branch_progress(
    supervisor, manager, other_manager
):
    peer = AccountManagerFactory(supervisor=supervisor)
    for owner, premium in ((manager, "40000"), (peer, "60000"), (other_manager, "80000")):
        _sales_at(BranchFactory(manager=owner), premium)
        _sales_at(BranchFactory(manager=owner, is_active=False), "500")
    ids = list(
        Branch.objects.for_user(supervisor).filter(is_active=True).values_list("pk", flat=True)
    )
    windows = [selectors.window(selectors.MONTH, TODAY)]
    sales, targets = selectors.branch_progress_queries_where(
        "branch__manager__supervisor_id", supervisor.pk, windows
    )
    got = selectors.branch_progress_from_rows(ids, windows, list(sales), list(targets))
    assert got == selectors.branch_progress(ids, windows)
    assert sorted(p.premium for p in got.values()) == [Decimal("40000"), Decimal("60000")]


def _page(client):
    from django.urls import reverse

    text = client.get(reverse("home")).text
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    return re.sub(r'name="csrf-token"\s+content="[^"]*"', "", text)


@pytest.mark.parametrize("who", ["manager", "supervisor", "team_manager_supervisor", "superuser"])
def test_the_page_is_the_one_the_ordinary_reads_give(
    request, client, who, manager, other_manager, monkeypatch
):
    """The same page as with the home's reads made the ordinary way (as for a city head),
    the month's figures and "behind plan" through home_month and branch_progress."""
    from tests.project.test_home import _busy_branch

    user = manager.user if who == "manager" else request.getfixturevalue(who)
    today = timezone.localdate()
    for owner, premium in ((manager, "30000"), (other_manager, "90000")):
        branch = _busy_branch(owner, f"{owner.pk}号支行")
        PlanTargetFactory(
            branch=branch,
            period_start=today.replace(day=1),
            period_end=today.replace(day=1) + datetime.timedelta(days=27),
            premium_target=Decimal("100000"),
            policy_count_target=10,
        )
        PolicyFactory(branch=branch, signed_on=today, premium=Decimal(premium))
    client.force_login(user)
    _page(client)  # the checklist generated
    prepared = _page(client)
    monkeypatch.setattr("desk.home._shape", lambda user, profile: None)
    assert _page(client) == prepared
    assert "号支行" in prepared


def test_a_city_heads_home_shows_their_teams_branches(client, city_head, manager, other_manager):
    from tests.project.test_home import _busy_branch

    _busy_branch(manager, "甲市支行")
    _busy_branch(other_manager, "乙市支行")
    client.force_login(city_head)
    page = _page(client)
    assert "甲市支行" in page
    assert "乙市支行" not in page


def test_the_checklist_generated_from_the_reads_made_already_is_the_same(manager):
    """generate_checklist with its reads made already (the home's prepared read) creates
    what it creates reading them itself: an item already there is kept, the rest made."""
    from duties import services
    from duties.models import ChecklistItem, ChecklistTemplate
    from tests.duties.factories import ChecklistTemplateFactory, task

    today = timezone.localdate()
    Frequency = ChecklistTemplate.Frequency
    ChecklistTemplateFactory(task=task("daily-log"))
    ChecklistTemplateFactory(task=task("visit-branch"), per_branch=True, frequency=Frequency.WEEKLY)
    ChecklistTemplateFactory(task=task("branch-training"), frequency=Frequency.MONTHLY)
    branches = [BranchFactory(manager=manager), BranchFactory(manager=manager)]
    own = [(branch.pk, branch.tier) for branch in branches]

    def generated(read):
        ChecklistItem.objects.all().delete()
        services.generate_checklist(manager=manager, day=today, branches=own[:1])
        keep = set(ChecklistItem.objects.values_list("date", "task_id", "branch_id"))
        if read:
            templates, existing = services.checklist_queries(manager.pk, today)
            rows = (list(templates), list(existing))
        else:
            rows = None
        created = services.generate_checklist(manager=manager, day=today, branches=own, read=rows)
        items = set(ChecklistItem.objects.values_list("date", "task_id", "branch_id", "done"))
        return created, keep, items

    plain = generated(read=False)
    assert plain[0] == 1  # the second branch's weekly visit
    assert generated(read=True) == plain


def test_the_homes_stock_candidates_give_attention_for_user(manager):
    """The home reads the stock candidates with its other reads: the rows needing attention
    are attention_for_user's, an item whose cover outlasts a week but not its branch's next
    planned visit among them, and the same item at a branch visited sooner left out."""
    from documents.models import BranchStock
    from tests.documents.factories import stock_at

    today = timezone.localdate()
    near, far = BranchFactory(manager=manager), BranchFactory(manager=manager)
    for branch in (near, far):
        stock_at(branch, "poster", 1, manager.user)  # low
        ok = stock_at(branch, "brochure", 500, manager.user)
        # 20 days of cover: at risk only before a visit planned further out than that.
        BranchStock.objects.filter(pk=ok.pk).update(usage_30d=750, usage_30d_on=today)
    user = _fresh(manager.user)
    for planned in (None, today + datetime.timedelta(days=30)):
        if planned is not None:
            VisitFactory(branch=far, next_visit_on=planned)
        by_pk = {b.pk: b for b in Branch.objects.select_related("bank", "manager__user")}
        rows = list(attention_for_user_query(user, today))
        got = attention_for_user_from(rows, today, by_pk)
        expected = attention_for_user(user, today, by_pk)
        assert [(r.pk, r.assessment) for r in got] == [(r.pk, r.assessment) for r in expected]
    assert len(rows) == len(got) == 3  # both posters, the far branch's brochures
