"""A branch's timeline: everything that happened there, newest first.

Apps add their own entries without touching this one: each registers a provider, a
function ``provider(branch, limit) -> iterable of TimelineEntry`` that runs one query.
Register from the app's ``AppConfig.ready``::

    from branches.timeline import register

    @register
    def trainings(branch, limit): ...
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.page_reads import register_read, rows
from core.lists import join_list
from core.names import full_name, name_fields

_providers = []


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str  # a short key used for the icon and the filter: "visit", "training", ...
    title: str
    summary: str = ""
    url: str = ""
    actor: str = ""
    # Small images shown under the entry: ((url, alt text), ...), e.g. photo thumbnails.
    thumbnails: tuple = ()


def register(provider):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def timeline_for(branch, limit=50):
    """The newest ``limit`` entries from every registered provider, merged by time."""
    entries = [entry for provider in _providers for entry in provider(branch, limit)]
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def _visits(branch, limit):
    from branches.models import Visit

    # Only what an entry shows: a visit's and its manager's other columns (39 in all) cost
    # compiling, planning and reading on every branch page.
    return (
        Visit.objects.filter(branch=branch)
        .select_related("manager__user")
        .only("visited_at", "purposes", "summary", *name_fields("manager__user"))
        .order_by("-visited_at")[:limit]
    )


register_read("branches.timeline_visits", _visits)


@register
def visits(branch, limit):
    for visit in rows(branch, "branches.timeline_visits", limit=limit):
        yield TimelineEntry(
            when=visit.visited_at,
            kind="visit",
            title=str(_("Visit")) + ": " + join_list(visit.get_purposes_display()),
            summary=visit.summary,
            url=reverse("branches:visit_detail", args=[visit.pk]),
            actor=visit.manager.display_name,
        )


@register
def abnormal_events(branch, limit):
    from branches.selectors import recent_events

    for event in recent_events(branch, limit):
        # Events carry a day, not a time: place them at noon so a visit that morning
        # and one that evening sort around them sensibly.
        when = timezone.make_aware(
            datetime.combine(event.occurred_on, datetime.min.time().replace(hour=12))
        )
        url = reverse("branches:event_detail", args=[event.pk])
        yield TimelineEntry(
            when=when,
            kind="event",
            title=str(_("Abnormal event")) + ": " + str(event.get_category_display()),
            summary=event.description,
            url=url,
            actor=full_name(event.reported_by),
        )
        # The company's answer is an entry of its own, on the day it was given.
        if event.company_response and event.responded_at:
            yield TimelineEntry(
                when=event.responded_at,
                kind="event_response",
                title=str(_("Company response")) + ": " + str(event.get_category_display()),
                summary=event.company_response,
                url=url,
                actor=full_name(event.responded_by) if event.responded_by else "",
            )
