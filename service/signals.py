"""Signals of the service app, for the apps above it.

``case_handed_over(sender=Case, case, event)``: sent inside the hand-over's transaction;
``event`` is the CaseEvent of the hand-over, whose ``department`` says who is told (reminders).
A receiver that writes to the outbox with the event in its dedupe key tells each hand-over once.

``case_resolved(sender=Case, case, outcome, user)``: sent inside the resolving transaction, after
the case is saved as resolved; ``outcome`` is the surrender/cancellation outcome code ("" for
other kinds). A receiver that raises rolls the resolution back (sales cancels the policy).
"""

from django.dispatch import Signal

case_handed_over = Signal()
case_resolved = Signal()
