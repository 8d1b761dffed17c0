"""Signals of the service app, for the apps above it (reminders tells the department).

``case_handed_over``: sent inside the hand-over's transaction with ``case`` and ``event``
(the CaseEvent of the hand-over, whose ``department`` says who is told). A receiver that
writes to the outbox with the event in its dedupe key tells each hand-over once.
"""

from django.dispatch import Signal

case_handed_over = Signal()
