"""`make screenshots`: the home, branch page, visit form and dashboard at 390 px, for review.

Written to $SCREENSHOT_DIR (var/screenshots with `make screenshots`); in the ordinary browser run
to a temporary folder, so the command keeps working.
"""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.world import build_world, open_as

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.django_db(transaction=True)
def test_it_screenshots_the_main_pages_on_a_phone(browser, live_server, tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    world = build_world()
    branch = world["branch"]
    shots = [
        ("manager", "home", reverse("home")),
        ("manager", "branch", reverse("branches:detail", args=[branch.pk])),
        ("manager", "visit-form", reverse("branches:visit_create", args=[branch.pk])),
        ("supervisor", "dashboard", reverse("desk:dashboard")),
    ]
    written = []
    for language in ("zh-hans", "en"):
        for role in ("manager", "supervisor"):
            context, page = open_as(browser, live_server, world[role], language=language, width=390)
            try:
                for who, name, url in shots:
                    if who != role:
                        continue
                    page.goto(f"{live_server.url}{url}")
                    page.wait_for_load_state("networkidle")
                    for screen, full in (("", False), ("-full", True)):
                        path = folder / f"{name}-{language}-390{screen}.png"
                        page.screenshot(path=str(path), full_page=full)
                        written.append(path)
            finally:
                context.close()
    assert len(written) == 16
    for path in written:
        assert path.read_bytes()[:8] == PNG_SIGNATURE, path
