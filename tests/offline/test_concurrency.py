"""The same record synced twice at the same moment on PostgreSQL (real threads)."""

import threading
import uuid

import pytest
from django.db import connection, connections

from branches.models import Visit
from offline import services
from offline.models import SyncRecord
from tests.offline.test_sync import visit_fields


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_a_key_sent_twice_at_once_saves_one_visit(manager, branch):
    key = uuid.uuid4()
    barrier = threading.Barrier(2)
    answers = []

    def sync():
        try:
            barrier.wait()
            answers.append(
                services.apply_record(
                    user=manager.user,
                    key=key,
                    kind="visit",
                    target=branch.pk,
                    data=services.form_data(visit_fields()),
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sync) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 2
    assert answers[0].pk == answers[1].pk
    assert answers[0].status == "accepted"
    assert Visit.objects.filter(branch=branch).count() == 1
    assert SyncRecord.objects.get().object_id == Visit.objects.get().pk
