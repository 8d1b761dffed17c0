"""No Chinese on English screens, no English on Chinese ones (names and data allowed).

Every text node of the main pages is read, hidden ones too (menus, "more", action sheets), and
the accessible names and hints in attributes, with the world's own data (names, banks,
addresses, codes) taken out first.
"""

import re

import pytest

from tests.browser.world import build_world, open_as

pytestmark = pytest.mark.browser

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Each language's name in its own language (the switcher), and file formats.
ALLOWED = {"English", "简体中文", "Excel", "CSV"}

TEXT_OF_PAGE = """() => {
  const parts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => node.parentElement.closest('script, style, noscript')
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  for (const el of document.querySelectorAll('input[type=submit], input[type=button]')) {
    parts.push(el.value);
  }
  return parts.join('\\n');
}"""


def _data_of(world):
    """What users typed or imported: shown as it is, in either language."""
    from django.contrib.auth import get_user_model

    from branches.models import Bank, Branch
    from core.names import full_name
    from service.models import Case
    from staff.models import BranchStaff

    data = set()
    for user in get_user_model().objects.all():
        data |= {full_name(user), user.first_name, user.last_name, user.username}
    for bank in Bank.objects.all():
        data |= {bank.name, bank.short_name}
    for branch in Branch.objects.all():
        data |= {branch.name, branch.code, branch.address, branch.district, branch.city}
        data |= {branch.manager.employee_number}
    data |= set(BranchStaff.objects.values_list("name", flat=True))
    data |= set(Case.objects.values_list("customer_name", flat=True))
    data |= {"与网点主任沟通季度计划"}
    return sorted((d for d in data if d), key=len, reverse=True)


def _leftovers(text, language, data):
    for value in (*ALLOWED, *data):
        # Whole words only: a login such as "li" must not cut "English" in two.
        text = re.sub(rf"(?<![A-Za-z]){re.escape(value)}(?![A-Za-z])", " ", text)
    if language == "en":
        return sorted(set(CHINESE.findall(text)))
    return sorted(set(ENGLISH_WORD.findall(text)))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["manager", "supervisor"])
def test_each_language_shows_only_itself(browser, live_server, role):
    world = build_world()
    data = _data_of(world)
    found = []
    for language in ("en", "zh-hans"):
        context, page = open_as(browser, live_server, world[role], language=language, width=1366)
        try:
            for name, url in world["pages"][role]:
                page.goto(f"{live_server.url}{url}")
                leftovers = _leftovers(page.evaluate(TEXT_OF_PAGE), language, data)
                if leftovers:
                    found.append(f"{language} {name}: {leftovers}")
        finally:
            context.close()
    assert not found, "\n".join(found)


def test_the_check_catches_leftovers():
    assert _leftovers("Case 进行中: 3 份", "en", []) == ["份", "进行中"]
    assert _leftovers("投保单 Application form", "zh-hans", []) == ["Application", "form"]
    assert _leftovers("王芳 · 陆家嘴支行 · English", "en", ["王芳", "陆家嘴支行"]) == []
