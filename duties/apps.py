from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from config.navigation import NavItem
from grading.access import is_supervisor, manager_profile


def _is_manager(user):
    return manager_profile(user) is not None


def _oversees(user):
    return user.is_superuser or is_supervisor(user)


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("Duties (职责清单)")
    nav_items = (
        NavItem(_("Checklist"), "duties:today", order=20),
        NavItem(_("Trainings"), "duties:training_list", order=22),
        NavItem(_("Briefings"), "duties:coverage", order=24),
        NavItem(_("Attendance"), "duties:attendance", order=26, visible=_is_manager),
        NavItem(_("Team duties"), "duties:team_week", order=28, visible=_oversees),
    )

    def ready(self):
        from branches.panels import register_panel
        from branches.signals import visit_logged
        from branches.timeline import register

        from . import panels, receivers, timeline

        visit_logged.connect(receivers.tick_checklist_for_visit, dispatch_uid="duties_visit")
        register(timeline.trainings)
        register_panel(panels.BRIEFINGS_PANEL)
