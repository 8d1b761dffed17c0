"""Every URL pattern, for every role: who may open what.

The walk reads the URL patterns from the resolver, so a new page is walked as soon as it
exists; a page whose id it cannot map to an object fails loudly (add it to OBJECT_OF).
Rules: anonymous → the login page; a manager → their own objects, another manager's 404;
a supervisor → their team's, another team's 404; the admin only for staff users, and a
supervisor's admin shows only their team.

Every 200 the walk gets is also checked for what every page must be (tests/security/
page_checks.py): the security headers and the Observatory scan, never cached when signed in,
no inline style, no known full phone number outside the record it belongs to.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from branches.models import ImportJob
from tests.grading.factories import UserFactory
from tests.security.page_checks import PageChecks
from tests.security.world import build_for, build_shared

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _templates_rendered_plainly(monkeypatch, django_test_environment):
    """The walk reads status codes and pages, never a response's template contexts: render
    without the test runner's instrumentation, which copies the whole context for every
    template and include rendered (a fifth of the walk's time)."""
    from django.template import Template
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


# Reviewed: these answer without a login on purpose.
PUBLIC = {
    "login",
    "set_language",
    "healthz",
    "admin:login",
    "reminders:calendar_feed",
    # The installable app: fetched by the browser without cookies, and the offline page kept
    # by the service worker; none holds personal data (tests/offline/test_install.py).
    "manifest",
    "service_worker",
    "favicon",
    "offline:offline_page",
}
# A secret token in the address is the only credential (phone calendars have no session):
# the walk tries an unknown token, which must be a 404 for everyone.
TOKEN_URLS = {"reminders:calendar_feed"}
# Never walked with a signed-in client: they would end the session the walk is using.
SKIP = {"logout", "admin:logout"}

# Which object an id in a page's URL names (all ids are ``pk`` except staff:create's).
OBJECT_OF = {
    "branches:detail": "branch",
    "branches:edit": "branch",
    "branches:visit_create": "branch",
    "branches:deposit_create": "branch",
    "branches:target_create": "branch",
    "branches:competitor_create": "branch",
    "branches:event_create": "branch",
    "branches:visit_detail": "visit",
    "branches:visit_edit": "visit",
    "branches:visit_check_out": "visit",
    "branches:confirm_position": "visit",
    "duties:correction_decide": "attendance_correction",
    "worklog:detail": "work_log",
    "branches:event_detail": "event",
    "branches:event_acknowledge": "event",
    "branches:event_respond": "event",
    "branches:event_close": "event",
    "branches:event_reopen": "event",
    "staff:detail": "staff",
    "staff:edit": "staff",
    "staff:move": "staff",
    "staff:create": "branch",
    "grading:manager_level": "manager",
    "grading:appeal": "assessment",
    "duties:manager_day": "manager",
    "duties:tick": "checklist_item",
    "duties:log_visit": "checklist_item",
    "duties:training_detail": "training",
    "duties:briefing_detail": "briefing",
    "duties:delivery_create": "briefing",
    "documents:delivery": "branch",
    "documents:serials": "branch",
    "documents:collect": "branch",
    "documents:layout": "branch",
    "documents:movements": "branch_stock",
    "documents:count": "branch_stock",
    "documents:intake_batch": "intake_batch",
    "documents:review": "intake_form",
    "documents:register": "intake_form",
    "documents:handover_slip": "handover",
    "documents:confirm_receipt": "handover",
    "documents:recollect": "intake_form",
    "documents:remove_placement": "placement",
    "service:branch": "branch",
    "service:create": "branch",
    "service:detail": "case",
    "service:action": "case",
    "service:note": "case",
    "service:surrender": "case",
    "desk:unit": "org_unit",
    "desk:unit_refresh": "org_unit",
    "desk:unit_report": "org_unit",
    "desk:unit_report_pdf": "org_unit",
    "sales:customer_detail": "customer",
    "sales:customer_contact": "customer",
    "photos:image": "photo",
    "photos:thumbnail": "photo",
    "outreach:detail": "outreach_event",
    "sales:policy_detail": "policy",
}
# Pages about any record that may carry photos: the URL names the record's model and id.
OWNER_OF = {"photos:owner": "visit", "photos:upload": "visit"}
# Company-wide rows every manager reads (policy briefings, the product catalogue, the feed
# files' log): no "other manager's" copy.
SHARED = {"briefing", "product", "feed_file"}
# Pages that record the user's own work: a supervisor (no manager profile) gets 404 there,
# even for the team's objects.
OWN_WORK_ONLY = {
    "duties:tick",
    "duties:log_visit",
    "duties:delivery_create",
    "duties:week",
    "duties:attendance",
    "duties:correction_create",
    "duties:training_create",
    "outreach:create",
    "worklog:today",
    "grading:my_level",
    "grading:appeal",
    "sales:customer_contact",
}
# Only the author may correct a visit: anyone else who sees it gets 403 with the reason.
AUTHOR_ONLY = {"branches:visit_edit"}
# A supervisor's pages about the team: an account manager gets 404 there.
TEAM_ONLY = {
    "desk:dashboard",
    "desk:unit",
    "desk:unit_refresh",
    "desk:unit_report",
    "desk:unit_report_pdf",
    "branches:event_overview",
}
# Answer POST only; the walk posts an empty form (a form error or a redirect, never a 500).
POST_ONLY = {
    "duties:tick",
    "duties:correction_decide",
    "branches:visit_check_out",
    "branches:confirm_position",
    "documents:register",
    "documents:recollect",
    "documents:confirm_receipt",
    "branches:event_acknowledge",
    "branches:event_respond",
    "branches:event_close",
    "branches:event_reopen",
    "documents:remove_placement",
    "service:action",
    "service:note",
    "reminders:calendar_rotate",
    "sales:customer_contact",
    "photos:upload",
    "offline:sync",
    "desk:unit_refresh",
}
OK = {200, 302}
# An empty form posted to a POST-only page may be refused as a bad request.
POSTED_OK = {200, 302, 400}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            regex = entry.pattern.regex
            # Unnamed groups (simple_history's admin pages) count as ids too, by position.
            params = list(regex.groupindex) or [f"_{i}" for i in range(regex.groups)]
            yield name, prefix + str(entry.pattern), params


def _patterns():
    return [(n, r, k) for n, r, k in _walk(get_resolver().url_patterns) if n not in SKIP]


def _admin_model(route):
    """The registered model an admin route such as admin/branches/branch/... is for."""
    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


class World:
    """Two teams: ``manager`` (team of ``supervisor``) and ``other_manager``, each with one
    object of every kind."""

    def __init__(self, manager, other_manager, superuser, org=None):
        if org is None:  # walks that only use the standing users: their organisation too
            from tests.conftest import Org

            org = Org(manager, other_manager, manager.supervisor, other_manager.supervisor)
        self.superuser = superuser
        shared = build_shared()
        self.mine = build_for(manager, shared, superuser)
        self.theirs = build_for(other_manager, shared, superuser)
        # The organisation tree (issue 17): each side's team and the manager's membership.
        for side, team, profile in (
            (self.mine, org.team, manager),
            (self.theirs, org.other_team, other_manager),
        ):
            membership = profile.memberships.get()
            side.update({"org_unit": team, "membership": membership})
            side.update({team._meta.label: team, membership._meta.label: membership})
        shared_labels = {self.mine[kind]._meta.label for kind in SHARED}
        self.scoped_labels = {obj._meta.label for obj in self.mine.values()} - shared_labels
        # The full numbers no list may show (tests/security/page_checks.py: full_phones).
        self.phones = {
            number
            for side in (self.mine, self.theirs)
            for number in (
                side["staff"].mobile,
                side["case"].customer_mobile,
                side["manager"].mobile,
            )
        }
        assert all(self.phones), self.phones

    def page_checks(self, user=None):
        """The checks for the pages ``user`` (None: an anonymous visitor) opens."""
        return PageChecks(self.phones, signed_in=user is not None)

    def urls(self, owner):
        """(name, url, method, ownership) for every pattern, ids taken from ``owner``'s world.

        ownership: "none" (no id in the URL), "shared" or "owned".
        """
        for name, route, kwargs in _patterns():
            if not kwargs:
                yield name, self._plain(name, route), "none"
            elif route.startswith("admin/"):
                yield name, self._admin_url(name, route, kwargs, owner), "owned"
            elif name in TOKEN_URLS:
                yield name, reverse(name, kwargs={"token": "not-a-real-token"}), "token"
            elif name in OWNER_OF:
                obj = owner[OWNER_OF[name]]
                url = reverse(name, kwargs={"label": obj._meta.label_lower, "pk": obj.pk})
                yield name, url, "owned"
            else:
                assert name in OBJECT_OF, (
                    f"URL {route!r} ({name}) takes {sorted(kwargs)}: add it to OBJECT_OF in "
                    "tests/security/test_url_walk.py so the walk checks who may open it"
                )
                (kwarg,) = kwargs
                kind = OBJECT_OF[name]
                url = reverse(name, kwargs={kwarg: owner[kind].pk})
                yield name, url, "shared" if kind in SHARED else "owned"

    @staticmethod
    def _plain(name, route):
        assert name, f"unnamed URL {route!r}: give it a name"
        return reverse(name)

    def _admin_url(self, name, route, kwargs, owner):
        if name == "admin:app_list":
            return reverse(name, kwargs={"app_label": "branches"})
        if kwargs == ["url"]:
            # The admin's unnamed catch-all: any unknown address under /admin/.
            return "/admin/no-such-page/"
        if name == "admin:view_on_site":
            branch = owner["branch"]
            content_type = ContentType.objects.get_for_model(branch)
            return reverse(name, args=[content_type.pk, branch.pk])
        model = _admin_model(route)
        assert model is not None, f"admin URL {route} with {sorted(kwargs)}: map it in the walk"
        obj = owner.get(model._meta.label) or model._default_manager.order_by("pk").first()
        assert obj is not None, f"no {model._meta.label} to open {name}: build one in world.py"
        if name and name.endswith("_simple_history"):
            return reverse(name, args=[obj.pk, obj.history.order_by("pk").first().pk])
        values = {}
        for kwarg in kwargs:
            if kwarg in {"object_id", "id"}:
                values[kwarg] = obj.pk
            elif kwarg == "job_id":
                # An import job of that model, uploaded by the superuser.
                values[kwarg] = ImportJob.objects.get_or_create(
                    model_label=model._meta.label_lower,
                    defaults={"created_by": self.superuser, "file_name": "walk.csv"},
                )[0].pk
            else:
                raise AssertionError(f"admin URL {route} takes {kwarg}: map it in the walk")
        if name:
            return reverse(name, kwargs=values)
        # Unnamed (the admin's <object_id>/ that redirects to the change page).
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)

    def is_scoped(self, url):
        """Admin pages of branch-owned data, which a supervisor sees only for the team."""
        model = _admin_model(url.lstrip("/"))
        return model is not None and model._meta.label in self.scoped_labels


