"""A small, believable world for the page-wide browser checks (a11y, language, screenshots).

A manager 王芳 with two branches (staff, a visit, deposits, stock, an open case, a checklist) and
her supervisor 周敏. ``DATA`` lists the names and data the pages show as they were typed, which the
language checks allow in either language.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

PASSWORD = "pw"
LANGUAGE_COOKIE = "django_language"


def build_world():
    from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
    from branches.models import Branch
    from tests.branches.factories import (
        BankFactory,
        BranchFactory,
        DepositSnapshotFactory,
        VisitFactory,
    )
    from tests.documents.factories import stock_at
    from tests.duties.factories import ChecklistTemplateFactory
    from tests.grading.factories import AccountManagerFactory, UserFactory
    from tests.service.factories import CaseFactory
    from tests.staff.factories import BranchStaffFactory

    boss = UserFactory(username="zhou", first_name="敏", last_name="周", is_staff=True)
    boss.groups.add(Group.objects.get_or_create(name=SUPERVISOR_GROUP)[0])
    manager = AccountManagerFactory(
        user__username="wang", user__first_name="芳", user__last_name="王", supervisor=boss
    )
    manager.user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])
    colleague = AccountManagerFactory(
        user__username="li", user__first_name="强", user__last_name="李", supervisor=boss
    )
    colleague.user.groups.add(Group.objects.get_or_create(name=MANAGER_GROUP)[0])

    bank = BankFactory(name="工商银行", short_name="工行")
    branch = BranchFactory(
        manager=manager,
        bank=bank,
        name="陆家嘴支行",
        tier=Branch.Tier.A,
        address="浦东新区陆家嘴环路1000号",
    )
    quiet = BranchFactory(manager=manager, bank=bank, name="张江支行", tier=Branch.Tier.C)
    Branch.objects.filter(pk=quiet.pk).update(
        last_visit_at=timezone.now() - datetime.timedelta(days=20)
    )
    BranchFactory(manager=colleague, bank=bank, name="外滩支行")
    soon = timezone.localdate() + datetime.timedelta(days=2)
    BranchStaffFactory(
        branch=branch, name="赵敏", is_key_teller=True, birth_month=soon.month, birth_day=soon.day
    )
    BranchStaffFactory(branch=branch, name="钱进")
    VisitFactory(branch=branch, summary="与网点主任沟通季度计划")
    DepositSnapshotFactory(branch=branch, as_of=timezone.localdate() - datetime.timedelta(days=30))
    DepositSnapshotFactory(branch=branch, personal=Decimal("52000000.00"))
    stock_at(branch, "poster", 1, manager.user)
    CaseFactory(branch=branch, customer_name="刘女士")
    ChecklistTemplateFactory()
    return {
        "manager": manager.user,
        "supervisor": boss,
        "branch": branch,
        "pages": {
            "manager": [
                ("home", reverse("home")),
                ("branches", reverse("branches:list")),
                ("branch", reverse("branches:detail", args=[branch.pk])),
                ("visit", reverse("branches:visit_create", args=[branch.pk])),
                ("checklist", reverse("duties:today")),
            ],
            "supervisor": [
                ("home", reverse("home")),
                ("dashboard", reverse("desk:dashboard")),
                ("branch", reverse("branches:detail", args=[branch.pk])),
            ],
        },
    }


def open_as(browser, live_server, user, *, language, width):
    """A browser context logged in as ``user``, speaking ``language``, ``width`` px wide."""
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 500 else 900}, locale="en-US"
    )
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": LANGUAGE_COOKIE, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    return context, page
