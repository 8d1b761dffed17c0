from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectConfig(AppConfig):
    """Holds the project-wide pieces: seed_demo, the shell templates' translations."""

    name = "config"
    label = "project"
    verbose_name = _("Branchdesk")

    def ready(self):
        from . import lookups, security  # noqa: F401  security connects the login receivers

        lookups.register()
