"""core.prepared.fetch_prepared: a read built and compiled once, run with each call's values."""

import datetime
import re
from unittest import mock

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.test import override_settings
from django.utils import timezone, translation

from branches.models import Visit
from core.prepared import fetch_prepared
from tests.branches.factories import BranchFactory, VisitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_prepared_reads")]


def _visits(v):
    return [
        Visit.objects.filter(branch=v.branch, visited_at__gte=v.since).order_by("summary"),
        Visit.objects.filter(branch=v.branch).values("summary").order_by("-summary")[:1],
    ]


def _summaries(result):
    visits, newest = result
    return [visit.summary for visit in visits], newest


def test_each_call_reads_its_own_values_rows():
    first, second = BranchFactory(), BranchFactory()
    since = timezone.now() - datetime.timedelta(days=3)
    VisitFactory(branch=first, summary="甲一", visited_at=timezone.now())
    VisitFactory(
        branch=first, summary="甲二", visited_at=timezone.now() - datetime.timedelta(days=5)
    )
    VisitFactory(branch=second, summary="乙一", visited_at=timezone.now())

    assert _summaries(fetch_prepared("visits", _visits, branch=first.pk, since=since)) == (
        ["甲一"],
        [{"summary": "甲二"}],
    )
    assert _summaries(fetch_prepared("visits", _visits, branch=second.pk, since=since)) == (
        ["乙一"],
        [{"summary": "乙一"}],
    )
    earlier = since - datetime.timedelta(days=10)
    assert _summaries(fetch_prepared("visits", _visits, branch=first.pk, since=earlier)) == (
        ["甲一", "甲二"],
        [{"summary": "甲二"}],
    )


def test_the_results_are_what_django_gives():
    branch = BranchFactory()
    VisitFactory.create_batch(3, branch=branch)
    since = timezone.now() - datetime.timedelta(days=400)
    got = fetch_prepared("visits", _visits, branch=branch.pk, since=since)
    assert got == [
        list(Visit.objects.filter(branch=branch, visited_at__gte=since).order_by("summary")),
        list(Visit.objects.filter(branch=branch).values("summary").order_by("-summary")[:1]),
    ]


@override_settings(PREPARED_READS_VERIFY=False)
def test_a_read_is_compiled_once_then_only_run(django_assert_num_queries):
    first, second = BranchFactory(), BranchFactory()
    VisitFactory(branch=second, summary="乙")
    since = timezone.now() - datetime.timedelta(days=400)
    fetch_prepared("visits", _visits, branch=first.pk, since=since)
    # Both parts in one statement, and nothing compiled: the SQL is the first call's.
    with (
        mock.patch.object(SQLCompiler, "as_sql", side_effect=AssertionError("compiled")),
        django_assert_num_queries(1),
    ):
        result = fetch_prepared("visits", _visits, branch=second.pk, since=since)
    assert _summaries(result) == (["乙"], [{"summary": "乙"}])


@override_settings(PREPARED_READS_VERIFY=False)
def test_a_parts_converters_are_looked_up_once():
    first, second = BranchFactory(), BranchFactory()
    VisitFactory(branch=first, summary="甲")
    VisitFactory(branch=second, summary="乙")
    since = timezone.now() - datetime.timedelta(days=400)
    fetch_prepared("visits", _visits, branch=first.pk, since=since)
    # The same columns run after run: the field and backend converters found the first
    # time are the ones applied (the dates and the purposes list still come back converted).
    with mock.patch.object(
        SQLCompiler, "get_converters", side_effect=AssertionError("looked up again")
    ):
        (visits, newest) = fetch_prepared("visits", _visits, branch=second.pk, since=since)
    assert visits == list(Visit.objects.filter(branch=second))
    assert visits[0].purposes == list(Visit.objects.get(branch=second).purposes)
    assert newest == [{"summary": "乙"}]


@override_settings(PREPARED_READS_VERIFY=False)
def test_the_day_and_the_language_are_part_of_the_key():
    branch = BranchFactory()
    built = []

    def build(v):
        built.append(timezone.localdate())
        return [Visit.objects.filter(branch=v.branch)]

    fetch_prepared("day", build, branch=branch.pk)
    fetch_prepared("day", build, branch=branch.pk)
    assert len(built) == 1
    with translation.override("en"):
        fetch_prepared("day", build, branch=branch.pk)
    assert len(built) == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch("core.prepared.timezone.localdate", return_value=tomorrow):
        fetch_prepared("day", build, branch=branch.pk)
    assert len(built) == 3


