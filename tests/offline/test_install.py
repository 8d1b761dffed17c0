"""Installable: manifest, service worker at the root scope, favicon, CSP, the offline page."""

import json

import pytest


@pytest.mark.django_db
def test_the_manifest_names_the_app_in_the_language_asked_for(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["name"] == "网点通"
    assert body["display"] == "standalone"
    assert body["start_url"] == "/"
    assert body["theme_color"] == "#1d4ed8"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in body["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}

    english = json.loads(client.get("/manifest.webmanifest?lang=en").content)
    assert english["name"] == "Branchdesk"
    assert english["lang"] == "en"


@pytest.mark.django_db
def test_the_icons_are_pngs_of_their_stated_size(client):
    from django.contrib.staticfiles import finders
    from PIL import Image

    for name, size in [("icon-192.png", 192), ("icon-512.png", 512), ("maskable-512.png", 512)]:
        with Image.open(finders.find(f"icons/{name}")) as image:
            assert image.format == "PNG"
            assert image.size == (size, size)


@pytest.mark.django_db
def test_the_service_worker_comes_from_the_root_with_the_whole_site_as_scope(client):
    response = client.get("/sw.js?lang=en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    assert "/static/css/branchdesk.css" in script
    assert "/static/js/offline-store.js" in script


@pytest.mark.django_db
def test_the_csp_allows_our_worker_and_manifest_and_nothing_inline(manager_client):
    policy = manager_client.get("/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_the_favicon(manager_client, client):
    page = manager_client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest?lang=zh-hans">' in page
    assert 'rel="icon"' in page
    assert '<meta name="csrf-token"' in page
    assert client.get("/favicon.ico").status_code == 302


@pytest.mark.django_db
def test_the_offline_page_shows_nobody_s_data_and_may_be_kept(manager, branch, teller, client):
    # The service worker fetches it without cookies: it may be kept (revalidated).
    anonymous = client.get("/offline/?lang=en")
    assert anonymous.status_code == 200
    assert anonymous["Cache-Control"] == "no-cache"
    manager_client = client
    manager_client.force_login(manager.user)
    response = manager_client.get("/offline/?lang=en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Offline" in page and "离线" not in page
    # Rendered for nobody even when a user asks: no name, no branch, no staff.
    assert 'data-user=""' in page
    assert branch.name not in page and teller.name not in page
    assert 'data-offline-kind="visit"' in page and 'data-offline-kind="delivery"' in page
    assert "离线" in manager_client.get("/offline/").content.decode()


def test_every_file_of_the_app_shell_exists():
    """One missing file and the browser refuses to install the service worker at all."""
    from django.contrib.staticfiles import finders

    from offline.views import SHELL_FILES

    assert [name for name in SHELL_FILES if not finders.find(name)] == []
