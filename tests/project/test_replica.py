"""The read replica: reports, exports and dashboards read from it; writes and a browser that
just wrote stay on the primary (core.replica)."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from core.replica import PIN_COOKIE, ReplicaRouter
from tests.branches.factories import BranchFactory, VisitFactory

# Transactional: the mirror is a connection of its own, which sees committed rows only (as a
# real replica does); each query is captured on the connection that ran it.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])
with_replica = override_settings(REPLICA_DATABASE="replica")


def _reads(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return [q["sql"] for q in primary], [q["sql"] for q in replica]


# The dashboard's visit figures (desk.dashboard.weekly_visits_query): the visits per day.
VISIT_FIGURES = 'FROM "branches_visitday"'


def _tables(queries):
    return " ".join(queries)


@with_replica
def test_the_dashboard_reads_from_the_replica(supervisor_client, manager):
    VisitFactory(branch=BranchFactory(manager=manager))
    primary, replica = _reads(supervisor_client, reverse("desk:dashboard"))
    # The team's figures come from the replica ...
    assert VISIT_FIGURES in _tables(replica)
    assert 'FROM "grading_accountmanager"' in _tables(replica)
    # ... the session and the signed-in user from the primary, before the view ran.
    assert 'FROM "auth_user"' in _tables(primary)
    assert VISIT_FIGURES not in _tables(primary)


@with_replica
def test_a_streamed_export_reads_its_rows_from_the_replica(manager_client, branch):
    primary, replica = _reads(manager_client, reverse("branches:export_csv"))
    assert 'FROM "branches_branch"' in _tables(replica)
    assert 'FROM "branches_branch"' not in _tables(primary)


@with_replica
def test_other_pages_read_from_the_primary(manager_client, branch):
    primary, replica = _reads(manager_client, reverse("branches:detail", args=[branch.pk]))
    assert replica == []
    assert 'FROM "branches_branch"' in _tables(primary)


@with_replica
def test_after_a_write_the_browser_reads_from_the_primary(supervisor_client, manager, branch):
    response = supervisor_client.post(
        reverse("branches:visit_create", args=[branch.pk]),
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "purposes": ["relationship"],
            "summary": "刚记的拜访",
            "next_steps": "",
        },
    )
    assert response.status_code == 302
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 15
    assert cookie["httponly"]
    # The supervisor's next look at the dashboard shows the visit just logged: primary only.
    primary, replica = _reads(supervisor_client, reverse("desk:dashboard"))
    assert replica == []
    assert VISIT_FIGURES in _tables(primary)
    # Once the pin has expired (the browser drops the cookie), the replica again.
    supervisor_client.cookies.pop(PIN_COOKIE)
    primary, replica = _reads(supervisor_client, reverse("desk:dashboard"))
    assert VISIT_FIGURES in _tables(replica)


def test_without_a_replica_everything_reads_from_the_primary(supervisor_client, manager, branch):
    primary, replica = _reads(supervisor_client, reverse("desk:dashboard"))
    assert replica == []
    assert VISIT_FIGURES in _tables(primary)
    response = supervisor_client.post(
        reverse("branches:visit_create", args=[branch.pk]),
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "purposes": ["relationship"],
            "summary": "x",
            "next_steps": "",
        },
    )
    assert response.status_code == 302
    assert PIN_COOKIE not in response.cookies


@with_replica
def test_the_replica_is_never_migrated_and_rows_from_it_are_saved_to_the_primary(branch):
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "branches") is False
    assert router.allow_migrate("default", "branches") is None
    from branches.models import Branch

    copy = Branch.objects.using("replica").get(pk=branch.pk)
    assert router.db_for_write(Branch, instance=copy) == "default"