@pytest.fixture
def world(manager, other_manager, superuser, org):
    return World(manager, other_manager, superuser, org)


def _ok(name):
    return POSTED_OK if name in POST_ONLY else OK


def _admin_ok(name):
    """What a staff user may get from an admin page that exists."""
    if name == "admin:view_on_site":
        return {302, 404}  # 404: the model has no page of its own outside the admin
    if (name or "").endswith("_process_import"):
        return {405}  # the second step of an import only takes the uploaded file
    if (name or "").endswith(("_import_job", "_import_job_status")):
        return {200, 403, 404}  # a job is shown only to whoever uploaded it
    return {200, 302, 403}


def _open(client, name, url):
    if name in POST_ONLY:
        return client.post(url, {})
    return client.get(url)


def _read_and_write(client, name, url, pages):
    """Status of a GET (unless the page takes POST only) and of an empty POST."""
    responses = [] if name in POST_ONLY else [client.get(url)]
    responses.append(client.post(url, {}))
    for response in responses:
        pages(name, url, response)
    return [response.status_code for response in responses]


def _is_admin(name, url):
    return (name or "").startswith("admin:") or url.startswith("/admin/")


def _where(response):
    return f"{response.status_code} {response.get('Location', '')}".strip()


def _report(failures):
    return "\n".join(
        f"{status} {name} {url}: expected {want}" for name, url, status, want in failures
    )


