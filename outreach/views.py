from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import manager_profile, own_profile_or_404
from core.forms import add_service_errors
from outreach import selectors, services
from outreach.forms import EventForm

PAGE_SIZE = 30


def event_list(request):
    page = Paginator(selectors.events_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "outreach/event_list.html",
        {"page": page, "can_record": manager_profile(request.user) is not None},
    )


def event_create(request):
    profile = own_profile_or_404(request.user)
    form = EventForm(
        request.POST if request.method == "POST" else None, manager=profile, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.record_event(
                organiser=profile,
                recorded_by=request.user,
                kind=data["kind"],
                held_on=data["held_on"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                branches=data["branches"],
                place=data["place"],
                staff=data["staff"],
                customers_reached=data["customers_reached"],
                leads=data["leads"],
                policies=data["policy_numbers"],
                notes=data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Event recorded: add its photos below."))
            return redirect("outreach:detail", pk=event.pk)
    return render(request, "outreach/event_form.html", {"form": form})


def event_detail(request, pk):
    event = selectors.get_event_for_user(request.user, pk)
    return render(request, "outreach/event_detail.html", {"event": event})
