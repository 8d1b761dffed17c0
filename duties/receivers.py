"""Reactions to other apps' signals."""

from duties.services import tick_for_visit


def tick_checklist_for_visit(sender, visit, **kwargs):
    # Runs inside log_visit's transaction: the tick commits or rolls back with the visit.
    tick_for_visit(visit=visit)
