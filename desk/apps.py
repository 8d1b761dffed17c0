from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.access import sees_team
from core.navigation import NavItem


class DeskConfig(AppConfig):
    """The top app: pages that compose many apps (home, planner, dashboard) and the seeds."""

    name = "desk"
    verbose_name = _("Branchdesk")
    nav_items = (NavItem(_("Team dashboard"), "desk:dashboard", order=5, visible=sees_team),)
