from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Pure helpers every app may use (dates, validators, names, forms, the admin mixin).

    An app only so its template tags and lookups are registered; it imports no other app.
    """

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import admin_widgets, lookups

        lookups.register()
        admin_widgets.register()


class BranchdeskAdminConfig(AdminConfig):
    """django.contrib.admin with the site of core.admin_site (its app list kept, not rebuilt
    on every page)."""

    default_site = "core.admin_site.BranchdeskAdminSite"
