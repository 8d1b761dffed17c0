from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.access import manager_profile
from core.navigation import NavItem


def _is_manager(user):
    return manager_profile(user) is not None


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Grading")
    nav_items = (NavItem(_("My level"), "grading:my_level", order=80, visible=_is_manager),)

    def ready(self):
        from grading import receivers  # noqa: F401  every new manager gets a current level
