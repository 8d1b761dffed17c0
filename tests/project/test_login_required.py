"""Every page needs a login, except the few reviewed exceptions."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Reviewed: these answer without a login on purpose.
PUBLIC = {
    "login",
    "set_language",
    "healthz",
    "password_reset",
    # Token-authenticated: a phone calendar has no session; the secret token in the address is
    # the credential, and a wrong or rotated token answers 404 (tests/reminders/test_calendar*).
    "calendar_feed",
    # The installable app: the browser fetches the manifest and the service worker without
    # cookies, and the offline page is kept by the service worker; none holds personal data
    # (tests/offline/test_install.py).
    "manifest",
    "service_worker",
    "favicon",
    "offline_page",
}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            child_namespace = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), child_namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name, namespace


def _example_path(route):
    """Turn a route into a concrete path: <int:pk> -> 1, <str:x> -> x, regex groups -> 1."""
    import re

    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<(?:str|slug):[^>]+>", "x", path)
    path = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000001", path)
    path = re.sub(r"<path:[^>]+>", "x", path)
    path = re.sub(r"<[^>]+>", "x", path)
    # Admin uses regexes such as ^(?P<app_label>auth)/$.
    path = re.sub(r"\(\?P<[^>]+>([^)]*)\)", lambda m: m.group(1).split("|")[0], path)
    path = path.replace("^", "").replace("$", "").replace("\\", "")
    path = re.sub(r"\.\*|\.\+|\[[^\]]*\][*+]?|\?", "", path)
    return "/" + path


def _routes():
    seen = set()
    for route, name, namespace in _walk(get_resolver().url_patterns):
        if name in PUBLIC or route.startswith("static/") or route.startswith("media/"):
            continue
        path = _example_path(route)
        if path not in seen:
            seen.add(path)
            yield path, namespace


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "namespace"), list(_routes()))
def test_it_sends_anonymous_users_to_login(client, path, namespace):
    response = client.get(path)
    if namespace == "admin":
        # The admin's own pages go to the admin login, the models' pages to the site's login
        # (it sends the visitor back afterwards); either way nothing is shown.
        assert response.status_code == 302, path
        assert response["Location"].startswith(("/admin/login/", "/accounts/login/")), path
        return
    assert response.status_code == 302, path
    assert response["Location"].startswith("/accounts/login/"), path


def test_it_lets_anyone_reach_the_login_page(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
