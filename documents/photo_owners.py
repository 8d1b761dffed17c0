"""Layout placements and intake batches carry photos (the poster on the wall, the signed forms).

Registered with photos from DocumentsConfig.ready; documents sits above photos in the layers.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import IntakeBatch, LayoutPlacement
from photos.registry import day_window, register_owner


def _placement_window(placement):
    # A poster may be photographed any day while it is up, to show it still is.
    start = day_window(placement.since)[0]
    if placement.removed_on:
        return start, day_window(placement.removed_on)[1]
    return start, timezone.now() + datetime.timedelta(days=1)


def register():
    register_owner(
        LayoutPlacement,
        window=_placement_window,
        url=lambda pk: reverse("photos:owner", args=["documents.layoutplacement", pk]),
        label=str,
        name=_("Layout placement"),
    )
    register_owner(
        IntakeBatch,
        window=lambda batch: (batch.collected_at, batch.collected_at),
        url=lambda pk: reverse("documents:intake_batch", args=[pk]),
        label=str,
        name=_("Collected forms"),
    )
