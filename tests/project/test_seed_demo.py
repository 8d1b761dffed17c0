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
    for username in ("admin", "sun", "qian", "zhou", "wang", "li", "zhang", "zhao"):
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


def test_the_province_and_city_heads_see_the_tree_and_are_in_the_readme(client):
    from pathlib import Path

    from accounts.models import OrgUnit

    call_command("seed_demo")
    call_command("seed_demo")
    assert OrgUnit.objects.count() == 4  # twice run, still one province, two cities, one team
    wang = AccountManager.objects.get(user__username="wang")
    assert wang.team.parent.head.username == "qian"
    assert wang.team.parent.parent.head.username == "sun"
    client.post("/accounts/login/", {"username": "sun", "password": "branchdesk-demo"})
    page = client.get("/desk/team/")
    assert page.status_code == 200
    assert "广州中支" in page.text and "深圳中支" in page.text
    client.post("/accounts/login/", {"username": "qian", "password": "branchdesk-demo"})
    page = client.get("/branches/")
    assert len(page.context["page"].object_list) == min(
        Branch.objects.filter(manager__team=wang.team).count(), 25
    )
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "| `sun` |" in readme and "| `qian` |" in readme
