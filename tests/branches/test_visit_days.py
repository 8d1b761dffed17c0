"""Visits per manager and local day (VisitDay) kept in step with the visits (issue 22), and
the indexes the team dashboard reads them (and its targets) through."""

import datetime
import threading
from collections import Counter

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import Visit, VisitDay
from core.dates import local_midnight
from tests.branches.factories import BranchFactory, VisitFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 15)
BEFORE_MIDNIGHT = local_midnight(DAY) + datetime.timedelta(hours=23, minutes=59)  # 23:59 local
MIDNIGHT = local_midnight(DAY + datetime.timedelta(days=1))  # 00:00 local, the next day


def recount():
    """{(manager id, local day): visits} counted from the visits themselves, in Python."""
    return dict(
        Counter(
            (manager_id, timezone.localtime(at).date())
            for manager_id, at in Visit.objects.values_list("manager_id", "visited_at")
        )
    )


def table():
    return {(row.manager_id, row.day): row.visits for row in VisitDay.objects.all()}


def test_logging_visits_counts_them_on_their_local_day_across_midnight(manager, branch):
    for moment in (BEFORE_MIDNIGHT, BEFORE_MIDNIGHT, MIDNIGHT):
        services.log_visit(branch=branch, manager=manager, purposes=["training"], visited_at=moment)
    assert table() == recount() == {(manager.pk, DAY): 2, (manager.pk, MIDNIGHT.date()): 1}
    # 23:59 and 00:00 local are the same UTC day: the local one is what counts.
    assert (
        BEFORE_MIDNIGHT.astimezone(datetime.UTC).date() == MIDNIGHT.astimezone(datetime.UTC).date()
    )


def test_factories_deletes_and_cascades_keep_the_table_equal_to_a_recount(manager, other_manager):
    branch = BranchFactory(manager=manager)
    other_branch = BranchFactory(manager=other_manager)
    visits = [VisitFactory(branch=branch, visited_at=BEFORE_MIDNIGHT) for _ in range(3)]
    VisitFactory(branch=other_branch, visited_at=BEFORE_MIDNIGHT)
    VisitFactory(branch=other_branch, manager=manager, visited_at=MIDNIGHT)
    assert (
        table()
        == recount()
        == {
            (manager.pk, DAY): 3,
            (other_manager.pk, DAY): 1,
            (manager.pk, MIDNIGHT.date()): 1,
        }
    )
    visits[0].delete()
    assert table() == recount()
    Visit.objects.filter(pk=visits[1].pk).delete()
    assert (
        table()
        == recount()
        == {
            (manager.pk, DAY): 1,
            (other_manager.pk, DAY): 1,
            (manager.pk, MIDNIGHT.date()): 1,
        }
    )
    other_branch.delete()  # cascades to its two visits
    assert table() == recount() == {(manager.pk, DAY): 1}
    branch.delete()
    assert table() == recount() == {}


def test_a_visit_moved_to_another_day_or_manager_moves_its_count(manager, other_manager):
    visit = VisitFactory(branch=BranchFactory(manager=manager), visited_at=BEFORE_MIDNIGHT)
    visit.visited_at = MIDNIGHT
    visit.save()
    assert table() == recount() == {(manager.pk, MIDNIGHT.date()): 1}
    visit.manager = other_manager
    visit.save()
    assert table() == recount() == {(other_manager.pk, MIDNIGHT.date()): 1}
    # A save of other fields only reads nothing and changes nothing.
    visit.summary = "补记"
    visit.save(update_fields=["summary"])
    assert table() == recount()


