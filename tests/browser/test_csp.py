"""The CSP refuses inline style and script: the main pages must not need any.

The browser reports each refusal as a console error and a ``securitypolicyviolation`` event;
both are collected over the main pages of a manager and a supervisor.
"""

import pytest

from tests.browser.world import build_world, open_as

pytestmark = pytest.mark.browser

LISTEN = """() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["manager", "supervisor"])
def test_the_main_pages_break_no_content_security_rule(browser, live_server, role):
    world = build_world()
    context, page = open_as(browser, live_server, world[role], language="zh-hans", width=390)
    found = []
    page.on(
        "console",
        lambda message: found.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    context.add_init_script(f"({LISTEN})()")
    try:
        for name, url in world["pages"][role]:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, (name, url)
            page.wait_for_load_state("networkidle")
            found += [f"{name}: {v}" for v in page.evaluate("window.__cspViolations || []")]
    finally:
        context.close()
    assert not found, "\n".join(found)


@pytest.mark.django_db(transaction=True)
def test_the_check_sees_an_inline_style(browser, live_server):
    """The check can fail: an element given a style="" attribute is refused and reported."""
    world = build_world()
    context, page = open_as(browser, live_server, world["manager"], language="en", width=390)
    found = []
    page.on("console", lambda message: found.append(message.text))
    context.add_init_script(f"({LISTEN})()")
    try:
        page.goto(f"{live_server.url}/")
        page.wait_for_load_state("networkidle")
        page.evaluate(
            "() => { document.querySelector('main').insertAdjacentHTML("
            "'beforeend', '<p style=\"color: red\">x</p>'); }"
        )
        page.wait_for_timeout(300)
        violations = page.evaluate("window.__cspViolations")
        assert any("style-src" in v for v in violations) or any(
            "Content Security Policy" in text for text in found
        )
    finally:
        context.close()
