"""The calendar feed (token only, for phone calendars) and the page that shows its address."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from reminders import selectors, services
from reminders.calendar import build_calendar, get_feed_owner


# Reviewed exception: a phone calendar has no session, so the secret token in the address is
# the only credential; an unknown or rotated token answers 404.
@login_not_required
@never_cache
@require_GET
def calendar_feed(request, token):
    user = get_feed_owner(token)
    response = HttpResponse(build_calendar(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="branchdesk.ics"'
    return response


def calendar_page(request):
    user = selectors.get_reminder_user(request.user)
    feed = services.calendar_feed_for(user=user)
    # The configured public address, not the request's host: the phone keeps this URL for good.
    address = settings.SITE_URL + reverse("reminders:calendar_feed", args=[feed.token])
    return render(request, "reminders/calendar.html", {"feed": feed, "address": address})


@require_POST
def calendar_rotate(request):
    user = selectors.get_reminder_user(request.user)
    services.rotate_calendar_token(user=user)
    messages.success(request, _("Your calendar has a new address. The old one no longer works."))
    return redirect("reminders:calendar")
