"""Reactions to other apps' signals."""

from duties.services import record_visit_duties


def tick_checklist_for_visit(sender, visit, **kwargs):
    # Runs inside log_visit's transaction: the tick and the day's attendance commit or roll
    # back with the visit.
    record_visit_duties(visit=visit)
