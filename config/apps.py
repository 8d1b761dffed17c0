from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectConfig(AppConfig):
    """Holds the project-wide pieces: seed_demo, the shell templates' translations."""

    name = "config"
    label = "project"
    verbose_name = _("Branchdesk")

    def ready(self):
        from . import admin_widgets, lookups, security  # noqa: F401  security: login receivers

        lookups.register()
        admin_widgets.register()
