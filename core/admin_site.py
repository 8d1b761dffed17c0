"""The admin site: Django's, with the list of apps and models kept instead of rebuilt.

Every admin page builds that list for its sidebar: some sixty models, each asked four
permissions and two URLs, then sorted by translated name — about a third of the time of a
change form. The list depends only on what the user may do (their active/staff/superuser flags
and their permissions), the language and the URL prefix, so it is kept per combination of
those rather than per user: every supervisor with the same permissions shares one entry, and a
change of permissions is a different key, so there is nothing to invalidate.
"""

from django.contrib.admin import AdminSite
from django.urls import get_script_prefix
from django.utils import translation

# Distinct permission sets are few (the roles' groups, plus the odd user granted more): far
# below this, which only bounds the memory a pathological set of users could take.
MAX_KEPT_LISTS = 256


def _who_may_what(user):
    """What the app list depends on about the user; the permissions are those the admin's own
    checks read (ModelBackend caches them on the user for the request, so nothing is queried
    twice)."""
    flags = (user.is_active, user.is_staff, user.is_superuser)
    if user.is_superuser and user.is_active:
        return flags  # a superuser may do everything: no need to read the permissions
    return (*flags, frozenset(user.get_all_permissions()))


def _frozen(app_list):
    """The list with its translated names resolved (the key names the language)."""
    return [
        {
            **app,
            "name": str(app["name"]),
            "models": [{**model, "name": str(model["name"])} for model in app["models"]],
        }
        for app in app_list
    ]


def _copy(app_list):
    # Callers and templates may change what they are given; the kept list stays as built.
    return [{**app, "models": [dict(model) for model in app["models"]]} for app in app_list]


class BranchdeskAdminSite(AdminSite):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept_app_lists = {}

    def get_app_list(self, request, app_label=None):
        key = (
            _who_may_what(request.user),
            app_label,
            translation.get_language(),
            get_script_prefix(),
        )
        app_list = self._kept_app_lists.get(key)
        if app_list is None:
            app_list = _frozen(super().get_app_list(request, app_label))
            if len(self._kept_app_lists) >= MAX_KEPT_LISTS:
                self._kept_app_lists.clear()
            self._kept_app_lists[key] = app_list
        return _copy(app_list)
