"""The records of the apps below worklog that make up a day's log: one provider each.

Each is one query (cases two), on indexed columns: the visit's manager and time, the
stock movement's kind and time, the batch's collector, the case's opening time and the case
event's actor, the training's manager and day, the briefing delivery's manager. They are
``Prepared`` providers: the log page reads them all in one prepared statement, so each read
uses the day's values (``v.manager``, ``v.user``, ``v.day``, ``v.start``, ``v.end``) only as
filter values.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Visit
from core.links import id_urls
from core.lists import join_list, list_separator
from documents.models import IntakeBatch, StockMovement
from duties.models import BriefingDelivery, TrainingSession
from service.models import Case, CaseEvent
from worklog.providers import LogEntry, Prepared

_VISIT_COLUMNS = ("pk", "visited_at", "purposes", "location_status", "distance_m")
_VISIT_PLACE = ("branch__name", "branch__bank__short_name", "branch__bank__name")


def _visit_reads(v):
    # The columns an entry shows, not a visit, its branch and its bank as models: a busy
    # day's sixty visits were 180 model instances a page.
    return [
        Visit.objects.filter(
            manager=v.manager, visited_at__gte=v.start, visited_at__lt=v.end
        ).values_list(*_VISIT_COLUMNS, *_VISIT_PLACE)
    ]


def _visit_entries(rows, manager, day):
    # A manager's hundred visits a day: the labels and texts are made once per call, not
    # translated per visit; the URL's ends are reversed once per process (core.links).
    (visits_,) = rows
    purposes = {code: str(label) for code, label in Visit.Purpose.choices}
    places = {
        code: str(label) for code, label in Visit._meta.get_field("location_status").flatchoices
    }
    title, metres = _("Visit to %(branch)s"), _("%(distance)s m")
    separator, visit_url = list_separator(), id_urls("branches:visit_detail")
    for pk, visited_at, codes, status, distance, branch, bank_short, bank in visits_:
        detail = join_list((purposes.get(code, code) for code in codes), separator)
        if status:
            detail += " · " + str(places.get(status, status))
            if distance is not None:
                detail += " " + metres % {"distance": distance}
        yield LogEntry(
            when=visited_at,
            kind="visit",
            # The bank as Bank.__str__ gives it: its short name, or its name.
            title=title % {"branch": f"{bank_short or bank} {branch}"},
            detail=detail,
            url=visit_url(pk),
        )


def _delivery_reads(v):
    return [
        StockMovement.objects.filter(
            kind=StockMovement.Kind.DELIVERY,
            occurred_at__gte=v.start,
            occurred_at__lt=v.end,
            recorded_by_id=v.user,
        ).select_related("branch_stock__branch", "branch_stock__item")
    ]


def _delivery_entries(rows, manager, day):
    (movements,) = rows
    for movement in movements:
        stock = movement.branch_stock
        yield LogEntry(
            when=movement.occurred_at,
            kind="delivery",
            title=_("Delivered %(item)s to %(branch)s")
            % {"item": stock.item.label, "branch": stock.branch.name},
            detail=_("Quantity: %(quantity)s") % {"quantity": movement.quantity},
        )


def _intake_reads(v):
    return [
        IntakeBatch.objects.filter(
            collected_by_id=v.user, collected_at__gte=v.start, collected_at__lt=v.end
        ).select_related("branch")
    ]


def _intake_entries(rows, manager, day):
    (batches,) = rows
    for batch in batches:
        yield LogEntry(
            when=batch.collected_at,
            kind="intake",
            title=_("Collected application forms at %(branch)s") % {"branch": batch.branch.name},
            detail=batch.note,
            url=reverse("documents:intake_batch", args=[batch.pk]),
        )


def _case_reads(v):
    opened = Case.objects.filter(created_by_id=v.user, opened_at__gte=v.start, opened_at__lt=v.end)
    # Events of the cases opened that day are left out (the opening says it all): a
    # subquery of those cases, exactly the ids of the first read.
    events = (
        CaseEvent.objects.filter(actor_id=v.user, created_at__gte=v.start, created_at__lt=v.end)
        .exclude(case_id__in=opened.values("pk"))
        .select_related("case__branch")
        .order_by("case_id", "created_at")
    )
    return [opened.select_related("branch"), events]


def _case_entries(rows, manager, day):
    opened, events = rows
    for case in opened:
        yield LogEntry(
            when=case.opened_at,
            kind="case",
            title=_("Opened a case at %(branch)s") % {"branch": case.branch.name},
            detail=str(case.get_kind_display()),
            url=reverse("service:detail", args=[case.pk]),
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


def _training_reads(v):
    return [TrainingSession.objects.filter(manager=v.manager, held_on=v.day)]


def _training_entries(rows, manager, day):
    (trainings_,) = rows
    for training in trainings_:
        yield LogEntry(
            when=None,
            kind="training",
            title=str(training.get_kind_display()),
            detail=_("%(minutes)s minutes, %(people)s people")
            % {"minutes": training.duration_minutes, "people": training.head_count},
            url=reverse("duties:training_detail", args=[training.pk]),
        )


def _briefing_reads(v):
    return [
        BriefingDelivery.objects.filter(
            delivered_by=v.manager, delivered_at__gte=v.start, delivered_at__lt=v.end
        ).select_related("briefing", "branch")
    ]


def _briefing_entries(rows, manager, day):
    (deliveries_,) = rows
    for delivery in deliveries_:
        yield LogEntry(
            when=delivery.delivered_at,
            kind="briefing",
            title=_("Briefed %(branch)s: %(briefing)s")
            % {"branch": delivery.branch.name, "briefing": delivery.briefing.title},
            url=reverse("duties:briefing_detail", args=[delivery.briefing_id]),
        )


visits = Prepared("visits", _visit_reads, _visit_entries)
deliveries = Prepared("deliveries", _delivery_reads, _delivery_entries)
intake = Prepared("intake", _intake_reads, _intake_entries)
cases = Prepared("cases", _case_reads, _case_entries)
trainings = Prepared("trainings", _training_reads, _training_entries)
briefings = Prepared("briefings", _briefing_reads, _briefing_entries)

PROVIDERS = (visits, deliveries, intake, cases, trainings, briefings)
