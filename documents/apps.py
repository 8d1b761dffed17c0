from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import NavItem


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Forms and materials")
    nav_items = (
        NavItem(_("Stock"), "documents:overview", order=30),
        NavItem(_("Form intake"), "documents:intake_list", order=31),
    )

    def ready(self):
        from documents import (
            branch_page,  # noqa: F401  registers the panel and timeline entries
            photo_owners,
        )

        photo_owners.register()
