from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders (提醒)")
    nav_items = (NavItem(_("Reminders"), "reminders:preferences", order=90),)

    def ready(self):
        from reminders import stock

        # The documents app sends stock_state_changed; without it there is nothing to listen to.
        stock.connect_signals()
