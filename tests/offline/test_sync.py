"""Offline reading (the data endpoint) and writing (the sync endpoint, idempotency keys)."""

import json
import uuid

import pytest
from django.db import IntegrityError
from django.utils import timezone

from branches.models import Visit
from documents.models import BranchStock, StockMovement
from duties.models import ChecklistItem
from duties.services import generate_checklist
from offline import services
from offline.models import SyncRecord
from tests.branches.factories import BranchFactory
from tests.duties.factories import ChecklistTemplateFactory, task
from tests.staff.factories import BranchStaffFactory


def visit_fields(**extra):
    fields = {
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "purposes": "relationship",
        "summary": "午间拜访",
    }
    fields.update(extra)
    return [[name, value] for name, value in fields.items()]


def delivery_fields(quantity="50"):
    from documents.models import StockItem

    items = list(StockItem.objects.filter(is_active=True).order_by("code"))
    fields = [
        ["lines-TOTAL_FORMS", str(len(items))],
        ["lines-INITIAL_FORMS", str(len(items))],
        ["lines-MIN_NUM_FORMS", "0"],
        ["lines-MAX_NUM_FORMS", "1000"],
    ]
    for index, item in enumerate(items):
        fields.append([f"lines-{index}-item", str(item.pk)])
        quantity_here = quantity if item.code == "application_form" else ""
        fields.append([f"lines-{index}-quantity", quantity_here])
    fields += [["note", ""], ["also_log_visit", "on"], ["next_visit_on", ""]]
    return fields


def send(client, *records, language=None):
    if language:
        client.cookies["django_language"] = language
    return client.post(
        "/offline/sync/",
        data=json.dumps({"records": list(records)}),
        content_type="application/json",
    )


def record(kind, target, fields, key=None):
    return {"key": str(key or uuid.uuid4()), "kind": kind, "target": target, "fields": fields}


# --- The idempotency key ------------------------------------------------------------------


def test_the_same_visit_sent_twice_is_saved_once(manager_client, branch):
    sent = record("visit", branch.pk, visit_fields())

    first = send(manager_client, sent)
    second = send(manager_client, sent)

    assert first.status_code == second.status_code == 200
    assert first.json()["results"] == second.json()["results"]
    assert first.json()["results"][0]["status"] == "accepted"
    assert first.json()["results"][0]["url"] == f"/branches/{branch.pk}/#timeline"
    visit = Visit.objects.get(branch=branch)
    assert visit.summary == "午间拜访"
    assert SyncRecord.objects.get().object_id == visit.pk


def test_the_same_delivery_in_one_request_twice_moves_stock_once(manager_client, branch):
    sent = record("delivery", branch.pk, delivery_fields("50"))

    response = send(manager_client, sent, sent)

    assert [r["status"] for r in response.json()["results"]] == ["accepted", "accepted"]
    assert StockMovement.objects.filter(branch_stock__branch=branch).count() == 1
    assert BranchStock.objects.get(branch=branch, item__code="application_form").on_hand == 50
    assert Visit.objects.get(branch=branch).purposes == ["delivery"]


def _racing(manager, target, monkeypatch):
    """Two requests with one key: the other one's accepted answer is committed, but this one
    looked the key up before it was. Returns (the other answer, this one's result)."""
    key = uuid.uuid4()
    theirs = SyncRecord.objects.create(
        user=manager.user, key=key, kind="visit", status="accepted", object_id=999
    )
    real_lookup = services.first_answer_and_target

    def not_yet_committed(**kwargs):
        _answer, found = real_lookup(**kwargs)
        return None, found

    monkeypatch.setattr(services, "first_answer_and_target", not_yet_committed)
    result = services.apply_record(
        user=manager.user,
        key=key,
        kind="visit",
        target=target,
        data=services.form_data(visit_fields()),
    )
    return theirs, result


def test_a_doubled_key_racing_in_is_stopped_by_the_unique_constraint(manager, branch, monkeypatch):
    """Its insert hits the constraint, its visit is rolled back, and it answers with the
    other one's result."""
    theirs, result = _racing(manager, branch.pk, monkeypatch)

    assert result == theirs and result.object_id == 999
    assert not Visit.objects.exists()
    assert SyncRecord.objects.count() == 1


def test_a_doubled_key_racing_in_with_a_refusal_answers_the_first_result(
    manager, other_manager, monkeypatch
):
    """This request's record is refused (the branch is not the manager's): its refusal hits
    the constraint and it answers with the other one's result, the transaction still usable
    for reading it (PostgreSQL aborts one after an error)."""
    theirs, result = _racing(manager, BranchFactory(manager=other_manager).pk, monkeypatch)

    assert result == theirs and result.status == "accepted"
    assert list(SyncRecord.objects.values_list("status", flat=True)) == ["accepted"]


def test_the_constraint_itself_refuses_a_second_row_for_a_key(manager):
    key = uuid.uuid4()
    SyncRecord.objects.create(user=manager.user, key=key, kind="visit", status="accepted")
    with pytest.raises(IntegrityError):
        SyncRecord.objects.create(user=manager.user, key=key, kind="visit", status="refused")


