"""The day's consultation days and events in the organiser's work log (worklog.providers)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import OutreachEvent
from worklog.providers import LogEntry, Prepared


def _event_reads(v):
    # Indexed: organiser, held_on. Read in the log page's one prepared statement.
    return [OutreachEvent.objects.filter(organiser=v.manager, held_on=v.day).order_by("starts_at")]


def _event_entries(rows, manager, day):
    (events_,) = rows
    for event in events_:
        yield LogEntry(
            when=timezone.make_aware(datetime.datetime.combine(day, event.starts_at)),
            kind="event",
            title=str(event),
            detail=_("Customers reached: %(customers)s, leads: %(leads)s")
            % {"customers": event.customers_reached, "leads": event.leads},
            url=reverse("outreach:detail", args=[event.pk]),
        )


# The events the manager organised that day.
events = Prepared("events", _event_reads, _event_entries)
