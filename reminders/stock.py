"""Stock alerts, fed by the documents app:

- ``documents.signals.stock_state_changed(sender=BranchStock, branch_stock, previous, current)``,
  sent after the stock movement commits, with states "ok", "low", "out" and "at_risk";
- ``documents.selectors.attention_items(manager=None, today=None)``: the items that are low,
  out or at risk (of one manager, or of all with None), each with ``.branch``, ``.item`` and
  ``.assessment.state`` / ``.assessment.days_of_cover``.

The episode bookkeeping lives here (:class:`~reminders.models.StockEpisode`), so one alert
goes out per branch, item and outage episode, however many movements happen meanwhile.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction

from core.dates import local_today
from documents import selectors as documents_selectors
from documents.signals import stock_state_changed
from reminders.models import ReminderKind, StockEpisode
from reminders.services import PlannedReminder, queue_planned

BAD_STATES = frozenset(StockEpisode.State.values)
STATE_LABELS = dict(StockEpisode.State.choices)


def connect_signals():
    """Listen to documents' stock_state_changed (called from RemindersConfig.ready)."""

    stock_state_changed.connect(_on_stock_state_changed, dispatch_uid="reminders.stock_alerts")


def _on_stock_state_changed(sender, branch_stock, previous, current, **kwargs):
    record_state_change(branch_stock, previous, current)


@transaction.atomic
def record_state_change(branch_stock, previous, current, *, today=None, enqueue=True):
    """Open, update or close the item's episode; alert the manager when one opens.

    Rules: an episode opens on the first day the item is low, out or at risk and closes
    when it is back to "ok" (restocked above its threshold). Moving between bad states
    (low → out) stays in the same episode and sends nothing new. The alert's dedupe key is
    the branch stock and the episode's opening date, so a signal delivered twice, or an item
    restocked and emptied again on the same day, never sends a second alert that day.
    Returns the open episode, or None when the item is fine.
    """
    today = today or local_today()
    episode = (
        StockEpisode.objects.select_for_update()
        .filter(branch_stock_id=branch_stock.pk, closed_on__isnull=True)
        .first()
    )
    if current not in BAD_STATES:
        if episode is not None:
            episode.closed_on = today
            episode.save(update_fields=["closed_on"])
        return None
    opened = False
    if episode is None:
        try:
            with transaction.atomic():
                episode = StockEpisode.objects.create(
                    branch_stock_id=branch_stock.pk,
                    branch=branch_stock.branch,
                    item_name=str(branch_stock.item)[:120],
                    state=current,
                    opened_on=today,
                    out_since=today if current == StockEpisode.State.OUT else None,
                )
            opened = True
        except IntegrityError:  # another process opened it a moment ago
            episode = StockEpisode.objects.select_for_update().get(
                branch_stock_id=branch_stock.pk, closed_on__isnull=True
            )
    if not opened:
        episode.state = current
        if current != StockEpisode.State.OUT:
            episode.out_since = None
        elif episode.out_since is None:
            episode.out_since = today
        episode.save(update_fields=["state", "out_since"])
    if opened:
        queue_planned(planned_reminders=[plan_alert(episode, previous)], enqueue=enqueue)
    return episode


def plan_alert(episode, previous=None):
    manager = episode.branch.manager
    return PlannedReminder(
        kind=ReminderKind.STOCK_ALERT,
        recipient=manager.user,
        dedupe_key=f"stock_alert:{episode.branch_stock_id}:{episode.opened_on.isoformat()}",
        template="reminders/email/stock_alert",
        context={
            "episode": episode,
            "branch": episode.branch,
            "state_label": STATE_LABELS.get(episode.state, episode.state),
            "previous_label": STATE_LABELS.get(previous, ""),
        },
    )


def attention_by_manager(today):
    """{AccountManager: [row, ...]} of every item needing attention, in one documents call.

    ``attention_items(None, ...)`` covers all managers in constant queries. A row is a
    BranchStock with ``.assessment`` (state, days of cover).
    """

    grouped = defaultdict(list)
    for row in documents_selectors.attention_items(None, today=today):
        assessment = row.assessment
        grouped[row.branch.manager].append(
            {
                "branch": row.branch,
                "item": row.item,
                "state": assessment.state,
                "state_label": STATE_LABELS.get(assessment.state, assessment.state),
                "days_of_cover": assessment.days_of_cover,
            }
        )
    return grouped


def plan_digests(today):
    """One 08:00 digest per active manager who has items needing attention; none otherwise."""
    planned = []
    for manager, rows in sorted(attention_by_manager(today).items(), key=lambda i: i[0].pk):
        if not manager.is_active:
            continue
        planned.append(
            PlannedReminder(
                kind=ReminderKind.STOCK_DIGEST,
                recipient=manager.user,
                dedupe_key=f"stock_digest:{manager.user_id}:{today.isoformat()}",
                template="reminders/email/stock_digest",
                context={"manager": manager, "rows": rows, "today": today},
            )
        )
    return planned


def long_outages(today, days=None):
    """Open episodes of items out for more than ``days`` days, in one query."""
    days = settings.REMINDERS_OUT_OF_STOCK_ESCALATION_DAYS if days is None else days
    cutoff = today - datetime.timedelta(days=days)
    return (
        StockEpisode.objects.filter(
            closed_on__isnull=True,
            state=StockEpisode.State.OUT,
            out_since__lt=cutoff,
            branch__manager__supervisor__isnull=False,
        )
        .select_related(
            "branch__bank",
            "branch__manager__user",
            "branch__manager__supervisor__reminder_preference",
        )
        .order_by("out_since", "pk")
    )


def plan_escalations(today, days=None):
    """Copies to each supervisor of their team's items out for more than N days."""
    days = settings.REMINDERS_OUT_OF_STOCK_ESCALATION_DAYS if days is None else days
    by_supervisor = defaultdict(list)
    for episode in long_outages(today, days):
        by_supervisor[episode.branch.manager.supervisor].append(
            {"episode": episode, "days_out": (today - episode.out_since).days}
        )
    return [
        PlannedReminder(
            kind=ReminderKind.STOCK_ESCALATION,
            recipient=supervisor,
            dedupe_key=f"stock_escalation:{supervisor.pk}:{today.isoformat()}",
            template="reminders/email/stock_escalation",
            context={"rows": rows, "today": today, "days": days},
        )
        for supervisor, rows in sorted(by_supervisor.items(), key=lambda i: i[0].pk)
    ]


def plan_daily(today=None):
    today = today or local_today()
    return plan_digests(today) + plan_escalations(today)
