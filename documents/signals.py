"""Signals other apps (reminders) listen to.

``stock_state_changed(sender=BranchStock, branch_stock=, previous=, current=)`` is sent after
the transaction that recorded a movement commits, when that movement moved the branch item
from one state ("ok", "low", "out", "at_risk") to another. ``previous`` and ``current`` are
the state strings of ``documents.selectors.StockState``.
"""

from django.dispatch import Signal

stock_state_changed = Signal()
