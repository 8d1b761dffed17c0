"""A refused form on a phone: required fields marked, the first error in view and focused,
the checkbox grid still two to a row, and what was typed still there."""

import pytest

from tests.browser.world import build_world, open_as

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_refused_visit_form_focuses_its_first_error_and_keeps_the_text(browser, live_server):
    world = build_world()
    context, page = open_as(browser, live_server, world["manager"], language="zh-hans", width=390)
    try:
        page.goto(f"{live_server.url}/branches/{world['branch'].pk}/visits/new/")
        # Required fields are marked (crispy's asterisk after the label).
        assert page.locator("#div_id_purposes .asteriskField, fieldset .asteriskField").count()
        page.fill("textarea[name=summary]", "补送宣传彩页二十份")
        page.click("button[name=save]")  # no purpose ticked: refused
        page.wait_for_load_state("networkidle")

        assert page.locator(".invalid-feedback, .is-invalid").first.is_visible()
        focused = page.evaluate(
            "!!document.activeElement.closest('fieldset, .mb-3')?.querySelector('.invalid-feedback,"
            " .is-invalid')"
        )
        assert focused, page.evaluate("document.activeElement.outerHTML")
        assert page.locator("textarea[name=summary]").input_value() == "补送宣传彩页二十份"
        boxes = page.locator("input[name=purposes]")
        first, second = boxes.nth(0).bounding_box(), boxes.nth(1).bounding_box()
        assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"]  # two to a row
    finally:
        context.close()
