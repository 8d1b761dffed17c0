from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.access import manager_profile, sees_team
from core.navigation import NavItem


def _is_manager(user):
    return manager_profile(user) is not None


def _sees_team_only(user):
    return sees_team(user) and manager_profile(user) is None


class WorklogConfig(AppConfig):
    name = "worklog"
    verbose_name = _("Work log")
    nav_items = (
        NavItem(_("Work log"), "worklog:today", order=25, visible=_is_manager),
        NavItem(_("Team work logs"), "worklog:team", order=29, visible=_sees_team_only),
    )

    def ready(self):
        from worklog import builtin, providers

        for provider in builtin.PROVIDERS:
            providers.register(provider)
