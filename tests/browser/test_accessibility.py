"""axe-core over the main pages: a manager and a supervisor, both languages, phone and desktop.

No serious or critical violation anywhere (contrast, names, labels, landmarks, target sizes…).
axe-core comes vendored inside the axe-playwright-python package; nothing is downloaded.
"""

import pytest

from tests.browser.world import build_world, open_as

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def _violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} — "
        + ", ".join(str(node["target"]) for node in rule["nodes"][:4])
        for rule in results.response["violations"]
        if rule["impact"] in SERIOUS
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["manager", "supervisor"])
@pytest.mark.parametrize("width", [390, 1366])
def test_the_main_pages_have_no_serious_accessibility_violation(browser, live_server, role, width):
    world = build_world()
    found = []
    for language in ("zh-hans", "en"):
        context, page = open_as(browser, live_server, world[role], language=language, width=width)
        try:
            for name, url in world["pages"][role]:
                response = page.goto(f"{live_server.url}{url}")
                assert response.status == 200, (name, url)
                page.wait_for_load_state("networkidle")
                found += [f"{language} {width}px {name}: {v}" for v in _violations(page)]
        finally:
            context.close()
    assert not found, "\n".join(found)


@pytest.mark.django_db(transaction=True)
def test_axe_finds_what_it_should(browser, live_server):
    """The check can fail: a page with an unlabelled field and grey-on-grey text is caught."""
    world = build_world()
    context, page = open_as(browser, live_server, world["manager"], language="en", width=390)
    try:
        page.evaluate(
            """() => {
              const p = document.createElement('p');
              p.textContent = 'faint'; p.style.color = '#ddd'; p.style.background = '#fff';
              document.querySelector('main').append(p, document.createElement('input'));
            }"""
        )
        ids = " ".join(_violations(page))
        assert "color-contrast" in ids and "label" in ids
    finally:
        context.close()