# How many pages each check must see per role: a little under what the walk reaches today
# (Dec 2026: manager 91 pages, 76 with phones to mask; supervisor and city head 258, 114 lists;
# superuser 310 admin pages, 66 admin lists), and never under what the separate walks these
# checks replaced used to see (manager 90 pages, 76 with phones; supervisor 114 HTML pages, 54
# admin lists; superuser 66 admin lists).
MANAGER_PAGES = {
    "security_headers": 90,
    "observatory": 90,
    "never_cached": 90,
    "no_inline_style": 70,
    "full_phones": 76,
}
SUPERVISOR_PAGES = {
    "security_headers": 250,
    "observatory": 250,
    "never_cached": 250,
    "no_inline_style": 230,
    "full_phones": 110,
}
SUPERUSER_PAGES = {
    "security_headers": 300,
    "observatory": 300,
    "never_cached": 300,
    "no_inline_style": 300,
    "full_phones": 66,
}


def _assert_pages_pass(pages, **at_least):
    """No page failed a check, and each check really saw pages (at least this many)."""
    assert not pages.failures, pages.report()
    counts = pages.counts()
    short = {check: counts[check] for check, least in at_least.items() if counts[check] < least}
    assert not short, f"checked too few pages: {short} (all: {counts})"


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    failures = []
    pages = world.page_checks()
    for name, url, ownership in world.urls(world.mine):
        if ownership == "token":
            status = client.get(url).status_code
            if status != 404:
                failures.append((name, url, status, 404))
            continue
        if name in PUBLIC:
            # Open to all: the headers every page sends (the login pages, the installable app).
            pages(name, url, client.get(url))
            continue
        response = _open(client, name, url)
        # The site-wide login also guards the admin (it sends the visitor back there).
        login = (
            ("/admin/login/", "/accounts/login/") if _is_admin(name, url) else "/accounts/login/"
        )
        if response.status_code != 302 or not response["Location"].startswith(login):
            failures.append((name, url, _where(response), f"302 to {login}"))
    assert not failures, _report(failures)
    _assert_pages_pass(pages, security_headers=5, observatory=5, no_inline_style=3)


