import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.branches.factories import BankFactory, BranchFactory

pytestmark = pytest.mark.django_db
URL = reverse("branches:list")


def _names(response):
    return [branch.name for branch in response.context["page"]]


def test_a_manager_sees_only_their_branches(manager_client, manager, other_manager):
    BranchFactory(manager=manager, name="陆家嘴支行")
    BranchFactory(manager=other_manager, name="别人的支行")
    response = manager_client.get(URL)
    assert _names(response) == ["陆家嘴支行"]
    assert "manager" not in response.context["filter"].form.fields


def test_the_supervisor_sees_the_team_and_filters_by_manager(
    supervisor_client, manager, other_manager
):
    from tests.grading.factories import AccountManagerFactory

    teammate = AccountManagerFactory(supervisor=manager.supervisor)
    BranchFactory(manager=manager, name="甲支行")
    BranchFactory(manager=teammate, name="乙支行")
    BranchFactory(manager=other_manager, name="别队支行")
    assert sorted(_names(supervisor_client.get(URL))) == ["乙支行", "甲支行"]
    response = supervisor_client.get(URL, {"manager": teammate.pk})
    assert _names(response) == ["乙支行"]
    # A manager outside the team is not a valid choice.
    response = supervisor_client.get(URL, {"manager": other_manager.pk})
    assert "别队支行" not in _names(response)


def test_it_searches_by_name_code_and_bank(manager_client, manager):
    BranchFactory(manager=manager, name="静安寺支行", code="SH0100")
    BranchFactory(manager=manager, name="外滩支行", bank=BankFactory(name="招商银行"))
    assert _names(manager_client.get(URL, {"q": "静安"})) == ["静安寺支行"]
    assert _names(manager_client.get(URL, {"q": "sh0100"})) == ["静安寺支行"]
    assert _names(manager_client.get(URL, {"q": "招商"})) == ["外滩支行"]


def test_it_filters_by_tier_district_and_days_without_a_visit(manager_client, manager):
    now = timezone.now()
    BranchFactory(manager=manager, name="新近", tier="A", district="徐汇区", last_visit_at=now)
    BranchFactory(
        manager=manager,
        name="久未",
        tier="A",
        district="闵行区",
        last_visit_at=now - datetime.timedelta(days=40),
    )
    BranchFactory(manager=manager, name="从未", tier="C", district="闵行区")
    assert sorted(_names(manager_client.get(URL, {"tier": "A"}))) == ["久未", "新近"]
    assert sorted(_names(manager_client.get(URL, {"district": "闵行区"}))) == ["久未", "从未"]
    assert sorted(_names(manager_client.get(URL, {"not_visited_days": 30}))) == ["久未", "从未"]


def test_it_shows_the_last_visit_and_days_since(manager_client, manager):
    BranchFactory(manager=manager, last_visit_at=timezone.now() - datetime.timedelta(days=12))
    page = manager_client.get(URL).content.decode()
    assert "12" in page
    assert (timezone.localdate() - datetime.timedelta(days=12)).isoformat() in page


def test_it_paginates(manager_client, manager):
    BranchFactory.create_batch(30, manager=manager)
    response = manager_client.get(URL, {"page": 2})
    assert len(response.context["page"]) == 5


@pytest.mark.parametrize("rows", [3, 10, 30, 200])
def test_the_list_runs_a_constant_number_of_queries(
    supervisor_client, manager, rows, django_assert_max_num_queries
):
    BranchFactory.create_batch(rows, manager=manager, last_visit_at=timezone.now())
    # The session, and the page with the count, the districts and the managers in one
    # prepared statement (the filters too).
    with django_assert_max_num_queries(2):
        response = supervisor_client.get(URL, {"tier": "B", "q": "支行"})
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows, 25)


def test_district_choices_come_from_the_users_branches(manager_client, manager, other_manager):
    BranchFactory(manager=manager, district="徐汇区")
    BranchFactory(manager=other_manager, district="宝山区")
    choices = dict(manager_client.get(URL).context["filter"].form.fields["district"].choices)
    assert "徐汇区" in choices and "宝山区" not in choices


