from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem


class SalesConfig(AppConfig):
    name = "sales"
    verbose_name = _("Sales results")
    nav_items = (NavItem(_("Customers"), "sales:customer_list", order=45),)

    def ready(self):
        # Registering: the branch-page panel and timeline, documents' form notes, service's
        # case links.
        from sales import branch_page, hooks  # noqa: F401
