"""Signals other apps listen to, so they react to branch activity without this app knowing them.

``visit_logged(sender=Visit, visit=visit)`` is sent inside the transaction that saved the
visit: a receiver's writes (ticking a checklist item, say) commit or roll back with it.
"""

from django.dispatch import Signal

visit_logged = Signal()
