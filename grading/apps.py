from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem


def _is_manager(user):
    from grading.access import manager_profile

    return manager_profile(user) is not None


def _sees_dashboard(user):
    from grading.dashboard import may_see_dashboard

    return may_see_dashboard(user)


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Grading (四等十级)")
    nav_items = (
        NavItem(_("Team dashboard"), "grading:dashboard", order=5, visible=_sees_dashboard),
        NavItem(_("My level"), "grading:my_level", order=80, visible=_is_manager),
    )
