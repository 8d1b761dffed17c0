"""The navigation bar, assembled from the apps.

Each app lists its menu entries as ``nav_items`` on its AppConfig, so a new app adds its
pages to the menu without editing the shell template.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 50
    # None: everyone signed in; otherwise a predicate on the user (e.g. supervisors only).
    visible: object = None


# A menu entry's address depends only on the URLconf and the prefix the site is served under:
# reversed once per process, not on every page (a dozen reverse() calls a page).
_urls = {}


def _url(url_name):
    key = (get_urlconf(), get_script_prefix(), url_name)
    if key not in _urls:
        try:
            _urls[key] = reverse(url_name)
        except NoReverseMatch:
            _urls[key] = None
    return _urls[key]


_menus = {}


def _menu():
    """Every app's menu entries in menu order (apps in their order among equal orders), with
    their addresses and their labels in the active language: structure of the code and the
    catalogues, collected once per process (per set of apps and language)."""
    configs = tuple(apps.get_app_configs())
    key = (configs, get_urlconf(), get_script_prefix(), get_language())
    menu = _menus.get(key)
    if menu is None:
        entries = [item for config in configs for item in getattr(config, "nav_items", ())]
        entries.sort(key=lambda item: item.order)
        menu = _menus[key] = tuple(
            (item, url, str(item.label))
            for item in entries
            if (url := _url(item.url_name)) is not None
        )
    return menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "active": path.startswith(url)}
            for item, url, label in _menu()
            if item.visible is None or item.visible(user)
        ]
    }
