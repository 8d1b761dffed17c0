from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Managers, roles and the one scoping rule: the bottom domain app every other app uses."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts import security  # noqa: F401  connects the login receivers
