"""What one synced record costs the database, whatever the data around it (issue 22): the sync
endpoint's count is constant in the data size, as the pages' are."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Visit
from documents.models import StockMovement
from duties.models import ChecklistItem
from duties.services import generate_checklist
from offline.models import SyncRecord
from tests.branches.factories import BranchFactory, VisitFactory
from tests.documents.factories import stock_at
from tests.duties.factories import ChecklistTemplateFactory, task
from tests.offline.test_sync import delivery_fields, record, send, visit_fields
from tests.offline.test_sync_movements import movement_fields
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db

# Statements per record, as Django counts them on PostgreSQL (its BEGIN and COMMIT; in these
# tests a savepoint and its release): the session (with the user), the key's first answer
# read with the record's object, what the record's own page runs after that read, the answer
# saved: one more than the visit form's POST (11) for a visit. A delivery is two records'
# writes, the delivery and the visit it logs.
VISIT, DELIVERY, TICK, MOVEMENT = 11, 17, 8, 10


def _a_day_under_way(client, manager, branch, visits):
    """``visits`` more visits at the branch and three more branches with staff, the day's
    checklist, and the day's first visit synced already (the day's attendance made): the
    day's checklist item."""
    for _ in range(visits):
        VisitFactory(branch=branch, manager=manager)
    for _ in range(3):
        BranchStaffFactory(branch=BranchFactory(manager=manager))
    ChecklistTemplateFactory(task=task("daily-log"))
    generate_checklist(manager=manager)
    send(client, record("visit", branch.pk, visit_fields()))
    return ChecklistItem.objects.get(manager=manager)


def _statements(client, sent):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/offline/sync/", data=json.dumps({"records": [sent]}), content_type="application/json"
        )
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "accepted", response.json()
    return len(queries)


@pytest.mark.parametrize("visits", [0, 20])
def test_a_visit_costs_the_same_statements_however_many_visits_there_are(
    manager_client, manager, branch, visits
):
    _a_day_under_way(manager_client, manager, branch, visits)

    assert _statements(manager_client, record("visit", branch.pk, visit_fields())) == VISIT
    assert Visit.objects.filter(branch=branch).count() == visits + 2


@pytest.mark.parametrize("visits", [0, 20])
def test_a_delivery_tick_and_movement_cost_their_statements(
    manager_client, manager, branch, visits
):
    item = _a_day_under_way(manager_client, manager, branch, visits)
    stock = stock_at(branch, "brochure", 10, manager.user)
    stock_at(branch, "application_form", 10, manager.user)  # delivered before: its row exists

    delivered = _statements(manager_client, record("delivery", branch.pk, delivery_fields("5")))
    ticked = _statements(manager_client, record("tick", item.pk, [["note", "offline"]]))
    moved = _statements(manager_client, record("movement", stock.pk, movement_fields()))

    assert (delivered, ticked, moved) == (DELIVERY, TICK, MOVEMENT)
    # The two rows' first deliveries, then the synced delivery and usage.
    assert StockMovement.objects.filter(branch_stock__branch=branch).count() == 4
    assert SyncRecord.objects.filter(status=SyncRecord.Status.ACCEPTED).count() == 4


@pytest.mark.parametrize("kind", ["visit", "delivery", "tick", "movement"])
def test_a_target_no_row_can_have_is_refused_as_not_the_users(manager_client, kind):
    """Read with the key's check, a target beyond any id (or below) finds nothing: the
    record is refused, as the page answers 404, never a 500 for an integer out of range."""
    response = send(manager_client, record(kind, 2**70, []), record(kind, -5, []))

    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["refused", "refused"]
    assert SyncRecord.objects.filter(status=SyncRecord.Status.REFUSED).count() == 2
