"""Thumb-sized controls on a 390 px phone: primary actions at least 44×44 px, every other
button, field, checkbox and radio at least 24×24 px, and button labels centred in their button."""

import pytest

from tests.browser.world import build_world, open_as

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && style.visibility !== 'hidden';
  };
  const name = (el) => (el.getAttribute('aria-label') || el.textContent || el.name || el.type || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  const out = [];
  const controls = document.querySelectorAll(
    '.btn, button, select, input:not([type=hidden]), textarea, .nav-link, summary, .dropdown-item');
  for (const el of controls) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    const primary = el.matches('.btn-primary, .btn-tap, [name=save], .bd-actionbar > .btn');
    const label = el.matches('.btn') ? (() => {
      const range = document.createRange(); range.selectNodeContents(el);
      const t = range.getBoundingClientRect();
      return t.height ? Math.abs((t.top + t.bottom) / 2 - (r.top + r.bottom) / 2) : 0;
    })() : 0;
    out.push({name: name(el), width: r.width, height: r.height, primary, offCentre: label});
  }
  return out;
}"""


def _problems(controls):
    for control in controls:
        least = 44 if control["primary"] else 24
        if control["width"] < least or control["height"] < least:
            yield f"{control['name']!r} {control['width']:.0f}×{control['height']:.0f} < {least}"
        if control["offCentre"] > 3:
            yield f"{control['name']!r} label {control['offCentre']:.0f}px off centre"


@pytest.mark.django_db(transaction=True)
def test_controls_are_thumb_sized_and_labels_centred_on_a_phone(browser, live_server):
    world = build_world()
    found = []
    for role in ("manager", "supervisor"):
        context, page = open_as(browser, live_server, world[role], language="zh-hans", width=390)
        try:
            for name, url in world["pages"][role]:
                page.goto(f"{live_server.url}{url}")
                page.wait_for_load_state("networkidle")
                found += [f"{role} {name}: {p}" for p in _problems(page.evaluate(MEASURE))]
        finally:
            context.close()
    assert not found, "\n".join(found)


def test_the_measure_catches_small_and_off_centre_buttons():
    small = {"name": "x", "width": 30, "height": 20, "primary": False, "offCentre": 0}
    primary = {"name": "save", "width": 200, "height": 38, "primary": True, "offCentre": 6}
    assert len(list(_problems([small, primary]))) == 3
