"""Pages of the duties app: parse, call a service or selector, render."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import is_supervisor, manager_profile, own_profile_or_404, sees_team
from branches.services import log_visit
from core.dates import month_bounds, parse_day, week_start
from core.validators import parse_id
from duties import selectors, services
from duties.forms import (
    CorrectionForm,
    DecisionForm,
    DeliveryForm,
    LogVisitForm,
    PunchForm,
    TickForm,
    TrainingForm,
    add_service_errors,
)
from duties.models import Attendance

# Checklists -------------------------------------------------------------------------


def _checklist_page(request, manager, day, *, own):
    # Only today is generated on demand: browsing ahead must not fill future weeks.
    if day == timezone.localdate():
        services.generate_checklist(manager=manager, day=day)
    items = list(selectors.checklist_for(manager, day))
    done = sum(item.done for item in items)
    sections = [
        (_("Today"), [item for item in items if item.date == item.due_on]),
        (_("This week"), [item for item in items if (item.due_on - item.date).days == 6]),
        (_("This month"), [item for item in items if (item.due_on - item.date).days > 6]),
    ]
    return render(
        request,
        "duties/checklist.html",
        {
            "manager": manager,
            "day": day,
            "today": timezone.localdate(),
            "items": items,
            "sections": [(label, rows) for label, rows in sections if rows],
            "done": done,
            "percent": round(100 * done / len(items)) if items else 0,
            "own": own,
            "tick_form": TickForm(),
        },
    )


def today(request):
    profile = manager_profile(request.user)
    if profile is None:
        # A supervisor has no checklist of their own: their page is the team's.
        return render(request, "duties/no_checklist.html")
    return _checklist_page(request, profile, timezone.localdate(), own=True)


def manager_day(request, pk):
    manager = selectors.get_manager_for_user(request.user, pk)
    day = parse_day(request.GET.get("date"), timezone.localdate())
    return _checklist_page(request, manager, day, own=manager.user_id == request.user.pk)


@require_POST
def tick(request, pk):
    item = selectors.get_own_item(request.user, pk)
    form = TickForm(request.POST)
    if form.is_valid():
        try:
            services.tick_item(item=item, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Ticked: %(task)s") % {"task": item.task})
    else:
        messages.error(request, " ".join(form.errors.get("note", [])))
    return redirect("duties:today")


def log_visit_for_item(request, pk):
    item = selectors.get_own_item(request.user, pk)
    form = LogVisitForm(
        request.POST if request.method == "POST" else None, manager=item.manager, item=item
    )
    if request.method == "POST" and form.is_valid():
        try:
            log_visit(
                branch=form.cleaned_data["branch"],
                manager=item.manager,
                purposes=form.cleaned_data["purposes"],
                summary=form.cleaned_data["summary"],
                next_visit_on=form.cleaned_data["next_visit_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Visit logged."))
            return redirect("duties:today")
    return render(request, "duties/log_visit.html", {"item": item, "form": form})


def my_week(request):
    profile = own_profile_or_404(request.user)
    monday = week_start(parse_day(request.GET.get("week"), timezone.localdate()))
    completion = selectors.weekly_completion([profile], monday)[profile.pk]
    return render(
        request,
        "duties/week.html",
        {
            "monday": monday,
            "completion": completion,
            "days": selectors.daily_completion(profile, monday),
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
        },
    )


def team_week(request):
    monday = week_start(parse_day(request.GET.get("week"), timezone.localdate()))
    managers = list(selectors.managers_for_user(request.user))
    completion = selectors.weekly_completion(managers, monday)
    rows = [(manager, completion[manager.pk]) for manager in managers]
    return render(
        request,
        "duties/team_week.html",
        {
            "monday": monday,
            "rows": rows,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
        },
    )


# Trainings --------------------------------------------------------------------------


def training_list(request):
    page = Paginator(selectors.trainings_for_user(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "duties/training_list.html",
        {"page": page, "can_record": manager_profile(request.user) is not None},
    )


def training_create(request):
    profile = own_profile_or_404(request.user)
    # Opened from a checklist item: that branch comes preselected (the form's queryset keeps
    # it to the manager's own branches whatever the query string says).
    branch = parse_id(request.GET.get("branch"))
    initial = {"branches": [branch]} if branch is not None else {}
    form = TrainingForm(
        request.POST if request.method == "POST" else None, manager=profile, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training = services.record_training(
                manager=profile,
                kind=data["kind"],
                trainer_kind=data["trainer_kind"],
                trainer_name=data["trainer_name"],
                branches=data["branches"],
                topics=data["topics"],
                held_on=data["held_on"],
                duration_minutes=data["duration_minutes"],
                attendees=data["attendees"],
                head_count=data["head_count"],
                feedback=data["feedback"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("duties:training_detail", pk=training.pk)
    return render(request, "duties/training_form.html", {"form": form})


def training_detail(request, pk):
    training = selectors.get_training_for_user(request.user, pk)
    return render(request, "duties/training_detail.html", {"training": training})


# Briefings --------------------------------------------------------------------------


def briefing_list(request):
    page = Paginator(selectors.briefings_list(), 30).get_page(request.GET.get("page"))
    return render(
        request, "duties/briefing_list.html", {"page": page, "today": timezone.localdate()}
    )


def briefing_detail(request, pk):
    briefing = selectors.get_briefing(pk)
    deliveries = selectors.deliveries_of(briefing, request.user)[:100]
    return render(
        request,
        "duties/briefing_detail.html",
        {
            "briefing": briefing,
            "deliveries": deliveries,
            "can_record": manager_profile(request.user) is not None,
        },
    )


def delivery_create(request, pk):
    briefing = selectors.get_briefing(pk)
    profile = own_profile_or_404(request.user)
    initial = {"branch": request.GET.get("branch")}
    form = DeliveryForm(
        request.POST if request.method == "POST" else None, manager=profile, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_delivery(
                briefing=briefing,
                branch=data["branch"],
                manager=profile,
                delivered_at=data["delivered_at"],
                staff_briefed=data["staff_briefed"],
                visit=data["visit"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Briefing delivery recorded."))
            return redirect("duties:briefing_detail", pk=briefing.pk)
    return render(request, "duties/delivery_form.html", {"briefing": briefing, "form": form})


def coverage(request):
    rows = selectors.briefing_coverage(request.user)
    return render(
        request,
        "duties/coverage.html",
        {"rows": rows, "can_record": manager_profile(request.user) is not None},
    )


# Attendance -------------------------------------------------------------------------


def attendance(request):
    """The manager's day: how it is recorded, the 打卡 button, the month and the requests."""
    profile = own_profile_or_404(request.user)
    day = timezone.localdate()
    form = PunchForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.punch(
                manager=profile,
                latitude=data["latitude"],
                longitude=data["longitude"],
                accuracy_m=data["accuracy"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Checked in at %(time)s.") % {"time": record.check_in_at.strftime("%H:%M")},
            )
        return redirect("duties:attendance")
    if form.errors:
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("duties:attendance")
    return render(
        request,
        "duties/attendance.html",
        {
            "form": form,
            "current": selectors.attendance_of(profile, day),
            "day": day,
            "month_days": selectors.attendance_days(profile, day),
            "corrections": selectors.corrections_for_user(request.user).filter(manager=profile)[
                :10
            ],
        },
    )


def correction_create(request):
    profile = own_profile_or_404(request.user)
    form = CorrectionForm(
        request.POST if request.method == "POST" else None,
        initial={"date": parse_day(request.GET.get("date"), timezone.localdate())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_correction(
                manager=profile, requested_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Correction requested; your supervisor will decide."))
            return redirect("duties:attendance")
    return render(request, "duties/correction_form.html", {"form": form})


def correction_list(request):
    rows = list(selectors.corrections_for_user(request.user)[:50])
    return render(
        request,
        "duties/correction_list.html",
        {
            "pending": [row for row in rows if row.state == row.State.PENDING],
            "decided": [row for row in rows if row.state != row.State.PENDING],
            "can_decide": sees_team(request.user),
            "decision_form": DecisionForm(),
        },
    )


@require_POST
def correction_decide(request, pk):
    correction = selectors.get_correction_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = "approve" in request.POST
    try:
        services.decide_correction(
            correction=correction, decided_by=request.user, approve=approve, note=note
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved.") if approve else _("Rejected."))
    return redirect("duties:correction_list")


def attendance_summary(request):
    month = parse_day(request.GET.get("month"), timezone.localdate()).replace(day=1)
    first, last = month_bounds(month)
    labels = dict(Attendance.Status.choices)
    return render(
        request,
        "duties/attendance_summary.html",
        {
            "month": month,
            "rows": selectors.monthly_attendance(request.user, month),
            "columns": [labels[status] for status in selectors.SUMMARY_STATUSES]
            + [_("Unverified")],
            "previous": (first - datetime.timedelta(days=1)).replace(day=1),
            "next": last + datetime.timedelta(days=1),
            "is_supervisor": is_supervisor(request.user),
        },
    )
