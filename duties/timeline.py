"""Trainings on each branch's timeline (registered in DutiesConfig.ready)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.page_reads import register_read, rows
from branches.timeline import TimelineEntry
from core.lists import join_list
from core.names import name_fields


def _trainings(branch, limit):
    from duties.models import TrainingSession

    return (
        TrainingSession.objects.filter(branches=branch)
        .select_related("manager__user")
        # Only what an entry shows (34 columns of training, manager and user to 10).
        .only(
            "created_at",
            "held_on",
            "kind",
            "topics",
            "head_count",
            "feedback",
            *name_fields("manager__user"),
        )
        .order_by("-held_on", "-pk")[:limit]
    )


register_read("duties.trainings", _trainings)


def trainings(branch, limit):
    for training in rows(branch, "duties.trainings", limit=limit):
        # A training has a day, not a time. Recorded that same day, the moment it was recorded
        # is the best guess; recorded later, noon of its day (midnight read as "00:00").
        recorded = timezone.localtime(training.created_at) if training.created_at else None
        if recorded is not None and recorded.date() == training.held_on:
            when = recorded
        else:
            when = timezone.make_aware(
                datetime.datetime.combine(training.held_on, datetime.time(12))
            )
        yield TimelineEntry(
            when=when,
            kind="training",
            title=_("Training") + ": " + join_list(training.get_topics_display()),
            summary=f"{training.get_kind_display()} · {training.head_count} "
            + _("people")
            + (f" · {training.feedback}" if training.feedback else ""),
            url=reverse("duties:training_detail", args=[training.pk]),
            actor=training.manager.display_name,
        )
