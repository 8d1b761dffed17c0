from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.access import sees_team
from branches import page_reads, selectors, services
from branches.forms import (
    BranchDetailsForm,
    BranchFilter,
    CheckinFilter,
    CompetitorForm,
    DepositForm,
    EventCloseForm,
    EventForm,
    EventOverviewFilter,
    EventReopenForm,
    EventResponseForm,
    PlanTargetForm,
    VisitCorrectionForm,
    VisitForm,
    add_service_errors,
    staff_met_choices,
)
from branches.models import Visit
from branches.panels import panels_for, visit_panels_for
from branches.submissions import submit_visit, visit_attachments
from branches.timeline import timeline_for
from core.paging import page_of, wanted_page
from core.redirects import safe_next

PAGE_SIZE = 25
PAGE_SIZES = {"25": 25, "50": 50, "100": 100}  # ?per_page= on the branch list


def branch_list(request):
    user = request.user
    size = PAGE_SIZES.get(request.GET.get("per_page"), PAGE_SIZE)
    number = request.GET.get("page")
    wanted = wanted_page(number)
    # The rows (filtered), the districts and the managers in one prepared statement, for
    # the filters asked for; the form checks them against the choices read with them.
    filters = BranchFilter.wanted_filters(request.GET, user)
    read = selectors.branch_list_reads(user, size, wanted, filters)
    branch_filter = BranchFilter(
        request.GET or None,
        queryset=selectors.branch_list(user),
        user=user,
        choices=read and read[1:],
    )
    rows = read and read[0]
    if read is not None:
        valid = branch_filter.prepared_filters()
        if valid != filters:
            # A value the form refuses (the page says why, and lists without it), or a
            # filter the prepared read does not take (None): the rows read again.
            again = valid is not None and selectors.branch_list_reads(user, size, wanted, valid)
            rows = again[0] if again else None
    # The page's rows and the count of all in one query (the count was a query of its own).
    page = page_of(lambda: branch_filter.qs, size, number, rows=rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "branches/branch_list.html",
        {"page": page, "filter": branch_filter, "query": query.urlencode()},
    )


def branch_detail(request, pk):
    branch = selectors.get_branch_for_user(request.user, pk)
    # Every panel's and timeline provider's reads in one statement (branches.page_reads).
    page_reads.prefetch(branch)
    context = {
        "branch": branch,
        "timeline": timeline_for(branch),
        "panels": panels_for(branch, request.user),
        **selectors.branch_overview(branch),
    }
    return render(request, "branches/branch_detail.html", context)


