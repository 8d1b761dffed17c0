"""What photos adds to branches' pages: its owners, the panels and the timeline entries."""

from itertools import groupby

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from branches.models import AbnormalEvent, Visit
from branches.page_reads import prefetched, register_read, rows
from branches.panels import Panel
from branches.selectors import recent_events
from branches.submissions import VisitAttachment
from branches.timeline import TimelineEntry
from photos.registry import day_window, owner_type_for, owner_types, register_owner
from photos.selectors import recent_at_branch
from photos.services import add_photos

BRANCH_PANEL_PHOTOS = 8
# The timeline reads this many photos per entry it may show; the panel shows the newest of them.
PHOTOS_PER_ENTRY = 4


def _recent(branch, limit):
    return recent_at_branch(branch, limit * PHOTOS_PER_ENTRY, evaluate=False)


def recent_photos(branch, limit):
    """The branch's newest ``limit * PHOTOS_PER_ENTRY`` photos: the page reads them once."""
    return rows(branch, "photos.recent", limit=limit)


register_read("photos.recent", _recent)
VISIT_PHOTOS_FIELD = "photos"


def register_branch_owners():
    register_owner(
        Visit,
        window=lambda visit: (visit.visited_at, visit.visited_at),
        url=lambda pk: reverse("branches:visit_detail", args=[pk]),
        label=str,
        name=gettext_lazy("Visit"),
        # The check-in's distance to the branch (None: no position, or no branch coordinates).
        distance=lambda visit: visit.distance_m,
    )
    register_owner(
        AbnormalEvent,
        window=lambda event: day_window(event.occurred_on),
        url=lambda pk: reverse("photos:owner", args=["branches.abnormalevent", pk]),
        label=str,
        name=gettext_lazy("Abnormal event"),
    )


def branch_panel_context(branch, user):
    # The branch page is already scoped to the user: its photos need no second check.
    # The same rows the timeline and the overview read (cached on the branch for the request).
    open_events = [
        event for event in recent_events(branch, 50) if event.status != AbnormalEvent.Status.CLOSED
    ][:3]
    # On the branch page the timeline's photos are read already: the newest of them.
    timeline_photos = prefetched(branch, "photos.recent")
    photos = (
        timeline_photos[1][:BRANCH_PANEL_PHOTOS]
        if timeline_photos is not None
        else recent_at_branch(branch, BRANCH_PANEL_PHOTOS)
    )
    return {"photos": photos, "open_events": open_events}


def attach_to_visit(*, visit, files, user):
    """Photos chosen in the visit form (on the page, or queued offline and synced): the same
    checks and cleaning as any upload (photos.services.add_photos); a bad one refuses them all,
    and the visit with them."""
    add_photos(owner_type=owner_type_for(Visit), owner=visit, files=files, taken_by=user)


VISIT_ATTACHMENT = VisitAttachment(
    field=VISIT_PHOTOS_FIELD, template="photos/_visit_form_photos.html", attach=attach_to_visit
)

BRANCH_PANEL = Panel(order=45, template="photos/_branch_panel.html", context=branch_panel_context)
VISIT_PANEL = Panel(order=10, template="photos/_visit_panel.html", context=lambda v, u: {})


def photo_entries(branch, limit):
    """One timeline entry per record that got photos, with up to six thumbnails."""
    photos = recent_photos(branch, limit)
    types = owner_types()
    keyed = sorted(photos, key=lambda p: (p.content_type_id, p.object_id, -p.pk))
    for (_ct, object_id), group in groupby(keyed, key=lambda p: (p.content_type_id, p.object_id)):
        group = list(group)
        owner_type = types.get(f"{group[0].content_type.app_label}.{group[0].content_type.model}")
        name = owner_type.name if owner_type else _("Record")
        yield TimelineEntry(
            when=max(photo.uploaded_at for photo in group),
            kind="photo",
            title=ngettext(
                "%(count)s photo: %(record)s", "%(count)s photos: %(record)s", len(group)
            )
            % {"count": len(group), "record": name},
            url=owner_type.url(object_id) if owner_type else "",
            thumbnails=tuple(
                (reverse("photos:thumbnail", args=[photo.pk]), _("Photo")) for photo in group[:6]
            ),
        )
