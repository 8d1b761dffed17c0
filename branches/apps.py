from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Branches")
    nav_items = (NavItem(_("Branches"), "branches:list", order=10),)

    def ready(self):
        from . import timeline  # noqa: F401  registers the visit entries
        from .signals import connect_visit_days

        connect_visit_days()
