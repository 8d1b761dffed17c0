import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from documents import services
from documents.models import BranchStock, IntakeBatch, LayoutPlacement, SerialForm, SerialRange
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
    services.issue_serial_range(
        branch=branch,
        item=item("application_form"),
        first_number=1,
        last_number=10,
        user=manager.user,
    )
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
    response = client.get(reverse("admin:documents_branchstock_change", args=[theirs.pk]))
    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
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


def _service_says(call):
    """The messages a documents service refuses with, in the admin's language (Chinese)."""
    try:
        with translation.override("zh-hans"), transaction.atomic():
            call()
    except ValidationError as error:
        return error.messages
    raise AssertionError("the service accepted it")


def _form_says(response):
    form = response.context["adminform"].form
    return [message for messages in form.errors.values() for message in messages]


def test_the_movement_admin_refuses_with_the_ledgers_message(
    admin_client, superuser, branch, manager
):
    stock = stock_at(branch, "brochure", 5, manager.user)
    expected = _service_says(
        lambda: services.record_movement(
            branch_stock=stock, kind="withdrawal", quantity=9, user=superuser
        )
    )
    response = admin_client.post(
        reverse("admin:documents_stockmovement_add"),
        {"branch_stock": stock.pk, "kind": "withdrawal", "quantity": 9, "note": "退回"},
    )
    assert response.status_code == 200
    assert _form_says(response) == expected
    stock.refresh_from_db()
    assert stock.on_hand == 5 and stock.movements.count() == 1


def test_the_serial_range_admin_refuses_with_the_services_message(admin_client, superuser, branch):
    services.issue_serial_range(
        branch=branch, item=item("application_form"), first_number=1, last_number=10, user=superuser
    )
    expected = _service_says(
        lambda: services.issue_serial_range(
            branch=branch,
            item=item("application_form"),
            first_number=5,
            last_number=20,
            user=superuser,
        )
    )
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
    assert _form_says(response) == expected
    assert SerialRange.objects.count() == 1 and SerialForm.objects.count() == 10


def test_a_layout_placement_added_in_the_admin_goes_through_the_service(admin_client, branch):
    response = admin_client.post(
        reverse("admin:documents_layoutplacement_add"),
        {
            "branch": branch.pk,
            "item": item("acrylic_stand").pk,
            "location": "柜台",
            "since": "2026-11-02",
        },
    )
    assert response.status_code == 302
    placement = LayoutPlacement.objects.get()
    assert (placement.branch, placement.location) == (branch, "柜台")
    assert response["Location"] == reverse("admin:documents_layoutplacement_changelist")
