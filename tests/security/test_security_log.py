"""The security log: what happened to which account id, never what somebody typed.

A failed username may be a password typed in the wrong box, so neither appears in any log
line (ours, django-axes' or Django's). A refused access names the user id and the model.
"""

import json
import logging
import uuid

import pytest
from django.urls import reverse

from tests.branches.factories import BranchFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TYPED_USERNAME = "Wang.Fang-13812345678"
TYPED_PASSWORD = "s3cret-Passw0rd!"


@pytest.fixture
def every_log(caplog):
    caplog.set_level(logging.DEBUG)
    # Loggers with their own level (axes: WARNING) would otherwise hide records from caplog.
    for name in ("axes", "axes.handlers.database", "branchdesk.security", "django.request"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _text(caplog):
    return "\n".join(record.getMessage() for record in caplog.records)


def test_failed_logins_and_the_lockout_log_no_username_or_password(client, every_log, manager):
    for username in (TYPED_USERNAME, manager.user.username):
        for _ in range(6):
            client.post(
                LOGIN, {"username": username, "password": TYPED_PASSWORD}, REMOTE_ADDR="10.1.1.1"
            )
    text = _text(every_log)
    assert "login failed ip=10.1.1.1" in text
    assert "login locked out ip=10.1.1.1" in text
    for secret in (TYPED_USERNAME, TYPED_PASSWORD, manager.user.username):
        assert secret not in text


def test_a_login_logs_the_account_id_only(client, every_log, manager):
    response = client.post(LOGIN, {"username": manager.user.username, "password": "pw"})
    assert response.status_code == 302
    text = _text(every_log)
    assert f"login user_id={manager.user.pk}" in text
    assert manager.user.username not in text


def test_a_refused_page_logs_the_user_id_and_the_model_only(
    manager_client, every_log, manager, other_manager
):
    theirs = BranchFactory(manager=other_manager, name="外滩支行")
    assert manager_client.get(reverse("branches:detail", args=[theirs.pk])).status_code == 404
    refusals = [r.getMessage() for r in every_log.records if r.name == "branchdesk.security"]
    assert refusals == [f"refused user_id={manager.user.pk} model=branches.Branch"]
    text = _text(every_log)
    assert "外滩支行" not in text and manager.user.username not in text


def test_a_refused_admin_history_is_logged_the_same_way(
    supervisor_client, every_log, supervisor, other_manager
):
    theirs = BranchStaffFactory(branch__manager=other_manager, name="赵敏")
    url = reverse("admin:staff_branchstaff_history", args=[theirs.pk])
    assert supervisor_client.get(url).status_code == 404
    messages = [r.getMessage() for r in every_log.records if r.name == "branchdesk.security"]
    assert messages == [f"refused user_id={supervisor.pk} model=staff.BranchStaff"]
    assert "赵敏" not in _text(every_log)


def test_a_refused_synced_record_is_logged_as_the_page_would_be(
    manager_client, every_log, manager, other_manager
):
    theirs = BranchFactory(manager=other_manager, name="外滩支行")
    record = {"key": str(uuid.uuid4()), "kind": "visit", "target": theirs.pk, "fields": []}
    response = manager_client.post(
        "/offline/sync/", data=json.dumps({"records": [record]}), content_type="application/json"
    )
    assert response.json()["results"][0]["status"] == "refused"
    messages = [r.getMessage() for r in every_log.records if r.name == "branchdesk.security"]
    assert messages == [f"refused user_id={manager.user.pk} model=branches.Branch"]
    assert "外滩支行" not in _text(every_log)
