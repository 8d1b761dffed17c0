from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Managers, roles and the one scoping rule: the bottom domain app every other app uses."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth import get_user_model

        from accounts import security  # noqa: F401  connects the login receivers
        from core.names import full_name

        # A login is not a name: wherever a user is printed (the admin's read-only "decided by",
        # every user dropdown, an object's history) people see 周敏, not "zhou".
        get_user_model().__str__ = full_name
