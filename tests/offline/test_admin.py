"""The admin's read-only list of offline records, scoped like every admin."""

import uuid

import pytest
from django.urls import reverse

from offline.models import SyncRecord

CHANGELIST = reverse("admin:offline_syncrecord_changelist")


@pytest.fixture
def records(manager, other_manager):
    ours = SyncRecord.objects.create(
        user=manager.user, key=uuid.uuid4(), kind="visit", status="accepted", object_id=1
    )
    refused = SyncRecord.objects.create(
        user=manager.user, key=uuid.uuid4(), kind="movement", status="refused", reason="仅剩 5 份"
    )
    theirs = SyncRecord.objects.create(
        user=other_manager.user, key=uuid.uuid4(), kind="delivery", status="accepted"
    )
    return ours, refused, theirs


def test_a_supervisor_sees_their_teams_records_only(
    supervisor_client, records, django_assert_max_num_queries
):
    ours, refused, theirs = records

    with django_assert_max_num_queries(8):
        page = supervisor_client.get(CHANGELIST)

    assert page.status_code == 200
    text = page.content.decode()
    assert str(ours.key) in text and str(refused.key) in text
    assert str(theirs.key) not in text
    assert "manager" in text  # the user column


def test_someone_elses_record_is_not_found(supervisor_client, records):
    theirs = records[2]

    response = supervisor_client.get(
        reverse("admin:offline_syncrecord_change", args=[theirs.pk]), follow=False
    )

    assert response.status_code == 302  # the admin's "does not exist", back to its index
    assert response["Location"] == reverse("admin:index")


def test_the_list_is_searchable_by_key(supervisor_client, records):
    ours, refused, _theirs = records

    found = supervisor_client.get(CHANGELIST, {"q": str(refused.key)}).content.decode()

    assert str(refused.key) in found and str(ours.key) not in found
    assert supervisor_client.get(CHANGELIST, {"q": "not a key"}).status_code == 200


def test_records_are_read_only(supervisor_client, records):
    ours = records[0]
    change = reverse("admin:offline_syncrecord_change", args=[ours.pk])

    assert supervisor_client.get(reverse("admin:offline_syncrecord_add")).status_code == 403
    view = supervisor_client.get(change)
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert supervisor_client.post(change, {"kind": "tick"}).status_code == 403
    delete = reverse("admin:offline_syncrecord_delete", args=[ours.pk])
    assert supervisor_client.post(delete, {"post": "yes"}).status_code == 403
    ours.refresh_from_db()
    assert ours.kind == "visit"


def test_the_scoping_rule_gives_a_manager_their_own(manager, other_manager, records):
    ours, refused, theirs = records

    assert set(SyncRecord.objects.for_user(manager.user)) == {ours, refused}
    assert set(SyncRecord.objects.for_user(other_manager.user)) == {theirs}
