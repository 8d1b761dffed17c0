from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from branches.forms import add_service_errors
from branches.selectors import branches_for_user, get_branch_for_user
from staff import selectors, services
from staff.forms import MoveForm, StaffForm


def staff_detail(request, pk):
    # Reaching this page means the user may see the branch, so the whole number is shown.
    staff = selectors.get_staff_for_user(request.user, pk)
    return render(
        request,
        "staff/staff_detail.html",
        {
            "staff": staff,
            "history": selectors.change_history(staff),
            "postings": selectors.postings(staff),
        },
    )


def _save(request, form, save, branch, staff=None):
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect("staff:detail", pk=saved.pk)
    return render(
        request, "staff/staff_form.html", {"form": form, "branch": branch, "staff": staff}
    )


def staff_create(request, branch_pk):
    branch = get_branch_for_user(request.user, branch_pk)
    form = StaffForm(request.POST or None)
    form.instance.branch = branch
    return _save(
        request,
        form,
        lambda data: services.add_staff(branch=branch, **data),
        branch,
    )


def staff_edit(request, pk):
    staff = selectors.get_staff_for_user(request.user, pk)
    form = StaffForm(request.POST or None, instance=staff)
    return _save(
        request,
        form,
        lambda data: services.update_staff(staff=staff, **data),
        staff.branch,
        staff,
    )


def staff_move(request, pk):
    staff = selectors.get_staff_for_user(request.user, pk)
    branches = branches_for_user(request.user).filter(is_active=True).exclude(pk=staff.branch_id)
    form = MoveForm(request.POST or None, branches=branches, initial={"role": staff.role})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.move_staff(
                staff=staff, new_branch=data["branch"], role=data["role"], on=data["on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now works at %(branch)s.")
                % {"name": staff.name, "branch": data["branch"]},
            )
            return redirect("staff:detail", pk=staff.pk)
    return render(
        request,
        "staff/staff_form.html",
        {"form": form, "branch": staff.branch, "staff": staff, "moving": True},
    )