# --- Refusals -----------------------------------------------------------------------------


def test_a_visit_to_another_managers_branch_is_refused_and_saves_nothing(
    manager_client, other_manager
):
    theirs = BranchFactory(manager=other_manager)

    result = send(manager_client, record("visit", theirs.pk, visit_fields())).json()["results"][0]

    assert result["status"] == "refused"
    assert result["reason"] == "这个网点已不在你的名下，记录未保存。"
    assert not Visit.objects.exists()


def test_an_invalid_visit_comes_back_with_its_reason_in_chinese_and_in_english(
    manager_client, branch
):
    future = (timezone.localtime() + timezone.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")

    chinese = send(manager_client, record("visit", branch.pk, visit_fields(visited_at=future)))
    english = send(
        manager_client,
        record("visit", branch.pk, visit_fields(purposes="nonsense")),
        language="en",
    )

    zh = chinese.json()["results"][0]
    assert zh["status"] == "refused"
    assert zh["reason"] == "拜访时间：拜访时间不能晚于现在。"
    en = english.json()["results"][0]
    assert en["status"] == "refused"
    assert en["reason"].startswith("Purposes: ")
    assert not Visit.objects.exists()
    assert SyncRecord.objects.filter(status="refused").count() == 2


def test_a_refused_record_answers_the_same_refusal_when_sent_again(manager_client, branch):
    sent = record("delivery", branch.pk, delivery_fields(quantity="-5"))
    first = send(manager_client, sent).json()["results"][0]
    again = send(manager_client, sent, language="en").json()["results"][0]
    assert first["status"] == again["status"] == "refused"
    assert again["reason"] == first["reason"]
    assert not StockMovement.objects.exists()


def test_a_tick_is_applied_once_and_only_to_the_managers_own_item(
    manager_client, manager, other_manager
):
    ChecklistTemplateFactory(task=task("daily-log"))
    generate_checklist(manager=manager)
    generate_checklist(manager=other_manager)
    mine = ChecklistItem.objects.get(manager=manager)
    theirs = ChecklistItem.objects.get(manager=other_manager)
    sent = record("tick", mine.pk, [["note", "done offline"]])

    results = send(manager_client, sent, sent, record("tick", theirs.pk, [["note", ""]]))

    assert [r["status"] for r in results.json()["results"]] == ["accepted", "accepted", "refused"]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.done and mine.note == "done offline"
    assert not theirs.done


def test_unreadable_requests_answer_400_and_unreadable_records_are_marked(manager_client):
    bad = manager_client.post("/offline/sync/", data="nope", content_type="application/json")
    assert bad.status_code == 400
    result = send(manager_client, {"key": "x", "kind": "visit", "target": 1, "fields": []})
    assert result.status_code == 200
    assert result.json()["results"][0]["status"] == "invalid"


def test_the_sync_needs_the_csrf_token(manager, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager.user)
    response = strict.post(
        "/offline/sync/", data=json.dumps({"records": []}), content_type="application/json"
    )
    assert response.status_code == 403
    strict.get("/")
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        "/offline/sync/",
        data=json.dumps({"records": []}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


# --- Offline reading ----------------------------------------------------------------------


def test_the_data_is_the_managers_own_with_masked_phones(
    manager_client, manager, branch, teller, other_manager, django_assert_max_num_queries
):
    BranchFactory(manager=other_manager, name="别人的支行")
    second = BranchFactory(manager=manager)
    BranchStaffFactory(branch=second, mobile="13900001111")
    from tests.documents.factories import stock_at

    stock_at(branch, "brochure", 30, manager.user)
    for _ in range(5):
        Visit.objects.create(branch=branch, manager=manager, purposes=["relationship"])
    ChecklistTemplateFactory(task=task("daily-log"))
    generate_checklist(manager=manager)

    with django_assert_max_num_queries(6):
        response = manager_client.get("/offline/data/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["user"] == manager.user.pk
    names = {row["name"] for row in data["branches"]}
    assert not any("别人的支行" in name for name in names)
    assert len(data["branches"]) == 2
    mine = next(row for row in data["branches"] if row["id"] == branch.pk)
    assert mine["staff"] == [
        {
            "id": teller.pk,
            "name": "李娜",
            "role": teller.get_role_display(),
            "mobile": "138****5678",
        }
    ]
    assert "13812345678" not in response.content.decode()
    assert len(mine["visits"]) == 3
    assert mine["stock"][0]["item"] == "brochure" and mine["stock"][0]["on_hand"] == 30
    assert len(data["checklist"]) == 1 and data["checklist"][0]["can_tick"]


def test_the_data_is_bounded(manager_client, manager):
    from offline.selectors import MAX_BRANCHES

    BranchFactory.create_batch(MAX_BRANCHES + 2, manager=manager)
    data = manager_client.get("/offline/data/").json()
    assert len(data["branches"]) == MAX_BRANCHES
    assert data["truncated"] is True


def test_the_data_and_the_sync_need_a_session(client, db):
    assert client.get("/offline/data/").status_code == 302
    assert client.post("/offline/sync/").status_code == 302
