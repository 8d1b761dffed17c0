"""What a Mozilla Observatory scan grades: the login pages, a 404, production's HTTPS settings.

Every page the app serves is scanned by the URL walk (tests/security/test_url_walk.py runs
tests/security/page_checks.py on each 200 it gets, for every role); the checks here are the
pages and settings the walk does not reach.

Headers come from the test settings (which share base.py's security block); the HTTPS-only
parts (HSTS, Secure cookies, the redirect to HTTPS) are checked against the real
``config.settings.production`` values, read in a subprocess (tests/production.py, shared with
the other tests of the production settings) and applied to live requests.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tests import production
from tests.security.page_checks import never_cached, observatory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
LOGIN = "/accounts/login/"
# Production only differs from the tests in these knobs (see config/settings/production.py).
PRODUCTION_KNOBS = re.compile(r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|LANGUAGE_COOKIE_)")


@pytest.mark.parametrize("path", [LOGIN, "/admin/login/"])
def test_the_login_pages_pass_the_scan(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert observatory(response) == []


def test_a_signed_in_404_is_not_cached_either(manager_client):
    response = manager_client.get("/branches/999999/")
    assert response.status_code == 404
    assert never_cached(response) == []
    assert observatory(response) == []


@pytest.fixture(scope="module")
def production_knobs():
    """The security settings exactly as config.settings.production sets them."""
    values = production.read()["settings"]
    knobs = {name: value for name, value in values.items() if PRODUCTION_KNOBS.match(name)}
    knobs["SECURE_PROXY_SSL_HEADER"] = tuple(knobs["SECURE_PROXY_SSL_HEADER"])
    return knobs


def test_production_sends_hsts_for_a_year_with_subdomains_over_https(client, production_knobs):
    with override_settings(**production_knobs):
        response = client.get(LOGIN, secure=True)
    assert response.status_code == 200
    hsts = dict(
        (part.strip().split("=") + [True])[:2]
        for part in response["Strict-Transport-Security"].split(";")
    )
    assert int(hsts["max-age"]) >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts


def test_production_sends_plain_http_to_https(client, production_knobs):
    with override_settings(**production_knobs):
        response = client.get(LOGIN)
        behind_proxy = client.get(LOGIN, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    # TLS ends at the load balancer, which says so in X-Forwarded-Proto.
    assert behind_proxy.status_code == 200


def test_production_cookies_are_secure_httponly_and_same_site(client, production_knobs, manager):
    with override_settings(**production_knobs):
        login_page = client.get(LOGIN, secure=True)
        signed_in = client.post(
            LOGIN, {"username": manager.user.username, "password": "pw"}, secure=True
        )
        language = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    assert signed_in.status_code == 302
    cookies = {
        "csrftoken": login_page.cookies["csrftoken"],
        "sessionid": signed_in.cookies["sessionid"],
        "django_language": language.cookies["django_language"],
    }
    for name, cookie in cookies.items():
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] in {"Lax", "Strict"}, name
    # The absolute limit: the session cookie expires, it does not live as long as the browser.
    assert int(cookies["sessionid"]["max-age"]) <= 12 * 3600


def test_production_passes_the_deploy_check():
    # manage.py check --deploy --fail-level WARNING, run in the production settings' process.
    deploy_check = production.read()["deploy_check"]
    assert deploy_check["passed"], deploy_check["output"]


# --- Templates: nothing the Content Security Policy would have to allow ----------------------

TEMPLATES = sorted(
    path
    for pattern in ("templates/**/*.html", "*/templates/**/*.html")
    for path in ROOT.glob(pattern)
    if ".venv" not in path.parts
)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_the_template_scan_finds_the_apps_templates():
    assert len(TEMPLATES) >= 50
    assert ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL])
def test_the_scan_catches_what_it_looks_for(pattern):
    samples = [
        "<script>alert(1)</script>",
        '<button type="button" onclick="go()">',
        '<a href="javascript:go()">',
    ]
    assert any(pattern.search(sample) for sample in samples)
    assert not pattern.search('<script src="/static/app.js"></script><a href="/x" class="on">')


def test_no_template_has_inline_script_or_event_handlers():
    found = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
            found += [
                f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)
            ]
    assert not found, "\n".join(found)
