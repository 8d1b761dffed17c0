"""The review on a phone (390×844): the supervisor opens the pending list from the
dashboard, rejects one assessment with a reason and approves another, never scrolling
sideways."""

import datetime

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

# What scrolls sideways: the page itself, or any box that scrolls its own content sideways
# (the admin puts the result table in one, which is how the list scrolled 426 px).
SIDEWAYS = """() => {
  const found = [];
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth) found.push(`page ${page.scrollWidth}`);
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (!["auto", "scroll"].includes(style.overflowX) || el.tagName === "TEXTAREA") continue;
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
      found.push(`${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
  }
  return found;
}"""


def _fits(page):
    assert page.evaluate(SIDEWAYS) == [], page.url


def _on_screen(locator, width=390):
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.django_db(transaction=True)
def test_a_supervisor_reviews_on_a_phone(page, live_server):
    from decimal import Decimal

    from django.contrib.auth.models import Group

    from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
    from grading import services
    from grading.models import Assessment
    from tests.grading.factories import (
        AccountManagerFactory,
        AssessmentPeriodFactory,
        LevelStandardFactory,
        SalesFigureFactory,
        UserFactory,
        level,
    )

    supervisor = UserFactory(username="zhou", first_name="敏", last_name="周", is_staff=True)
    supervisor.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    period = AssessmentPeriodFactory(
        name="2026Q3", start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30)
    )
    LevelStandardFactory(level=level(1), keep_premium=Decimal("50000"))
    members = []
    for username in ("wang", "li"):
        member = AccountManagerFactory(user__username=username, supervisor=supervisor)
        member.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
        SalesFigureFactory(manager=member, period=period, premium=Decimal("80000"))
        members.append(member)
    for assessment in services.generate_assessments(period=period, user=supervisor):
        services.submit_assessment(assessment=assessment, user=supervisor)
    wang, li = (Assessment.objects.get(manager=m) for m in members)

    login(page, live_server, supervisor)
    page.goto(f"{live_server.url}/desk/team/")
    _fits(page)
    page.click("#pending-reviews a")
    page.wait_for_selector("#result_list")
    _fits(page)
    # The status and the decision controls are on screen.
    assert _on_screen(page.locator("#result_list th.column-status"))
    assert _on_screen(
        page.locator(f"#result_list tr:has(input[value='{wang.pk}']) td.field-status")
    )
    assert _on_screen(page.locator(f"input[name=_selected_action][value='{wang.pk}']"))
    assert _on_screen(page.locator("select[name=action]"))
    assert _on_screen(page.locator("button[name=index]"))

    # Reject wang's, with a reason asked for on the next page.
    page.check(f"input[name=_selected_action][value='{wang.pk}']")
    page.select_option("select[name=action]", "reject")
    page.click("button[name=index]")
    page.wait_for_selector("#reject-form textarea[name=reason]")
    _fits(page)
    page.fill("#reject-form textarea[name=reason]", "保费数据待核心系统复核")
    page.click("#reject-form input[type=submit]", no_wait_after=True)
    page.wait_for_selector(".messagelist .success")
    _fits(page)

    # Approve li's as recommended.
    page.check(f"input[name=_selected_action][value='{li.pk}']")
    page.select_option("select[name=action]", "approve_as_recommended")
    page.click("button[name=index]", no_wait_after=True)
    page.wait_for_selector(".messagelist .success >> nth=0")
    page.wait_for_function(
        "document.querySelectorAll('.messagelist .success').length >= 1 && "
        "document.querySelector('.messagelist').innerText.includes('批准')"
    )
    _fits(page)

    wang.refresh_from_db()
    li.refresh_from_db()
    assert (wang.status, wang.history.last().reason) == ("rejected", "保费数据待核心系统复核")
    assert li.status == "approved"
    li.manager.refresh_from_db()
    assert li.manager.current_level.level == level(2)
