"""Pages of the work log: parse, call a service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import own_profile_or_404
from core.dates import parse_day
from worklog import selectors, services
from worklog.forms import WorkLogForm, add_service_errors
from worklog.providers import entries_for


def today(request):
    """The signed-in manager's log of a day (today unless ?date=)."""
    profile = own_profile_or_404(request.user)
    day = min(parse_day(request.GET.get("date"), timezone.localdate()), timezone.localdate())
    if request.method == "POST":
        log, entries = selectors.log_of(profile, day), None  # the entries: only if invalid
    else:  # the log and the day's records in one statement
        log, entries = selectors.log_and_entries(profile, day)
    if log is not None and log.is_submitted:
        return redirect("worklog:detail", pk=log.pk)
    initial = {"notes": log.notes, "tomorrow_plan": log.tomorrow_plan} if log else {}
    form = WorkLogForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = services.submit if "submit" in request.POST else services.save_draft
        try:
            saved = action(manager=profile, day=day, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if saved.is_submitted:
                messages.success(request, _("Work log submitted."))
                return redirect("worklog:detail", pk=saved.pk)
            messages.success(request, _("Draft saved."))
            return redirect(reverse("worklog:today") + f"?date={day.isoformat()}")
    zone = timezone.get_current_timezone()
    return render(
        request,
        "worklog/log_form.html",
        {
            "day": day,
            "entries": [
                e.as_json(zone) for e in (entries_for(profile, day) if entries is None else entries)
            ],
            "form": form,
        },
    )


def detail(request, pk):
    log = selectors.get_log_for_user(request.user, pk)
    return render(request, "worklog/log_detail.html", {"log": log})


def team(request):
    day = min(parse_day(request.GET.get("date"), timezone.localdate()), timezone.localdate())
    rows = selectors.team_day(request.user, day)
    return render(
        request,
        "worklog/team.html",
        {
            "day": day,
            "submitted": [(m, log) for m, log in rows if log and log.is_submitted],
            "missing": [m for m, log in rows if not (log and log.is_submitted)],
            "notes_preview": selectors.NOTES_PREVIEW,
        },
    )
