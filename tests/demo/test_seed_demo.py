"""`manage.py seed_demo` as `make run` uses it: the logins it prints, and running it again."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from accounts.models import AccountManager
from branches.models import Branch

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("demo"),
    # The demo is read as seed_demo leaves it, shipped checklist templates included.
    pytest.mark.shipped_templates,
]

# Every first-party app (so a new app's demo rows are counted as soon as it exists), and the
# tables of the libraries it writes through.
COUNTED_APPS = (
    "auth",
    *(
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).parent == settings.BASE_DIR
    ),
)


def _rows():
    """Every row of those apps, as plain values, by model."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for label in COUNTED_APPS
        for model in apps.get_app_config(label).get_models()
    }


def test_it_loads_the_demo_and_prints_the_logins(demo):
    for username in ("admin", "sun", "qian", "zhou", "wang", "li", "zhang", "zhao"):
        assert username in demo
    assert "branchdesk-demo" in demo
    assert AccountManager.objects.count() == 4
    assert 15 <= Branch.objects.count() <= 30


def test_running_it_again_creates_and_changes_nothing(demo):
    before = _rows()
    assert before["branches.Branch"] and before["documents.StockMovement"]
    call_command("seed_demo", stdout=io.StringIO())
    after = _rows()
    assert [label for label in before if after[label] != before[label]] == []
    call_command("check_stock", stdout=io.StringIO())  # on-hand figures still match the ledger


def test_the_demo_logins_work(demo, client):
    response = client.post("/accounts/login/", {"username": "wang", "password": "branchdesk-demo"})
    assert (response.status_code, response["Location"]) == (302, "/")
    response = client.get("/branches/")
    assert response.status_code == 200
    # wang sees only wang's branches
    wang = AccountManager.objects.get(user__username="wang")
    assert Branch.objects.filter(manager=wang).count() == len(response.context["page"].object_list)


def test_every_printed_login_has_the_demo_password(demo):
    usernames = [username for username, _description in DEMO_LOGINS]
    users = get_user_model().objects.filter(username__in=usernames)
    assert sorted(user.username for user in users) == sorted(usernames)
    assert all(user.check_password(DEMO_PASSWORD) for user in users)


def test_the_province_and_city_heads_see_the_tree_and_are_in_the_readme(demo, client):
    from pathlib import Path

    from accounts.models import OrgUnit

    assert OrgUnit.objects.count() == 4  # one province, two cities, zhou's team
    wang = AccountManager.objects.get(user__username="wang")
    assert wang.team.parent.head.username == "qian"
    assert wang.team.parent.parent.head.username == "sun"
    client.post("/accounts/login/", {"username": "sun", "password": DEMO_PASSWORD})
    page = client.get("/desk/team/")
    assert page.status_code == 200
    assert "广州中支" in page.text and "深圳中支" in page.text
    client.post("/accounts/login/", {"username": "qian", "password": DEMO_PASSWORD})
    listed = client.get("/branches/").context["page"].paginator.count
    assert listed == Branch.objects.filter(manager__team=wang.team).count() > 0
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "| `sun` |" in readme and "| `qian` |" in readme
