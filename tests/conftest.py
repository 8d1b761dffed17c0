"""The three standing roles every test uses, and clients logged in as each.

- ``manager``: an account manager (AccountManager) in ``supervisor``'s team;
- ``other_manager``: an account manager in another team;
- ``supervisor``: the user who supervises ``manager`` (staff, Supervisor group).

and the branch most tests work in: ``branch`` (南京东路支行, ``manager``'s) with ``teller``, a
bank staff member there. The documents, duties and service tests override ``branch`` in their
own conftest where they need a different one.
"""

import gc

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from accounts.access import MANAGER_GROUP, SUPERVISOR_GROUP
from tests.branches.factories import BranchFactory
from tests.grading.factories import AccountManagerFactory, UserFactory
from tests.staff.factories import BranchStaffFactory


@pytest.fixture
def supervisor(db):
    user = UserFactory(username="supervisor", first_name="敏", last_name="周", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    return user


@pytest.fixture
def manager(db, supervisor):
    profile = AccountManagerFactory(user__username="manager", supervisor=supervisor)
    profile.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    return profile


@pytest.fixture
def other_supervisor(db):
    user = UserFactory(username="other_supervisor", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPERVISOR_GROUP))
    return user


@pytest.fixture
def other_manager(db, other_supervisor):
    profile = AccountManagerFactory(user__username="other_manager", supervisor=other_supervisor)
    profile.user.groups.add(Group.objects.get(name=MANAGER_GROUP))
    return profile


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def branch(manager):
    return BranchFactory(manager=manager, name="南京东路支行", code="SH0001")


@pytest.fixture
def teller(branch):
    return BranchStaffFactory(branch=branch, name="李娜", mobile="13812345678")


def _client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(client, manager):
    return _client_for(client, manager.user)


@pytest.fixture
def other_client(client, other_manager):
    return _client_for(client, other_manager.user)


@pytest.fixture
def supervisor_client(client, supervisor):
    return _client_for(client, supervisor)


@pytest.fixture
def admin_client(client, superuser):
    return _client_for(client, superuser)


# --- The organisation above the teams (issue 17) ----------------------------------------------
# One province; city A holds ``supervisor``'s team (with ``manager``), city B holds
# ``other_supervisor``'s team (with ``other_manager``).


class Org:
    def __init__(self, manager, other_manager, supervisor, other_supervisor):
        from accounts import services
        from accounts.models import OrgUnit

        def unit(kind, name, parent, head):
            return services.save_unit(unit=OrgUnit(kind=kind, name=name, parent=parent, head=head))

        staff_group = Group.objects.get(name=SUPERVISOR_GROUP)
        self.province_head = UserFactory(username="province_head", is_staff=True)
        self.city_head = UserFactory(username="city_head", is_staff=True)
        self.other_city_head = UserFactory(username="other_city_head", is_staff=True)
        for user in (self.province_head, self.city_head, self.other_city_head):
            user.groups.add(staff_group)
        self.province = unit(OrgUnit.Kind.PROVINCE, "省分公司", None, self.province_head)
        self.city = unit(OrgUnit.Kind.CITY, "甲市中支", self.province, self.city_head)
        self.other_city = unit(OrgUnit.Kind.CITY, "乙市中支", self.province, self.other_city_head)
        self.team = unit(OrgUnit.Kind.TEAM, "周敏团队", self.city, supervisor)
        self.other_team = unit(OrgUnit.Kind.TEAM, "乙市一组", self.other_city, other_supervisor)
        services.move_manager(manager=manager, team=self.team, on=manager.hire_date)
        services.move_manager(
            manager=other_manager, team=self.other_team, on=other_manager.hire_date
        )
        manager.refresh_from_db()
        other_manager.refresh_from_db()


@pytest.fixture
def org(manager, other_manager, supervisor, other_supervisor):
    return Org(manager, other_manager, supervisor, other_supervisor)


@pytest.fixture
def city_head(org):
    return org.city_head


@pytest.fixture
def province_head(org):
    return org.province_head


# --- The test database: loaded from tests/schema.sql instead of migrated (tests/schema.py) -----
@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """pytest-django's (a test database per xdist worker); and while it lasts, creating a
    SQLite test database loads the migrated one from the dump when the dump is current."""
    from tests.schema import loaded_instead_of_migrating

    with loaded_instead_of_migrating(connection):
        yield


# --- Rows made by data migrations survive transactional tests ---------------------------------
# A transactional test (live_server for the browser tests, real threads, a Celery worker in
# another process) ends with a flush that empties every table, including the roles, levels and
# catalogues the data migrations made. Every later test needs them, so they are saved once,
# right after the test database is built, and put back after each transactional test.
_MIGRATED_ROWS = pytest.StashKey[str]()


@pytest.fixture(scope="session", autouse=True)
def _migrated_rows(request, django_db_setup, django_db_blocker):
    # pytest-django builds only the databases the collected tests use: with no transactional
    # test collected (say `pytest tests/project/test_names.py`) there may be no test database
    # at all, and nothing to restore.
    if not any(_is_transactional(item) for item in request.session.items):
        return
    with django_db_blocker.unblock():
        request.config.stash[_MIGRATED_ROWS] = connection.creation.serialize_db_to_string()


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool({"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ())))


# The site walks take 5-15 s each. pytest-xdist (loadgroup) hands out the demo's group first,
# then single tests in collection order: walks collected last (tests/security/) were started
# last, and the other worker sat idle while the final one ran. Collected first, they start
# early and the workers finish together.
_LONG_FIRST = ("tests/security/test_url_walk.py", "tests/security/test_admin_write_walk.py")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.nodeid.startswith(_LONG_FIRST))  # stable


def pytest_collection_finish(session):
    # Python's full garbage collections walked every object Django, pytest and the collected
    # suite hold, again and again: 5.1 of 63 s on the URL walk and tests/branches/. Frozen
    # after collection, those objects are left out, and a full collection waits for ten times
    # more survivors than by default: 2.6 s there (issue 22: make test under 2 minutes).
    gc.collect()
    gc.freeze()
    gc.set_threshold(700, 10, 1000)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # fixture teardowns, including pytest-django's flush, run here
    rows = item.config.stash.get(_MIGRATED_ROWS, None)
    # After the last test the session fixtures have already dropped the test database.
    if rows is None or nextitem is None or not _is_transactional(item):
        return
    with item.config.stash[blocking_manager_key].unblock():
        # The flush recreated content types and permissions under new ids; flush them too so
        # the saved rows (which the roles point at) come back exactly as migrated.
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(rows)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Chinese, the site's default.

    The locale middleware activates the request's language in the thread and, like Django's own,
    leaves it active after the response; an earlier test's English request would otherwise make
    a later test's service messages English, depending on which worker ran what before it.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _checklist_templates_as_each_test_states_them(request):
    """The default checklist templates ship as data (duties migration 0004); a test states the
    templates it needs instead, unless marked ``shipped_templates`` (the test of the defaults)."""
    if request.node.get_closest_marker("shipped_templates"):
        return
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
    ):
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in names:
        request.getfixturevalue("db")
    else:
        return
    from duties.models import ChecklistTemplate

    ChecklistTemplate.objects.all().delete()


@pytest.fixture
def fresh_prepared_reads():
    """No read compiled by an earlier test (``core.prepared`` keeps them per thread): a test
    of how a read is prepared starts and ends with none."""
    from core import prepared

    prepared._local.__dict__.clear()
    yield
    prepared._local.__dict__.clear()
