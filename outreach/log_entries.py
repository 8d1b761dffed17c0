"""The day's consultation days and events in the organiser's work log (worklog.providers)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import OutreachEvent
from worklog.providers import LogEntry


def events(manager, day):
    """One query: the events the manager organised that day (indexed: organiser, held_on)."""
    rows = OutreachEvent.objects.filter(organiser=manager, held_on=day).order_by("starts_at")
    for event in rows:
        yield LogEntry(
            when=timezone.make_aware(datetime.datetime.combine(day, event.starts_at)),
            kind="event",
            title=str(event),
            detail=_("Customers reached: %(customers)s, leads: %(leads)s")
            % {"customers": event.customers_reached, "leads": event.leads},
            url=reverse("outreach:detail", args=[event.pk]),
        )
