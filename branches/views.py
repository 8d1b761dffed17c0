from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from branches import selectors, services
from branches.forms import (
    BranchDetailsForm,
    BranchFilter,
    CompetitorForm,
    DepositForm,
    EventForm,
    PlanTargetForm,
    VisitForm,
    add_service_errors,
)
from branches.models import Visit
from branches.panels import panels_for
from branches.timeline import timeline_for

PAGE_SIZE = 25
PAGE_SIZES = {"25": 25, "50": 50, "100": 100}  # ?per_page= on the branch list


def _safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def branch_list(request):
    branch_filter = BranchFilter(
        request.GET or None, queryset=selectors.branch_list(request.user), user=request.user
    )
    size = PAGE_SIZES.get(request.GET.get("per_page"), PAGE_SIZE)
    page = Paginator(branch_filter.qs, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "branches/branch_list.html",
        {"page": page, "filter": branch_filter, "query": query.urlencode()},
    )


def branch_detail(request, pk):
    branch = selectors.get_branch_for_user(request.user, pk)
    context = {
        "branch": branch,
        "timeline": timeline_for(branch),
        "panels": panels_for(branch, request.user),
        **selectors.branch_overview(branch),
    }
    return render(request, "branches/branch_detail.html", context)


def visit_detail(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    return render(
        request,
        "branches/visit_detail.html",
        {"visit": visit, "staff_met": visit.staff_met.all()},
    )


def visit_create(request, pk):
    branch = selectors.get_branch_for_user(request.user, pk)
    if request.method == "POST":
        form = VisitForm(request.POST, branch=branch)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.log_visit(
                    branch=branch,
                    manager=selectors.default_visit_manager(request.user, branch),
                    purposes=data["purposes"],
                    visited_at=data["visited_at"],
                    staff_met=data["staff_met"],
                    summary=data["summary"],
                    next_steps=data["next_steps"],
                    next_visit_on=data["next_visit_on"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Visit to %(branch)s saved.") % {"branch": branch})
                target = _safe_next(request, data["next"])
                return redirect(
                    target or reverse("branches:detail", args=[branch.pk]) + "#timeline"
                )
    else:
        wanted = [p for p in request.GET.getlist("purpose") if p in Visit.Purpose.values]
        form = VisitForm(
            branch=branch,
            initial={"purposes": wanted, "next": _safe_next(request, request.GET.get("next"))},
        )
    return render(request, "branches/visit_form.html", {"branch": branch, "form": form})


def _branch_form(request, pk, form_class, save, title):
    """One small form about a branch: parse, hand to a service, back to the branch page."""
    branch = selectors.get_branch_for_user(request.user, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(branch, form.cleaned_data, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("branches:detail", pk=branch.pk)
    return render(
        request, "branches/branch_form.html", {"branch": branch, "form": form, "title": title}
    )


def deposit_create(request, pk):
    return _branch_form(
        request,
        pk,
        DepositForm,
        lambda branch, data, user: services.record_deposits(
            branch=branch, recorded_by=user, **data
        ),
        _("Deposit scale"),
    )


def target_create(request, pk):
    return _branch_form(
        request,
        pk,
        PlanTargetForm,
        lambda branch, data, user: services.set_plan_target(branch=branch, **data),
        _("Plan target"),
    )


def competitor_create(request, pk):
    return _branch_form(
        request,
        pk,
        CompetitorForm,
        lambda branch, data, user: services.record_competitor(
            branch=branch, recorded_by=user, **data
        ),
        _("Competitor observation"),
    )


def event_create(request, pk):
    return _branch_form(
        request,
        pk,
        EventForm,
        lambda branch, data, user: services.report_event(branch=branch, reported_by=user, **data),
        _("Abnormal event"),
    )


def branch_edit(request, pk):
    branch = selectors.get_branch_for_user(request.user, pk)
    form = BranchDetailsForm(request.POST or None, instance=branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_branch_details(branch=branch, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("branches:detail", pk=branch.pk)
    return render(
        request,
        "branches/branch_form.html",
        {"branch": branch, "form": form, "title": _("Branch details")},
    )
