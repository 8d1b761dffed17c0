from django.apps import AppConfig
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