def test_a_manager_opens_their_own_objects_and_gets_404_for_anyone_elses(client, world, manager):
    client.force_login(manager.user)
    failures = []
    pages = world.page_checks(manager.user)
    # Another manager's first, so that posting to one's own (last) changes nothing checked.
    # Both reading and writing: a view must refuse before it looks at the form.
    for name, url, ownership in world.urls(world.theirs):
        if ownership == "owned" and not _is_admin(name, url):
            for status in _read_and_write(client, name, url, pages):
                if status != 404:
                    failures.append((name, url, status, 404))
    for name, url, ownership in world.urls(world.mine):
        response = _open(client, name, url)
        pages(name, url, response)
        if ownership == "token":
            if response.status_code != 404:
                failures.append((name, url, response.status_code, 404))
        elif _is_admin(name, url):
            # Not staff: every admin page, even the login, sends them to the admin login.
            if name == "admin:login":
                continue
            if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                failures.append((name, url, _where(response), "302 to the admin login"))
        else:
            want = {404} if name in TEAM_ONLY else _ok(name)
            if response.status_code not in want:
                failures.append((name, url, response.status_code, want))
    assert not failures, _report(failures)
    _assert_pages_pass(pages, **MANAGER_PAGES)


def test_a_supervisor_opens_the_teams_objects_and_gets_404_for_other_teams(
    client, world, supervisor
):
    pages = _walk_as_head(client, world, supervisor)
    _assert_pages_pass(pages, **SUPERVISOR_PAGES)


def test_a_city_head_opens_the_citys_objects_and_gets_404_for_other_cities(
    client, world, city_head
):
    pages = _walk_as_head(client, world, city_head)
    _assert_pages_pass(pages, **SUPERVISOR_PAGES)


