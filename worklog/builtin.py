"""The records of the apps below worklog that make up a day's log: one provider each.

Each is one query (cases two), on indexed columns: the visit's manager and time, the
stock movement's kind and time, the batch's collector, the case's opening time and the case
event's actor, the training's manager and day, the briefing delivery's manager.
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Visit
from core.dates import local_midnight
from core.lists import join_list
from documents.models import IntakeBatch, StockMovement
from duties.models import BriefingDelivery, TrainingSession
from service.models import Case, CaseEvent
from worklog.providers import LogEntry


def _day_span(day):
    return local_midnight(day), local_midnight(day + datetime.timedelta(days=1))


def visits(manager, day):
    start, end = _day_span(day)
    rows = Visit.objects.filter(
        manager=manager, visited_at__gte=start, visited_at__lt=end
    ).select_related("branch__bank")
    for visit in rows:
        detail = join_list(str(p) for p in visit.get_purposes_display())
        if visit.location_status:
            detail += " · " + str(visit.get_location_status_display())
            if visit.distance_m is not None:
                detail += " " + _("%(distance)s m") % {"distance": visit.distance_m}
        yield LogEntry(
            when=visit.visited_at,
            kind="visit",
            title=_("Visit to %(branch)s") % {"branch": f"{visit.branch.bank} {visit.branch.name}"},
            detail=detail,
            url=reverse("branches:visit_detail", args=[visit.pk]),
        )


def deliveries(manager, day):
    start, end = _day_span(day)
    rows = StockMovement.objects.filter(
        kind=StockMovement.Kind.DELIVERY,
        occurred_at__gte=start,
        occurred_at__lt=end,
        recorded_by_id=manager.user_id,
    ).select_related("branch_stock__branch", "branch_stock__item")
    for movement in rows:
        stock = movement.branch_stock
        yield LogEntry(
            when=movement.occurred_at,
            kind="delivery",
            title=_("Delivered %(item)s to %(branch)s")
            % {"item": stock.item.label, "branch": stock.branch.name},
            detail=_("Quantity: %(quantity)s") % {"quantity": movement.quantity},
        )


def intake(manager, day):
    start, end = _day_span(day)
    rows = IntakeBatch.objects.filter(
        collected_by_id=manager.user_id, collected_at__gte=start, collected_at__lt=end
    ).select_related("branch")
    for batch in rows:
        yield LogEntry(
            when=batch.collected_at,
            kind="intake",
            title=_("Collected application forms at %(branch)s") % {"branch": batch.branch.name},
            detail=batch.note,
            url=reverse("documents:intake_batch", args=[batch.pk]),
        )


def cases(manager, day):
    start, end = _day_span(day)
    opened = Case.objects.filter(
        created_by_id=manager.user_id, opened_at__gte=start, opened_at__lt=end
    ).select_related("branch")
    seen = set()
    for case in opened:
        seen.add(case.pk)
        yield LogEntry(
            when=case.opened_at,
            kind="case",
            title=_("Opened a case at %(branch)s") % {"branch": case.branch.name},
            detail=str(case.get_kind_display()),
            url=reverse("service:detail", args=[case.pk]),
        )
    events = (
        CaseEvent.objects.filter(
            actor_id=manager.user_id, created_at__gte=start, created_at__lt=end
        )
        .exclude(case_id__in=seen)
        .select_related("case__branch")
        .order_by("case_id", "created_at")
    )
    updated = {}
    for event in events:
        updated.setdefault(event.case_id, event)
    for event in updated.values():
        yield LogEntry(
            when=event.created_at,
            kind="case",
            title=_("Updated a case at %(branch)s") % {"branch": event.case.branch.name},
            detail=str(event.case.get_kind_display()),
            url=reverse("service:detail", args=[event.case_id]),
        )


def trainings(manager, day):
    for training in TrainingSession.objects.filter(manager=manager, held_on=day):
        yield LogEntry(
            when=None,
            kind="training",
            title=str(training.get_kind_display()),
            detail=_("%(minutes)s minutes, %(people)s people")
            % {"minutes": training.duration_minutes, "people": training.head_count},
            url=reverse("duties:training_detail", args=[training.pk]),
        )


def briefings(manager, day):
    start, end = _day_span(day)
    rows = BriefingDelivery.objects.filter(
        delivered_by=manager, delivered_at__gte=start, delivered_at__lt=end
    ).select_related("briefing", "branch")
    for delivery in rows:
        yield LogEntry(
            when=delivery.delivered_at,
            kind="briefing",
            title=_("Briefed %(branch)s: %(briefing)s")
            % {"branch": delivery.branch.name, "briefing": delivery.briefing.title},
            url=reverse("duties:briefing_detail", args=[delivery.briefing_id]),
        )


PROVIDERS = (visits, deliveries, intake, cases, trainings, briefings)