def test_not_visited_for_n_days_counts_calendar_days_like_the_list(manager_client, manager):
    """Visited late in the evening 7 days ago: the list says "7 days ago", so it is
    "not visited for 7 days" whatever the time of day the filter runs."""
    seven_days_ago = timezone.localdate() - datetime.timedelta(days=7)
    late = timezone.make_aware(datetime.datetime.combine(seven_days_ago, datetime.time(23, 50)))
    early = timezone.make_aware(
        datetime.datetime.combine(seven_days_ago + datetime.timedelta(days=1), datetime.time(0, 5))
    )
    BranchFactory(manager=manager, name="七天", last_visit_at=late)
    BranchFactory(manager=manager, name="六天", last_visit_at=early)
    response = manager_client.get(URL, {"not_visited_days": 7})
    assert _names(response) == ["七天"]
    assert "7" in response.content.decode()
    assert set(_names(manager_client.get(URL, {"not_visited_days": 6}))) == {"六天", "七天"}


@pytest.mark.parametrize("value", ["99999999999", "-3", "2.5", "abc"])
def test_a_bad_number_of_days_is_explained_not_a_crash(manager_client, manager, value):
    BranchFactory(manager=manager, name="陆家嘴支行")
    response = manager_client.get(URL, {"not_visited_days": value})
    assert response.status_code == 200
    assert "not_visited_days" in response.context["filter"].form.errors
    # The rest of the list still shows; the message is in the user's language (Chinese).
    assert _names(response) == ["陆家嘴支行"]
    assert any(
        "\u4e00" <= ch <= "\u9fff"
        for ch in response.context["filter"].form.errors["not_visited_days"][0]
    )


def test_a_branch_visited_today_says_today_not_zero_days_ago(manager_client, manager):
    BranchFactory(manager=manager, name="今天去过", last_visit_at=timezone.now())
    BranchFactory(
        manager=manager,
        name="昨天去过",
        last_visit_at=timezone.now() - datetime.timedelta(days=1),
    )
    page = manager_client.get(URL).content.decode()
    assert "0 天前" not in page
    assert "(今天)" in page
    assert "(1 天前)" in page


def test_every_shown_field_is_read_with_the_rows(
    supervisor_client, manager, django_assert_max_num_queries
):
    """Every value a row shows, filled on 30 rows: each shows, in the same few queries."""
    bank = BankFactory(name="中国工商银行", short_name="工行")
    manager.user.first_name, manager.user.last_name = "芳", "王"
    manager.user.save()
    BranchFactory.create_batch(
        30,
        manager=manager,
        bank=bank,
        tier="B",
        district="徐汇区",
        last_visit_at=timezone.now() - datetime.timedelta(days=3),
    )
    # The session, and the page, the districts and the managers in one prepared statement.
    with django_assert_max_num_queries(2):
        page = supervisor_client.get(URL, {"per_page": 100}).content.decode()
    assert page.count("工行 · ") == 30
    assert page.count(" · 徐汇区 · 王芳</div>") == 30
    assert page.count(">B类</span>") == 30
    assert page.count("(3 天前)") == 30


@pytest.mark.parametrize("who", ["manager", "supervisor", "superuser", "nobody"])
def test_the_prepared_list_reads_what_the_users_own_reads_give(
    request, who, manager, other_manager
):
    """The unfiltered list is read in one prepared statement for a stand-in of the user
    (accounts.access.Viewer): its rows, districts and managers are the user's own reads'."""
    from django.contrib.auth.models import User

    from branches.selectors import (
        branch_list,
        branch_list_reads,
        district_choices_query,
        manager_choices_query,
    )
    from core.paging import page_rows_query

    for number, owner in enumerate([manager, manager, other_manager] * 3):
        BranchFactory(manager=owner, district=f"区{number % 4}", code=f"C{number:02}")
    if who == "nobody":
        user = User.objects.create_user("nobody")
    elif who == "manager":
        user = manager.user
    else:
        user = request.getfixturevalue(who)
    user = User.objects.get(pk=user.pk)  # no role caches from the fixtures
    rows, districts, managers = branch_list_reads(user, 4, 2)
    assert [(row.pk, row.page_total) for row in rows] == [
        (row.pk, row.page_total) for row in page_rows_query(branch_list(user), 4, 2)
    ]
    assert list(districts) == list(district_choices_query(user))
    if who in ("supervisor", "superuser"):
        assert [m.pk for m in managers] == [m.pk for m in manager_choices_query(user)]
    else:
        assert managers is None