def test_verifying_catches_a_read_whose_sql_depends_on_more_than_its_key():
    branch = BranchFactory()

    def build(v):
        # The moment of the call baked into the SQL: stale on the next call.
        return [Visit.objects.filter(branch=v.branch, visited_at__lte=timezone.now())]

    with pytest.raises(AssertionError, match="depends on its values"):
        fetch_prepared("baked", build, branch=branch.pk)


def test_verifying_catches_a_value_that_shapes_the_sql():
    branch = BranchFactory()

    def build(v):
        # A value used in Python, not as a filter's value: the placeholder is "truthy".
        return [Visit.objects.filter(branch=v.branch) if v.only_branch else Visit.objects.all()]

    fetch_prepared("shaped", build, branch=branch.pk, only_branch=True)
    with pytest.raises(AssertionError, match="depends on its values"):
        fetch_prepared("shaped", build, branch=branch.pk, only_branch=False)


def test_verifying_builds_once_per_minute_of_a_moment_among_the_values():
    branch = BranchFactory()
    built = []

    def build(v, built=built):  # a default, not a closure: what a closure holds is keyed too
        built.append(v)
        return [Visit.objects.filter(branch=v.branch, visited_at__lte=v.now)]

    minute = timezone.now().replace(second=0, microsecond=0)
    fetch_prepared("moment", build, branch=branch.pk, now=minute)  # built, then verified
    assert len(built) == 2
    fetch_prepared("moment", build, branch=branch.pk, now=minute.replace(second=59))
    assert len(built) == 2
    fetch_prepared("moment", build, branch=branch.pk, now=minute + datetime.timedelta(minutes=1))
    assert len(built) == 3
    other = BranchFactory()
    fetch_prepared("moment", build, branch=other.pk, now=minute)
    assert len(built) == 4


def test_a_missing_value_is_refused():
    with pytest.raises(ValueError, match="branch is None"):
        fetch_prepared("none", lambda v: [Visit.objects.filter(branch=v.branch)], branch=None)


def _on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("server-side statements are PostgreSQL's (DATABASE_URL=postgres://...)")


def _server_statements():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'branchdesk_%%'")
        return {row[0] for row in cursor.fetchall()}


@override_settings(PREPARED_READS_VERIFY=False, DATABASE_PREPARED_STATEMENTS=True)
def test_postgresql_prepares_a_read_the_second_time_a_connection_runs_it():
    _on_postgresql()
    first, second = BranchFactory(), BranchFactory()
    VisitFactory(branch=first, summary="甲 100%")
    VisitFactory(branch=second, summary="乙")
    since = timezone.now() - datetime.timedelta(days=400)
    before = _server_statements()

    def build(v):
        # A constant with a percent sign and one of each kind of value.
        return [
            Visit.objects.filter(
                branch=v.branch, visited_at__gte=v.since, summary__contains=v.text
            ).exclude(summary="%s 100%%")
        ]

    def summaries(branch, text):
        (visits,) = fetch_prepared("server", build, branch=branch.pk, since=since, text=text)
        return [visit.summary for visit in visits]

    assert summaries(first, "100%") == ["甲 100%"]
    assert _server_statements() == before  # once: run as usual
    assert summaries(second, "乙") == ["乙"]
    assert len(_server_statements() - before) == 1  # twice: prepared, then executed
    assert summaries(first, "甲") == ["甲 100%"]
    assert summaries(second, "甲") == []
    assert len(_server_statements() - before) == 1


@override_settings(PREPARED_READS_VERIFY=False, DATABASE_PREPARED_STATEMENTS=True)
def test_a_server_statement_runs_on_its_generic_plan_every_time():
    # The work log's statement was planned again on each of its runs (PostgreSQL's choice
    # when a generic plan's estimate looks dearer than a custom one), 4.1 ms against 1.3: the
    # connections are opened with plan_cache_mode=force_generic_plan (config.settings).
    _on_postgresql()
    from django.db import connection

    branch = BranchFactory()
    VisitFactory(branch=branch, summary="甲")
    since = timezone.now() - datetime.timedelta(days=1)

    def build(v):
        # A range on a time, the shape whose statement PostgreSQL kept planning again.
        return [Visit.objects.filter(branch=v.branch, visited_at__gte=v.since)]

    before = _server_statements()
    for _ in range(8):
        (visits,) = fetch_prepared("generic", build, branch=branch.pk, since=since)
        assert [visit.summary for visit in visits] == ["甲"]
    (name,) = _server_statements() - before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
            [name],
        )
        assert cursor.fetchone() == (7, 0)  # run as usual once, then EXECUTE seven times