def visit_detail(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    own = visit.manager.user_id == request.user.pk
    labels = CORRECTABLE
    return render(
        request,
        "branches/visit_detail.html",
        {
            "visit": visit,
            "staff_met": visit.staff_met.all(),
            "panels": visit_panels_for(visit, request.user),
            "own": own,
            "can_edit": services.visit_edit_refusal(visit, request.user) is None,
            "changes": [
                (change, [(labels.get(row["field"], row["field"]), row) for row in change.changes])
                for change in visit.changes.select_related("changed_by")
            ],
            "can_confirm_position": (
                not own
                and sees_team(request.user)
                and visit.checkin_position is not None
                and visit.location_status != Visit.LocationStatus.OK
            ),
        },
    )


# The labels of the fields a correction may change, for the history on the visit page.
CORRECTABLE = {
    "purposes": gettext_lazy("Purposes"),
    "staff_met": gettext_lazy("Bank staff met"),
    "summary": gettext_lazy("Visit summary"),
    "next_steps": gettext_lazy("Next steps"),
    "next_visit_on": gettext_lazy("Next visit"),
}


def visit_edit(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    refusal = services.visit_edit_refusal(visit, request.user)
    if refusal:
        return render(
            request, "branches/visit_locked.html", {"visit": visit, "message": refusal}, status=403
        )
    form = VisitCorrectionForm(
        request.POST if request.method == "POST" else None,
        branch=visit.branch,
        initial={
            "purposes": visit.purposes,
            "staff_met": list(visit.staff_met.all()),
            "summary": visit.summary,
            "next_steps": visit.next_steps,
            "next_visit_on": visit.next_visit_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.correct_visit(
                visit=visit,
                user=request.user,
                purposes=data["purposes"],
                staff_met=data["staff_met"],
                summary=data["summary"],
                next_steps=data["next_steps"],
                next_visit_on=data["next_visit_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if change is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("Visit corrected."))
            return redirect("branches:visit_detail", pk=visit.pk)
    return render(request, "branches/visit_edit.html", {"visit": visit, "form": form})


@require_POST
def visit_check_out(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    try:
        services.check_out(visit=visit, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Checked out."))
    return redirect("branches:visit_detail", pk=visit.pk)


@require_POST
def confirm_position(request, pk):
    visit = selectors.get_visit_for_user(request.user, pk)
    try:
        services.confirm_branch_position(visit=visit, confirmed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The branch's coordinates are set from this check-in."))
    return redirect("branches:visit_detail", pk=visit.pk)


def checkin_list(request):
    """Check-ins for the supervisor: by default the flagged ones of the user's scope."""
    checkin_filter = CheckinFilter(
        request.GET, queryset=selectors.checkins_for_user(request.user), user=request.user
    )
    page = Paginator(checkin_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "branches/checkin_list.html",
        {"page": page, "filter": checkin_filter, "query": query.urlencode()},
    )


def visit_create(request, pk):
    if request.method != "POST":
        # The branch and its staff to choose from in one prepared statement (issue 22).
        branch, staff = selectors.get_branch_for_user_with(
            request.user, pk, "branches.visit_form", lambda branch: [staff_met_choices(branch)]
        )
        wanted = [p for p in request.GET.getlist("purpose") if p in Visit.Purpose.values]
        form = VisitForm(
            branch=branch,
            staff=staff,
            initial={"purposes": wanted, "next": safe_next(request, request.GET.get("next"))},
        )
        return _visit_form_page(request, branch, form)
    branch = selectors.get_branch_for_user(request.user, pk)
    visit, form = submit_visit(
        user=request.user, branch=branch, data=request.POST, files=request.FILES
    )
    if visit is not None:
        messages.success(request, _("Visit to %(branch)s saved.") % {"branch": branch})
        target = safe_next(request, form.cleaned_data["next"])
        return redirect(target or reverse("branches:detail", args=[branch.pk]) + "#timeline")
    return _visit_form_page(request, branch, form)


def _visit_form_page(request, branch, form):
    return render(
        request,
        "branches/visit_form.html",
        {"branch": branch, "form": form, "attachments": visit_attachments()},
    )


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


# The actions on an abnormal event: the form each one reads, and the service it calls.
EVENT_ACTIONS = {
    "acknowledge": (
        None,
        lambda event, user, data: services.acknowledge_event(event=event, user=user),
    ),
    "respond": (
        EventResponseForm,
        lambda event, user, data: services.respond_to_event(event=event, user=user, **data),
    ),
    "close": (
        EventCloseForm,
        lambda event, user, data: services.close_event(event=event, user=user, **data),
    ),
    "reopen": (
        EventReopenForm,
        lambda event, user, data: services.reopen_event(event=event, user=user, **data),
    ),
}


def _event_page(request, event, forms=None, status=200):
    may_handle = services.may_handle_event(request.user, event)
    forms = forms or {}
    context = {
        "event": event,
        "history": selectors.event_history(event),
        "may_handle": may_handle,
        "overdue": event.is_overdue(),
        "respond_form": forms.get("respond") or EventResponseForm(),
        "close_form": forms.get("close") or EventCloseForm(),
        "reopen_form": forms.get("reopen") or EventReopenForm(),
    }
    return render(request, "branches/event_detail.html", context, status=status)


def event_detail(request, pk):
    event = selectors.get_event_for_user(request.user, pk)
    return _event_page(request, event)


def event_action(request, pk, action):
    """POST only: one move of the event (acknowledge, respond, close, reopen)."""
    event = selectors.get_event_for_user(request.user, pk)
    if action not in EVENT_ACTIONS:
        raise Http404
    if request.method != "POST":
        return redirect("branches:event_detail", pk=event.pk)
    form_class, act = EVENT_ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _event_page(request, event, {action: form}, status=400)
    try:
        act(event, request.user, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
            return _event_page(request, event, {action: form}, status=400)
        for message in error.messages:
            messages.error(request, message)
        return redirect("branches:event_detail", pk=event.pk)
    messages.success(request, _("Saved."))
    return redirect("branches:event_detail", pk=event.pk)


def event_overview(request):
    """Open events across the user's branches, grouped by category, bank and age: a bank-wide
    change reported at three branches is one line. Supervisors and unit heads only."""
    if not sees_team(request.user):
        raise Http404
    form = EventOverviewFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = list(
        selectors.open_events(request.user, **{k: v for k, v in filters.items() if v})[
            : selectors.OPEN_EVENTS_LIMIT
        ]
    )
    return render(
        request,
        "branches/event_overview.html",
        {
            "form": form,
            "groups": selectors.group_open_events(events),
            "event_count": len(events),
            "truncated": len(events) >= selectors.OPEN_EVENTS_LIMIT,
        },
    )
