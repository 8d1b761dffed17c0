from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem


class ServiceConfig(AppConfig):
    name = "service"
    verbose_name = _("Customer service")
    nav_items = (NavItem(_("Cases"), "service:list", order=40),)

    def ready(self):
        from branches.panels import register_panel
        from branches.timeline import register
        from service.branch_page import PANEL, case_status_changes

        register_panel(PANEL)
        register(case_status_changes)
