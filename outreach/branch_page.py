"""What outreach adds elsewhere: branch timeline entries and photos of events."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.page_reads import register_read, rows
from branches.timeline import TimelineEntry
from outreach.models import OutreachEvent
from photos.registry import register_owner


def _events(branch, limit):
    from outreach.selectors import events_at_branch as read

    return read(branch, limit, evaluate=False)


register_read("outreach.events", _events)


def events_at_branch(branch, limit):
    for event in rows(branch, "outreach.events", limit=limit):
        title = event.get_kind_display()
        if event.place:
            title = f"{title} · {event.place}"
        yield TimelineEntry(
            when=event.starts,
            kind="outreach",
            title=title,
            summary=_("%(customers)s customers reached, %(leads)s leads")
            % {"customers": event.customers_reached, "leads": event.leads},
            url=reverse("outreach:detail", args=[event.pk]),
            actor=event.organiser.display_name,
        )


def _first_branch(event):
    # The photos of an event at several branches are filed under the first; off-site: none,
    # and the organiser's scope applies.
    branches = list(event.branches.all())
    return branches[0] if branches else None


def register_photos():
    register_owner(
        OutreachEvent,
        window=lambda event: (event.starts, event.ends),
        url=lambda pk: reverse("outreach:detail", args=[pk]),
        label=str,
        name=gettext_lazy("Consultation day or event"),
        branch=_first_branch,
        manager=lambda event: event.organiser,
    )