def test_a_heads_list_is_read_the_ordinary_way(city_head):
    from branches.selectors import branch_list_reads

    assert branch_list_reads(city_head, 25, 1) is None


def test_the_list_page_with_a_filter_shows_what_the_page_without_one_does(
    supervisor_client, manager
):
    # The unfiltered page reads through the prepared statement, ?tier= the ordinary way.
    for number in range(3):
        BranchFactory(manager=manager, tier="A", code=f"A{number}")
    plain = supervisor_client.get(URL)
    filtered = supervisor_client.get(URL, {"tier": "A"})
    assert _names(plain) == _names(filtered)
    assert manager.display_name in str(plain.context["filter"].form["manager"])
    assert str(plain.context["filter"].form["manager"]) == str(
        filtered.context["filter"].form["manager"]
    )
    assert str(plain.context["filter"].form["district"]) == str(
        filtered.context["filter"].form["district"]
    )


# --- The filtered list in one prepared statement (issue 22) -----------------------------------
# Each query string as the list reads it (the prepared read) and as BranchFilter reads it on
# its own (django-filter's queryset, Django's paginator): the same rows, count, errors and
# choices, for each role. "TEAMMATE" and "OTHER" stand for the managers' ids.
FILTERED = [
    {"q": "支行"},
    {"q": "50%"},
    {"q": "%"},
    {"q": "a_b"},
    {"q": "_"},
    {"q": "\\"},
    {"q": "  陆家嘴  "},
    {"q": "工行"},
    {"q": "sh01"},
    {"tier": "B", "q": "支行"},
    {"district": "徐汇区"},
    {"not_visited_days": "30"},
    {"not_visited_days": "0"},
    {"tier": "A", "district": "闵行区", "not_visited_days": "7", "q": "支"},
    {"manager": "TEAMMATE"},
    {"manager": "TEAMMATE", "tier": "C", "q": "行"},
    {"q": "支行", "page": "2"},
    {"tier": "B", "per_page": "50"},
    {"q": "支行", "page": "9"},
    {"utm": "x", "tier": "A"},
    # Values the form refuses: the page says why and lists without them.
    {"tier": "Z"},
    {"tier": "Z", "q": "支行"},
    {"manager": "999999"},
    {"manager": "OTHER"},
    {"manager": "abc"},
    {"manager": " TEAMMATE "},
    {"not_visited_days": "-1"},
    {"not_visited_days": "5.0"},
    {"district": "不存在区"},
    {"district": "不存在区", "tier": "A"},
    {"q": "a\x00"},
    {"q": "支行", "district": "徐\x00"},
    {"q": "支行", "manager": "1\x00"},
]


@pytest.fixture
def filtered_world(manager, other_manager):
    from tests.grading.factories import AccountManagerFactory

    teammate = AccountManagerFactory(supervisor=manager.supervisor)
    icbc = BankFactory(name="中国工商银行", short_name="工行")
    now = timezone.now()
    names = ["陆家嘴支行", "50%支行", "a_b支行", "axb网点", "反斜杠\\支行", "外滩网点"]
    for number, name in enumerate(names):
        BranchFactory(
            manager=manager,
            name=name,
            code=f"SH01{number:02}",
            tier="ABC"[number % 3],
            district=["徐汇区", "闵行区", ""][number % 3],
            bank=icbc if number % 2 else BankFactory(),
            last_visit_at=None if number == 3 else now - datetime.timedelta(days=number * 9),
        )
    BranchFactory.create_batch(27, manager=manager, tier="B", last_visit_at=now)
    BranchFactory(manager=teammate, name="队友支行", tier="C", district="闵行区")
    BranchFactory(manager=other_manager, name="别队支行", tier="B", district="宝山区")
    return {"TEAMMATE": str(teammate.pk), "OTHER": str(other_manager.pk)}


def _query(params, world):
    return {
        name: value.replace("TEAMMATE", world["TEAMMATE"]).replace("OTHER", world["OTHER"])
        for name, value in params.items()
    }


