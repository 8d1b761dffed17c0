"""The navigation bar, assembled from the apps.

Each app lists its menu entries as ``nav_items`` on its AppConfig, so a new app adds its
pages to the menu without editing the shell template.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


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


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            if item.visible is not None and not item.visible(user):
                continue
            url = _url(item.url_name)
            if url is None:
                continue
            items.append((item.order, str(item.label), url, request.path.startswith(url)))
    items.sort(key=lambda row: row[0])
    return {"nav_items": [{"label": i[1], "url": i[2], "active": i[3]} for i in items]}