@pytest.mark.django_db(transaction=True)
@override_settings(PREPARED_READS_VERIFY=False, DATABASE_PREPARED_STATEMENTS=True)
def test_a_new_connection_prepares_again():
    _on_postgresql()
    from django.db import connection

    branch = BranchFactory()
    VisitFactory(branch=branch, summary="甲")

    def summaries():
        (visits,) = fetch_prepared(
            "reconnect", lambda v: [Visit.objects.filter(branch=v.branch)], branch=branch.pk
        )
        return [visit.summary for visit in visits]

    before = _server_statements()
    assert summaries() == summaries() == summaries() == ["甲"]
    assert len(_server_statements() - before) == 1
    # The server session ends (CONN_MAX_AGE, a restart): its statements go with it, and the
    # next connection runs the read as usual, then prepares it again.
    connection.close()
    assert summaries() == ["甲"]
    assert _server_statements() == set()
    assert summaries() == summaries() == ["甲"]
    assert len(_server_statements()) == 1


@pytest.mark.django_db(transaction=True)
def test_the_branch_page_is_the_same_through_the_servers_statements(client):
    _on_postgresql()
    from django.contrib.auth.models import Group
    from django.db import connection

    from accounts.access import MANAGER_GROUP
    from tests.grading.factories import AccountManagerFactory

    manager = AccountManagerFactory()
    manager.user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    client.force_login(manager.user)
    branches = [BranchFactory(manager=manager) for _ in range(2)]
    for number, branch in enumerate(branches):
        VisitFactory(branch=branch, summary=f"拜访{number}")

    def pages():
        # The page's main part; a form's CSRF token is masked anew on each request.
        return [
            re.sub(
                r'name="csrfmiddlewaretoken" value="\w+"',
                "",
                client.get(f"/branches/{branch.pk}/").content.decode().split("<main", 1)[1],
            )
            for branch in branches
        ]

    with override_settings(DATABASE_PREPARED_STATEMENTS=False):
        expected = pages()
    with override_settings(DATABASE_PREPARED_STATEMENTS=True):
        # The first run of each read on this connection, the one that prepares it, then two
        # that execute it: each the page as the ordinary statements give it.
        assert pages() == expected
        assert pages() == expected
        assert pages() == expected
    assert "拜访0" in expected[0] and "拜访1" in expected[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'branchdesk_%%'"
            " AND statement LIKE '%%branches_abnormalevent%%'"
        )
        assert cursor.fetchone() == (1,)  # the page's reads, prepared once


SEARCHES = ["支行", "50%", "%", "a_b", "_", "\\", "abc", "ABC", ""]


def _by_pattern(v):
    return [
        BranchFactory._meta.model.objects.filter(name__icontains_pattern=v.pattern).order_by("name")
    ]


def _named(*names):
    for name in names:
        BranchFactory(name=name)


@pytest.mark.parametrize("text", SEARCHES)
def test_a_search_pattern_is_icontains_own_sql_and_rows(text):
    from branches.models import Branch
    from core.prepared import contains_pattern

    _named("陆家嘴支行", "50%支行", "50 支行", "a_b网点", "axb网点", "反\\斜", "Abc")
    plain = Branch.objects.filter(name__icontains=text).order_by("name")
    pattern = Branch.objects.filter(name__icontains_pattern=contains_pattern(text)).order_by("name")
    assert pattern.query.sql_with_params() == plain.query.sql_with_params()
    (rows,) = fetch_prepared("search", _by_pattern, pattern=contains_pattern(text))
    assert [branch.name for branch in rows] == [branch.name for branch in plain]


@override_settings(PREPARED_READS_VERIFY=False, DATABASE_PREPARED_STATEMENTS=True)
def test_a_search_pattern_through_the_servers_statement():
    _on_postgresql()
    from core.prepared import contains_pattern

    _named("陆家嘴支行", "50%支行", "50 支行", "a_b网点", "axb网点", "反\\斜", "Abc")

    def names(text):
        (rows,) = fetch_prepared("search", _by_pattern, pattern=contains_pattern(text))
        return sorted(branch.name for branch in rows)  # whatever the cluster's collation

    # The first run as usual, then PREPARE and EXECUTE with each value.
    assert names("支行") == sorted(["50 支行", "50%支行", "陆家嘴支行"])
    assert names("50%") == ["50%支行"]
    assert names("a_b") == ["a_b网点"]
    assert names("\\") == ["反\\斜"]
    assert names("abc") == ["Abc"]
