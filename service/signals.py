"""Signals of the service app, for apps above it.

``case_resolved(sender=Case, case, outcome, user)``: sent inside the resolving transaction, after
the case is saved as resolved; ``outcome`` is the surrender/cancellation outcome code ("" for
other kinds). A receiver that raises rolls the resolution back.
"""

from django.dispatch import Signal

case_resolved = Signal()
