"""What a Mozilla Observatory scan grades, on every page a signed-in manager can open.

Headers come from the test settings (which share base.py's security block); the HTTPS-only
parts (HSTS, Secure cookies, the redirect to HTTPS) are checked against the real
``config.settings.production`` values, read in a subprocess and applied to live requests.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tests.security.test_url_walk import POST_ONLY, World

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
LOGIN = "/accounts/login/"
# Production only differs from the tests in these knobs (see config/settings/production.py).
PRODUCTION_KNOBS = re.compile(r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|LANGUAGE_COOKIE_)")


def _directives(response):
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _observatory_failures(response):
    """What the scan would mark down on one response (an empty list: full marks)."""
    failures = []
    csp = _directives(response)
    script_src = csp.get("script-src", csp.get("default-src", []))
    if {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"} & set(script_src):
        failures.append(f"script-src {script_src}")
    if csp.get("object-src") != ["'none'"]:
        failures.append(f"object-src {csp.get('object-src')}")
    if csp.get("frame-ancestors") != ["'none'"]:
        failures.append(f"frame-ancestors {csp.get('frame-ancestors')}")
    if csp.get("default-src") != ["'self'"]:
        failures.append(f"default-src {csp.get('default-src')}")
    if csp.get("base-uri") not in (["'self'"], ["'none'"]):
        failures.append(f"base-uri {csp.get('base-uri')}")
    if response.get("X-Frame-Options") != "DENY":
        failures.append(f"X-Frame-Options {response.get('X-Frame-Options')}")
    if response.get("X-Content-Type-Options") != "nosniff":
        failures.append("X-Content-Type-Options")
    if response.get("Referrer-Policy") not in {"same-origin", "strict-origin", "no-referrer"}:
        failures.append(f"Referrer-Policy {response.get('Referrer-Policy')}")
    if response.get("Cross-Origin-Opener-Policy") != "same-origin":
        failures.append("Cross-Origin-Opener-Policy")
    return failures


def test_every_page_a_manager_opens_passes_the_scan_and_is_never_cached(
    client, manager, other_manager, superuser
):
    world = World(manager, other_manager, superuser)
    client.force_login(manager.user)
    checked, failures = 0, []
    for name, url, _ownership in world.urls(world.mine):
        if name in POST_ONLY or url.startswith("/admin/"):
            continue
        response = client.get(url)
        if response.status_code != 200:
            continue
        checked += 1
        problems = _observatory_failures(response)
        # Every signed-in page shows personal data (names, phones, birthdays).
        cache = response.get("Cache-Control", "")
        if "no-store" not in cache or "private" not in cache:
            problems.append(f"Cache-Control {cache!r}")
        failures += [f"{url}: {problem}" for problem in problems]
    assert checked >= 40, checked  # the walk really reached the app's pages
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", [LOGIN, "/admin/login/"])
def test_the_login_pages_pass_the_scan(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert _observatory_failures(response) == []


def test_a_signed_in_404_is_not_cached_either(manager_client):
    response = manager_client.get("/branches/999999/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert _observatory_failures(response) == []


def _production_env(**extra):
    # Only what a production host would have: no test database, broker or async override.
    unwanted = {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="ci-only-" + "k" * 56,
        ALLOWED_HOSTS="branchdesk.example.com",
        **extra,
    )
    return env


@pytest.fixture(scope="module")
def production_knobs():
    """The security settings exactly as config.settings.production sets them."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        f"print(json.dumps({{k: getattr(s, k) for k in dir(s) if __import__('re').match("
        f"{PRODUCTION_KNOBS.pattern!r}, k)}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    knobs = json.loads(result.stdout.strip().splitlines()[-1])
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
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


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
