import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from documents import services
from documents.models import BranchStock, IntakeBatch, SerialForm, SerialRange
from tests.branches.factories import BranchFactory
from tests.documents.factories import item, stock_at

pytestmark = pytest.mark.django_db

MODELS = [model._meta.model_name for model in apps.get_app_config("documents").get_models()]


@pytest.mark.parametrize("model", MODELS)
def test_every_admin_page_loads(admin_client, branch, manager, model):
    stock_at(branch, "brochure", 5, manager.user)
    for page in ("changelist", "add"):
        response = admin_client.get(reverse(f"admin:documents_{model}_{page}"))
        assert response.status_code == 200, (model, page)


def test_a_movement_added_in_the_admin_goes_through_the_ledger(admin_client, branch, manager):
    stock = stock_at(branch, "brochure", 5, manager.user)
    response = admin_client.post(
        reverse("admin:documents_stockmovement_add"),
        {"branch_stock": stock.pk, "kind": "usage", "quantity": 2, "note": "补录"},
    )
    assert response.status_code == 302
    stock.refresh_from_db()
    assert stock.on_hand == 3 == sum(stock.movements.values_list("quantity", flat=True))


def test_the_admin_shows_a_service_refusal(admin_client, branch, manager):
    stock = stock_at(branch, "brochure", 5, manager.user)
    response = admin_client.post(
        reverse("admin:documents_stockmovement_add"),
        {"branch_stock": stock.pk, "kind": "usage", "quantity": 9},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    stock.refresh_from_db()
    assert stock.on_hand == 5


def test_a_range_issued_in_the_admin_checks_overlaps(admin_client, branch, manager):
    services.issue_serial_range(branch, item("application_form"), 1, 10, manager.user)
    response = admin_client.post(
        reverse("admin:documents_serialrange_add"),
        {
            "branch": branch.pk,
            "item": item("application_form").pk,
            "first_number": 5,
            "last_number": 20,
        },
    )
    assert response.status_code == 200
    assert SerialRange.objects.count() == 1 and SerialForm.objects.count() == 10


def test_forms_cannot_be_added_behind_the_intake_flow(admin_client):
    response = admin_client.post(reverse("admin:documents_intakebatch_add"), {})
    assert response.status_code == 200
    assert not IntakeBatch.objects.exists()


def test_the_supervisor_sees_only_the_team_in_the_admin(client, supervisor, manager, other_manager):
    mine = stock_at(BranchFactory(manager=manager), "brochure", 5, manager.user)
    theirs = stock_at(BranchFactory(manager=other_manager), "brochure", 5, other_manager.user)
    client.force_login(supervisor)
    response = client.get(reverse("admin:documents_branchstock_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert shown == {mine.pk}
    assert client.get(
        reverse("admin:documents_branchstock_change", args=[theirs.pk])
    ).status_code in (302, 404)
    assert BranchStock.objects.count() == 2


def test_the_roles_have_their_permissions():
    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP

    manager_perms = set(
        Group.objects.get(name=MANAGER_GROUP).permissions.values_list("codename", flat=True)
    )
    assert {"view_branchstock", "add_stockmovement", "add_intakebatch"} <= manager_perms
    supervisor = Group.objects.get(name=SUPERVISOR_GROUP)
    assert supervisor.permissions.filter(codename="change_stockitem").exists()
    assert Permission.objects.filter(codename="view_layoutplacement").exists()
