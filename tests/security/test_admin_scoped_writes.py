"""Issue 14, finding 1, case by case: what a supervisor tried through the admin and what the
admin now answers. The write walk (test_admin_write_walk.py) posts the same for every form."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils.html import escape

from branches.models import Branch
from staff.models import StaffPosting
from tests.branches.factories import BranchFactory
from tests.documents.factories import stock_at
from tests.security.admin_forms import Page
from tests.staff.factories import BranchStaffFactory, StaffPostingFactory

pytestmark = pytest.mark.django_db


def _codes(form, field):
    """The error codes on one field ("invalid_choice": not one of the choices offered)."""
    return [error.code for error in form.errors.as_data().get(field, [])]


def _field_errors(response, field):
    return _codes(response.context["adminform"].form, field)


def test_a_branch_cannot_be_handed_to_another_teams_manager(
    supervisor_client, manager, other_manager
):
    branch = BranchFactory(manager=manager)
    url = reverse("admin:branches_branch_change", args=[branch.pk])
    form = Page(supervisor_client.get(url)).data
    response = supervisor_client.post(url, {**form, "manager": other_manager.pk})
    assert response.status_code == 200
    assert _field_errors(response, "manager") == ["invalid_choice"]
    assert escape(str(other_manager)) not in response.content.decode()
    assert Branch.objects.get(pk=branch.pk).manager == manager
    # The same form with the team's own manager is saved: the refusal was the manager's.
    assert supervisor_client.post(url, form).status_code == 302


def test_a_stock_row_cannot_be_moved_to_another_teams_branch(
    supervisor_client, manager, other_manager
):
    stock = stock_at(BranchFactory(manager=manager), "brochure", 5, manager.user)
    theirs = BranchFactory(manager=other_manager)
    url = reverse("admin:documents_branchstock_change", args=[stock.pk])
    response = supervisor_client.post(
        url, {"branch": theirs.pk, "item": stock.item.pk, "threshold_override": ""}
    )
    assert response.status_code == 200
    assert _field_errors(response, "branch") == ["invalid_choice"]
    # The raw-id box does not name the other team's branch next to the typed id.
    assert escape(theirs.name) not in response.content.decode()
    stock.refresh_from_db()
    assert stock.branch.manager == manager


def test_an_add_form_prefilled_with_another_teams_ids_names_nobody(
    supervisor_client, manager, other_manager
):
    mine, theirs = BranchFactory(manager=manager), BranchFactory(manager=other_manager)
    target = supervisor_client.get(
        reverse("admin:branches_plantarget_add") + f"?branch={theirs.pk}"
    )
    # Attendance is derived from check-ins now: nobody adds it in the admin.
    attendance = supervisor_client.get(
        reverse("admin:duties_attendance_add") + f"?manager={other_manager.pk}"
    )
    assert target.status_code == 200
    assert attendance.status_code == 403
    assert escape(theirs.name) not in target.content.decode()
    # The team's own are still named, so the check above can see a name.
    own = supervisor_client.get(reverse("admin:branches_plantarget_add") + f"?branch={mine.pk}")
    assert escape(mine.name) in own.content.decode()


def test_the_manager_autocomplete_offers_only_the_team(supervisor_client, manager, other_manager):
    response = supervisor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "branches", "model_name": "branch", "field_name": "manager", "term": ""},
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(manager.pk)]


def test_a_supervisor_cannot_hand_a_manager_to_another_team(
    supervisor_client, supervisor, manager, other_supervisor
):
    """The supervisor field names users, not scoped rows; the save that would take the
    manager out of the team is refused and undone."""
    url = reverse("admin:accounts_accountmanager_change", args=[manager.pk])
    data = Page(supervisor_client.get(url)).data
    data["supervisor"] = other_supervisor.pk
    response = supervisor_client.post(url, data)
    assert response.status_code == 403
    manager.refresh_from_db()
    assert manager.supervisor == supervisor


def test_an_inline_offers_only_the_teams_branches(client, supervisor, manager, other_manager):
    """Inlines are scoped too: a staff member's posting cannot point at another team's
    branch (a supervisor allowed to edit staff, as a deployment may grant)."""
    supervisor.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["change_branchstaff", "change_staffposting"],
            content_type__app_label="staff",
        )
    )
    client.force_login(supervisor)
    staff = BranchStaffFactory(branch=BranchFactory(manager=manager))
    posting = StaffPostingFactory(staff=staff)
    theirs = BranchFactory(manager=other_manager)
    url = reverse("admin:staff_branchstaff_change", args=[staff.pk])
    page = Page(client.get(url))
    prefix = page.inline_prefixes[0]
    assert page.data[f"{prefix}-0-id"] == str(posting.pk)
    data = {**page.data, f"{prefix}-0-branch": str(theirs.pk)}
    response = client.post(url, data)
    assert response.status_code == 200
    inline_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert _codes(inline_form, "branch") == ["invalid_choice"]
    assert escape(theirs.name) not in response.content.decode()
    assert StaffPosting.objects.get(pk=posting.pk).branch == staff.branch