def test_the_admin_change_form_moves_the_count(admin_client, manager):
    branch = BranchFactory(manager=manager)
    visit = VisitFactory(branch=branch, visited_at=BEFORE_MIDNIGHT)
    response = admin_client.post(
        reverse("admin:branches_visit_change", args=[visit.pk]),
        {
            "branch": branch.pk,
            "manager": manager.pk,
            "visited_at_0": "2026-11-16",
            "visited_at_1": "00:00:00",
            "purposes": '["training"]',
            "summary": "改时间",
            "next_steps": "",
            "next_visit_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visit.refresh_from_db()
    assert visit.visited_at == MIDNIGHT
    assert table() == recount() == {(manager.pk, MIDNIGHT.date()): 1}
    admin_client.post(reverse("admin:branches_visit_delete", args=[visit.pk]), {"post": "yes"})
    assert table() == recount() == {}


def test_the_rebuild_counts_bulk_inserted_visits_and_is_idempotent(manager, other_manager):
    branch, other_branch = BranchFactory(manager=manager), BranchFactory(manager=other_manager)
    VisitFactory(branch=branch, visited_at=BEFORE_MIDNIGHT - datetime.timedelta(days=3))
    # Bulk inserts save no visit one by one: the table does not know them until rebuilt.
    Visit.objects.bulk_create(
        [
            Visit(branch=branch, manager=manager, visited_at=BEFORE_MIDNIGHT),
            Visit(branch=branch, manager=manager, visited_at=MIDNIGHT),
            Visit(branch=other_branch, manager=other_manager, visited_at=MIDNIGHT),
            Visit(branch=other_branch, manager=other_manager, visited_at=MIDNIGHT),
        ]
    )
    assert table() != recount()
    assert services.rebuild_visit_days() == 4
    assert (
        table()
        == recount()
        == {
            (manager.pk, DAY - datetime.timedelta(days=3)): 1,
            (manager.pk, DAY): 1,
            (manager.pk, MIDNIGHT.date()): 1,
            (other_manager.pk, MIDNIGHT.date()): 2,
        }
    )
    services.rebuild_visit_days()
    assert table() == recount()
    # From a day on: the days before it are left as they are.
    VisitDay.objects.filter(day=DAY - datetime.timedelta(days=3)).update(visits=7)
    VisitDay.objects.filter(day=MIDNIGHT.date()).delete()
    assert services.rebuild_visit_days(since=DAY) == 3
    assert table() == {**recount(), (manager.pk, DAY - datetime.timedelta(days=3)): 7}
    # Visits logged after a rebuild count on top of it.
    VisitFactory(branch=branch, visited_at=MIDNIGHT)
    services.rebuild_visit_days()
    assert table() == recount()


def test_a_day_never_counts_below_zero(manager):
    VisitDay.objects.create(manager=manager, day=DAY, visits=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitDay.objects.filter(manager=manager, day=DAY).update(visits=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitDay.objects.create(manager=manager, day=DAY, visits=1)  # one row a manager and day


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_two_first_visits_of_a_day_saved_at_once_both_count(manager, branch):
    barrier = threading.Barrier(2)
    errors = []

    def log():
        try:
            with transaction.atomic():
                barrier.wait()
                services.log_visit(
                    branch=branch, manager=manager, purposes=["training"], visited_at=MIDNIGHT
                )
        except Exception as error:  # noqa: BLE001  reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=log) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert table() == recount() == {(manager.pk, MIDNIGHT.date()): 2}


def test_the_rebuild_command_counts_and_refuses_a_bad_date(manager, branch):
    import io

    from django.core.management import CommandError, call_command

    Visit.objects.bulk_create(
        [Visit(branch=branch, manager=manager, visited_at=at) for at in (BEFORE_MIDNIGHT, MIDNIGHT)]
    )
    out = io.StringIO()
    call_command("rebuild_visit_days", stdout=out)
    assert out.getvalue().strip() == "2 manager days counted"
    call_command("rebuild_visit_days", "--since", MIDNIGHT.date().isoformat(), stdout=out)
    assert table() == recount() == {(manager.pk, DAY): 1, (manager.pk, MIDNIGHT.date()): 1}
    with pytest.raises(CommandError):
        call_command("rebuild_visit_days", "--since", "11/2026")


def _index_definitions(table):
    """{name: definition} of the table's indexes on PostgreSQL (the INCLUDE ones exist there
    only); skips on SQLite."""
    if connection.vendor != "postgresql":
        pytest.skip("INCLUDE needs PostgreSQL (DATABASE_URL=postgres://...); .ci/run sets it")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def test_a_managers_days_are_read_from_an_index_that_carries_the_count():
    # The team dashboard's twelve weeks (issue 22): PostgreSQL answers them from the
    # (manager, day) index alone, as the unit pages from the day index (migrations 0016, 0022).
    definitions = _index_definitions("branches_visitday")
    assert definitions["visitday_manager_day_visits"].endswith(
        "USING btree (manager_id, day) INCLUDE (visits)"
    )
    assert definitions["visitday_day"].endswith("USING btree (day) INCLUDE (manager_id, visits)")
    # The foreign key's own index went: the unique (manager, day) starts with the manager.
    assert sorted(definitions) == [
        "branches_visitday_pkey",
        "visitday_day",
        "visitday_manager_day",
        "visitday_manager_day_visits",
    ]


def test_a_teams_targets_are_read_from_an_index_that_carries_the_amounts():
    # The team dashboard's targets of the year and of the month (issue 22, migration 0023).
    definitions = _index_definitions("branches_plantarget")
    assert definitions["plantarget_branch_covering"].endswith(
        "USING btree (branch_id, period_start) "
        "INCLUDE (period_end, premium_target, policy_count_target)"
    )
    assert "branches_plantarget_branch_id_2b870bcb" not in definitions
