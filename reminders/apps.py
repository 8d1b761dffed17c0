from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem


def _receives_reminders(user):
    from reminders.selectors import may_receive_reminders

    return may_receive_reminders(user)


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")
    nav_items = (
        NavItem(_("Reminders"), "reminders:preferences", order=90, visible=_receives_reminders),
    )

    def ready(self):
        from reminders import departments, events, stock

        # One alert per outage episode, from the documents app's stock_state_changed signal.
        stock.connect_signals()
        # The department a case is handed over to is told, from the service app's signal.
        departments.connect_signals()
        # The supervisor hears of each abnormal event; the unit above of each overdue one.
        events.connect_signals()