def test_the_province_head_opens_every_teams_objects(client, world, province_head):
    client.force_login(province_head)
    failures = []
    pages = world.page_checks(province_head)
    for side in (world.theirs, world.mine):
        for name, url, ownership in world.urls(side):
            if ownership != "owned" or _is_admin(name, url):
                continue
            response = _open(client, name, url)
            pages(name, url, response)
            want = _head_wants(name)
            if response.status_code not in want:
                failures.append((name, url, response.status_code, want))
    assert not failures, _report(failures)
    _assert_pages_pass(
        pages,
        security_headers=70,
        observatory=70,
        never_cached=70,
        no_inline_style=65,
        full_phones=60,
    )


def _walk_as_head(client, world, head):
    """A unit's head: their unit's objects open, any other unit's are a 404."""
    client.force_login(head)
    failures = []
    pages = world.page_checks(head)
    for name, url, ownership in world.urls(world.theirs):
        if ownership != "owned":
            continue
        if not _is_admin(name, url):
            for status in _read_and_write(client, name, url, pages):
                if status != 404:
                    failures.append((name, url, status, 404))
            continue
        response = client.get(url)
        pages(name, url, response)
        if world.is_scoped(url) and response.status_code == 200:
            # The admin answers "does not exist" with a redirect to its index.
            failures.append((name, url, 200, "not shown (302 to the index, 403 or 404)"))
    for name, url, ownership in world.urls(world.mine):
        if name in PUBLIC and ownership != "token":
            continue
        response = _open(client, name, url)
        pages(name, url, response)
        if ownership == "token":
            want = {404}
        elif _is_admin(name, url):
            # Staff: the pages load or say "no permission"; an unknown address is a 404.
            want = {404} if url == "/admin/no-such-page/" else _admin_ok(name)
        else:
            want = _head_wants(name)
        if response.status_code not in want:
            failures.append((name, url, response.status_code, want))
    assert not failures, _report(failures)
    return pages


def _head_wants(name):
    if name in OWN_WORK_ONLY:
        return {404}
    if name in AUTHOR_ONLY:
        return {403}
    return _ok(name)


def _superuser_admin_wants(name, url, superuser):
    """Every list loads; an add page loads unless the admin forbids adding (then 403)."""
    if name.endswith("_changelist"):
        return {200}
    if name.endswith("_add"):
        request = RequestFactory().get(url)
        request.user = superuser
        model_admin = admin.site._registry[_admin_model(url.lstrip("/"))]
        return {200} if model_admin.has_add_permission(request) else {403}
    # 403 only where the admin forbids the action itself (read-only history, delete).
    return _admin_ok(name)


def test_a_superuser_opens_every_admin_page(client, world, superuser):
    client.force_login(superuser)
    failures = []
    pages = world.page_checks(superuser)
    lists_and_adds = 0
    for name, url, _ownership in world.urls(world.theirs):
        if not _is_admin(name, url) or name in PUBLIC or url == "/admin/no-such-page/":
            continue
        response = client.get(url)
        pages(name, url, response)
        want = _superuser_admin_wants(name or "", url, superuser)
        lists_and_adds += (name or "").endswith(("_changelist", "_add"))
        if response.status_code not in want:
            failures.append((name, url, response.status_code, want))
    assert not failures, _report(failures)
    # Both pages of every registered ModelAdmin.
    assert lists_and_adds == 2 * len(admin.site._registry), lists_and_adds
    _assert_pages_pass(pages, **SUPERUSER_PAGES)


def test_a_user_with_no_role_gets_404_for_every_object(client, world):
    nobody = UserFactory(username="nobody")
    client.force_login(nobody)
    failures = []
    pages = world.page_checks(nobody)
    for name, url, ownership in world.urls(world.mine):
        if ownership == "owned" and not _is_admin(name, url):
            response = _open(client, name, url)
            pages(name, url, response)
            if response.status_code != 404:
                failures.append((name, url, response.status_code, 404))
    assert not failures, _report(failures)
    assert not pages.failures, pages.report()
