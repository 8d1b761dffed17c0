"""Reactions to other apps' signals."""

from duties.services import attendance_from_visit, tick_for_visit


def tick_checklist_for_visit(sender, visit, **kwargs):
    # Runs inside log_visit's transaction: the tick and the day's attendance commit or roll
    # back with the visit.
    tick_for_visit(visit=visit)
    attendance_from_visit(visit=visit)
