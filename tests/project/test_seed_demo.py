import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import AccountManager
from branches.models import Branch

pytestmark = pytest.mark.django_db


def _counts():
    return (
        get_user_model().objects.count(),
        AccountManager.objects.count(),
        Branch.objects.count(),
    )


def test_it_loads_the_demo_and_prints_the_logins(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    for username in ("admin", "zhou", "wang", "li", "zhang", "zhao"):
        assert username in output
    assert "branchdesk-demo" in output
    users, managers, branches = _counts()
    assert managers == 4
    assert 15 <= branches <= 30


def test_running_it_twice_creates_nothing_new():
    call_command("seed_demo")
    before = _counts()
    call_command("seed_demo")
    assert _counts() == before


def test_the_demo_logins_work(client):
    call_command("seed_demo")
    response = client.post("/accounts/login/", {"username": "wang", "password": "branchdesk-demo"})
    assert response.status_code == 302
    response = client.get("/branches/")
    assert response.status_code == 200
    # wang sees only wang's branches
    wang = AccountManager.objects.get(user__username="wang")
    assert Branch.objects.filter(manager=wang).count() == len(response.context["page"].object_list)