def _ordinary_page(user, params):
    """The list's page for ``params`` the ordinary way: BranchFilter's queryset and choices."""
    from django.core.paginator import Paginator
    from django.http import QueryDict

    from branches.forms import BranchFilter
    from branches.selectors import branch_list
    from branches.views import PAGE_SIZE, PAGE_SIZES

    data = QueryDict(mutable=True)
    data.update(params)
    branch_filter = BranchFilter(data or None, queryset=branch_list(user), user=user)
    size = PAGE_SIZES.get(params.get("per_page"), PAGE_SIZE)
    return Paginator(branch_filter.qs, size).get_page(params.get("page")), branch_filter


@pytest.mark.parametrize("who", ["manager", "supervisor", "superuser", "city_head"])
def test_the_filtered_list_shows_what_the_ordinary_reads_give(client, request, who, filtered_world):
    from django.contrib.auth.models import User

    user = request.getfixturevalue(who)
    user = User.objects.get(pk=getattr(user, "user", user).pk)
    client.force_login(user)
    for params in FILTERED:  # one world for all: each test's world costs more than its pages
        params = _query(params, filtered_world)
        response = client.get(URL, params)
        assert response.status_code == 200, params
        page, branch_filter = _ordinary_page(user, params)
        shown = response.context["page"]
        assert [branch.pk for branch in shown] == [branch.pk for branch in page], params
        assert (shown.number, shown.paginator.count) == (page.number, page.paginator.count)
        form = response.context["filter"].form
        assert form.errors.get_json_data() == branch_filter.form.errors.get_json_data(), params
        for name in ("district", "manager"):
            if name in branch_filter.form.fields:
                assert _options(form, name) == _options(branch_filter.form, name), params
            else:
                assert name not in form.fields


def _options(form, name):
    return [(str(value), str(label)) for value, label in form.fields[name].widget.choices]


@pytest.mark.parametrize("who", ["manager", "supervisor", "superuser"])
def test_the_prepared_filters_are_the_forms_own_sql(request, who, filtered_world):
    """The prepared read's filters, built with their values, are the SQL and parameters of
    django-filter's queryset (the search's LIKE pattern escaped as Django escapes it)."""
    from django.contrib.auth.models import User
    from django.http import QueryDict

    from branches.forms import BranchFilter
    from branches.selectors import branch_list, filter_branches, filter_values
    from core.prepared import Values

    user = request.getfixturevalue(who)
    user = User.objects.get(pk=getattr(user, "user", user).pk)
    for params in FILTERED:
        data = QueryDict(mutable=True)
        data.update(_query(params, filtered_world))
        branch_filter = BranchFilter(data, queryset=branch_list(user), user=user)
        filters = branch_filter.prepared_filters()
        prepared = filter_branches(
            branch_list(user), tuple(filters), Values(filter_values(filters))
        )
        assert prepared.query.sql_with_params() == branch_filter.qs.query.sql_with_params()


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        ({"tier": "B", "q": "支行", "not_visited_days": "3", "manager": "TEAMMATE"}, 2),
        # A district or manager that is not a choice: the rows read again without it.
        ({"tier": "B", "district": "不存在区"}, 3),
        ({"manager": "OTHER"}, 3),
    ],
)
def test_the_filtered_list_is_one_statement(
    supervisor_client, params, queries, filtered_world, django_assert_max_num_queries
):
    # The session, and the rows with the count, the districts and the managers.
    with django_assert_max_num_queries(queries):
        response = supervisor_client.get(URL, _query(params, filtered_world))
    assert response.status_code == 200


def test_a_refused_manager_lists_the_team_not_someone_elses_branches(
    supervisor_client, filtered_world
):
    response = supervisor_client.get(URL, {"manager": filtered_world["OTHER"], "per_page": "100"})
    assert "manager" in response.context["filter"].form.errors
    names = _names(response)
    assert "别队支行" not in names and "队友支行" in names
    assert response.context["page"].paginator.count == 34


def test_refused_values_are_explained_and_the_rest_still_filters(manager_client, filtered_world):
    response = manager_client.get(URL, {"tier": "Z", "q": "陆家嘴", "not_visited_days": "-1"})
    assert response.status_code == 200
    assert set(response.context["filter"].form.errors) == {"tier", "not_visited_days"}
    assert _names(response) == ["陆家嘴支行"]
