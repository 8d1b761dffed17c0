from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfflineConfig(AppConfig):
    """The installable app and offline mode: manifest, service worker, the signed-in
    manager's data for reading offline, and the sync of records queued on the phone.

    It sits above every domain app it writes to (branches, documents, duties) and below desk.
    """

    name = "offline"
    verbose_name = _("Offline mode")
    default_auto_field = "django.db.models.BigAutoField"
