from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.access import manager_profile, sees_team
from core.navigation import NavItem


def _is_manager(user):
    return manager_profile(user) is not None


def _sees_team_only(user):
    return sees_team(user) and manager_profile(user) is None


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("Duties")
    nav_items = (
        NavItem(_("Checklist"), "duties:today", order=20),
        NavItem(_("Trainings"), "duties:training_list", order=22),
        NavItem(_("Briefings"), "duties:coverage", order=24),
        NavItem(_("Attendance"), "duties:attendance", order=26, visible=_is_manager),
        NavItem(
            _("Team attendance"), "duties:attendance_summary", order=27, visible=_sees_team_only
        ),
        NavItem(_("Team duties"), "duties:team_week", order=28, visible=sees_team),
    )

    def ready(self):
        from branches.panels import register_panel
        from branches.signals import visit_logged
        from branches.timeline import register

        from . import panels, receivers, timeline

        visit_logged.connect(receivers.tick_checklist_for_visit, dispatch_uid="duties_visit")
        register(timeline.trainings)
        register_panel(panels.BRIEFINGS_PANEL)
