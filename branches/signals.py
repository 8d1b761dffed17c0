"""Signals other apps listen to, so they react to branch activity without this app knowing them.

``visit_logged(sender=Visit, visit=visit)`` is sent inside the transaction that saved the
visit: a receiver's writes (ticking a checklist item, say) commit or roll back with it.

``event_reported(sender=AbnormalEvent, event=event)`` when an abnormal event is reported, and
``event_escalated(sender=AbnormalEvent, event=event, head=user)`` when one past its response
time goes up a level: both inside the saving transaction (reminders queues the emails).
"""

from django.dispatch import Signal

visit_logged = Signal()
event_reported = Signal()
event_escalated = Signal()
