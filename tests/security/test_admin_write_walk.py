"""The write walk: the admin obeys the scoping rule for writes too (issue 14, finding 1).

For every registered admin's add and change form and every role, each field that points to a
scoped object (a branch, a manager, a staff member, a stock row, a case…) is posted with an id
the user may not see, and nothing may change:

- an account manager (not staff) is sent to the admin login for every form;
- a supervisor (both teams' supervisors, each from their own side) gets the form back with
  "select a valid choice" on that field, or 403 where the role may not write there at all, and
  the other team's object is never named on the page; another team's record is not found
  (302 to the admin index);
- a superuser, who sees everything, posts ids that do not exist: the same form error.

Each form gets one refused post with every such field set at once; each field must show its
own error.

The walk reads the admin registry, so a new admin (or a new field on an old one) is walked as
soon as it exists. Before each refused post it checks the same form is accepted with an
in-scope value, so the refusal is the field's and not some other error's.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from tests.security.admin_forms import Page, errors_on, is_scoped
from tests.security.world import build_for, build_shared

pytestmark = pytest.mark.django_db

# The apps whose rows a refused post must leave untouched (every table, not only the form's):
# every first-party app, so a new app is watched as soon as it exists.
OUR_APPS = {
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).parent == settings.BASE_DIR
}


def _scoped_relations(model):
    """Names of the model's editable fields pointing to a scoped model."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and field.editable
        and (field.many_to_one or field.many_to_many or field.one_to_one)
        and is_scoped(field.related_model)
    ]


def _registry():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _snapshot(*watched):
    """How many rows every table of the project's apps holds, and every row of ``watched``:
    enough to prove a post wrote nothing (a new ledger line, event or history row shows in
    the counts; a moved record in its own table's rows)."""
    return _row_counts(), {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in watched
    }


def _our_tables():
    return {
        model._meta.label: model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
    }


def _row_counts():
    """Every table's row count in one round trip: the walk takes a snapshot after each of
    hundreds of posts, and a COUNT query per table made the snapshots half the walk's time."""
    tables = _our_tables()
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables.values())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return dict(zip(tables, row, strict=True))


def _value(foreign, multiple):
    if multiple:
        return [str(foreign)]
    return str(foreign)


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


class Walk:
    """Two teams with one object of every kind; the walker checks one role at a time."""

    def __init__(self, manager, other_manager, superuser):
        shared = build_shared()
        self.teams = {
            manager.supervisor.pk: build_for(manager, shared, superuser),
            other_manager.supervisor.pk: build_for(other_manager, shared, superuser),
        }
        self.failures = []
        self.covered = []  # every form opened
        self.posted = []  # (form, field) for every out-of-reach id posted into a form

    def world_of(self, supervisor):
        return self.teams[supervisor.pk]

    def other_world(self, supervisor):
        (other,) = [w for pk, w in self.teams.items() if pk != supervisor.pk]
        return other

    def fail(self, what, got, want):
        self.failures.append(f"{what}: got {got}, expected {want}")

    # --- one post --------------------------------------------------------------------------

    def refused(self, client, url, data, fields, foreign_labels, want_status, before):
        """Post ``data`` (``fields``, each (where, name), set to ids out of reach): each of
        them shows its own error, and nothing may change from ``before``."""
        response = client.post(url, data)
        what = f"POST {url} {' '.join(name for _where, name in fields if name)}".strip()
        if response.status_code != want_status:
            self.fail(what, response.status_code, want_status)
        elif want_status == 200:
            for where, name in fields:
                if not errors_on(response, where, name):
                    self.fail(
                        f"POST {url} {name}",
                        "accepted (no error on the field)",
                        "a form error on the field",
                    )
        after = _snapshot(*(apps.get_model(label) for label in before[1]))
        if before != after:
            changed = sorted(
                {
                    label
                    for part in (0, 1)
                    for label in before[part]
                    if before[part][label] != after[part][label]
                }
            )
            self.fail(what, f"changed {changed}", "nothing changed")
        page = response.content.decode()
        if any(label and escape(label) in page for label in foreign_labels):
            self.fail(what, "the other team's object named on the page", "not named")
        return response

    # --- the roles ---------------------------------------------------------------------------

    def walk_outsider(self, client, world):
        """Not staff (an account manager): every form sends them to the admin login."""
        for model, _model_admin in _registry():
            obj = world.get(model._meta.label) or model._default_manager.order_by("pk").first()
            urls = [_add_url(model)] + ([_change_url(model, obj)] if obj else [])
            for url in urls:
                data = dict.fromkeys(_scoped_relations(model), "1")
                before = _snapshot(model)
                for response in (client.get(url), client.post(url, data)):
                    if response.status_code != 302 or not response["Location"].startswith(
                        "/admin/login/"
                    ):
                        self.fail(f"{url}", response.status_code, "302 to the admin login")
                if _snapshot(model) != before:
                    self.fail(f"POST {url}", "changed rows", "nothing changed")
                self.covered.append(url)

    def walk_staff(self, client, user, own, foreign_of):
        """A staff user on every add and change form; ``foreign_of(model)`` is an id out of
        their reach and the object it names (None when the id names nothing)."""
        request = _request(user)
        for model, model_admin in _registry():
            obj = own.get(model._meta.label) or model._default_manager.order_by("pk").first()
            self.walk_form(client, model, _add_url(model), None, foreign_of, request, model_admin)
            if obj is not None:
                url = _change_url(model, obj)
                self.walk_form(client, model, url, obj, foreign_of, request, model_admin)

    def walk_form(self, client, model, url, obj, foreign_of, request, model_admin):
        self.covered.append(url)
        if obj is None:
            allowed = model_admin.has_add_permission(request)
        else:
            allowed = model_admin.has_view_or_change_permission(request, obj)
        response = client.get(url)
        if response.status_code != (200 if allowed else 403):
            self.fail(f"GET {url}", response.status_code, 200 if allowed else 403)
            return
        page = Page(response) if allowed and "adminform" in response.context else None
        writable = page is not None and (
            obj is None or model_admin.has_change_permission(request, obj)
        )
        watched = [
            model,
            *(inline.model for inline in model_admin.get_inline_instances(request, obj)),
        ]
        if not writable:
            # Read-only or forbidden: a post naming out-of-reach objects is refused outright.
            data = {}
            for name in _scoped_relations(model):
                foreign, _label = foreign_of(model._meta.get_field(name).related_model)
                data[name] = str(foreign)
            self.refused(client, url, data, [("form", None)], [], 403, _snapshot(*watched))
            return
        if obj is not None and page.fields:
            # The same form, unchanged, is accepted: the refusals below are the fields'.
            accepted = client.post(url, page.data)
            if accepted.status_code != 302:
                errors = accepted.context and accepted.context["adminform"].form.errors
                self.fail(f"POST {url} unchanged", f"{accepted.status_code} {errors}", 302)
        if not page.fields:
            return
        before = _snapshot(*watched)
        data, labels, fields = dict(page.data), [], []
        for where, html_name, related, name, multiple in page.fields:
            foreign, label = foreign_of(related)
            if obj is None and label:
                # An add form: the other team's object must not be named when prefilled.
                # (An id naming nothing has no name to leak: not asked.)
                prefilled = client.get(f"{url}?{name}={foreign}")
                if prefilled.status_code != 200:
                    self.fail(f"GET {url}?{name}=", prefilled.status_code, 200)
                elif escape(label) in prefilled.content.decode():
                    self.fail(f"GET {url}?{name}={foreign}", "other team's object named", "not")
            self.posted.append((url, html_name))
            data[html_name] = _value(foreign, multiple)
            labels.append(label)
            fields.append((where, name))
        # Every field out of reach in one post: each must show its own error. A field's
        # choices are the user's scope, checked field by field whatever the others hold, so
        # a field that let an id through shows no error here as it would alone.
        self.refused(client, url, data, fields, labels, 200, before)


def _add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def _change_url(model, obj):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])


@pytest.fixture
def walk(manager, other_manager, superuser):
    return Walk(manager, other_manager, superuser)


def _other_teams(walk, supervisor):
    """The other team's object of a model: an id the supervisor must not reach."""
    theirs = walk.other_world(supervisor)

    def foreign_of(model):
        obj = theirs.get(model._meta.label)
        assert obj is not None, f"no other team's {model._meta.label}: build one in world.py"
        return obj.pk, str(obj)

    return foreign_of


def test_an_account_manager_is_sent_to_the_admin_login_from_every_form(client, walk, manager):
    client.force_login(manager.user)
    walk.walk_outsider(client, walk.world_of(manager.supervisor))
    assert not walk.failures, "\n".join(walk.failures)


def _with_every_permission(supervisor):
    """A supervisor granted every add and change permission of the project's apps, as a
    deployment might: the walk then posts into every form, not only the role's."""
    supervisor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=OUR_APPS).exclude(
            codename__startswith="delete_"
        )
    )
    return type(supervisor).objects.get(pk=supervisor.pk)  # no stale permission cache


@pytest.fixture
def other_supervisor_with_every_permission(other_supervisor):
    return _with_every_permission(other_supervisor)


# One team's supervisor with the role's own permissions, the other team's with every
# permission: each team's side is walked (a rule that only held from the first team's side
# would fail on the second), and every form is posted into at least once. The role's plain
# permissions from the second side would add no form and no check the two do not already make.
@pytest.mark.parametrize("who", ["supervisor", "other_supervisor_with_every_permission"])
def test_a_supervisor_can_write_nothing_outside_the_team(client, walk, who, request):
    supervisor = request.getfixturevalue(who)
    client.force_login(supervisor)
    own = walk.world_of(supervisor)
    walk.walk_staff(client, supervisor, own, _other_teams(walk, supervisor))
    # The other team's records themselves are not found (302 to the admin index, the admin's
    # "does not exist"), or refused before the lookup where the role may not open the page.
    not_found = (302, reverse("admin:index"))
    for label, obj in walk.other_world(supervisor).items():
        model = type(obj)
        if "." not in label or not is_scoped(model) or model not in admin.site._registry:
            continue
        model_admin = admin.site._registry[model]
        url = _change_url(model, obj)
        may_read = model_admin.has_view_or_change_permission(_request(supervisor))
        may_write = model_admin.has_change_permission(_request(supervisor))
        response = client.get(url)
        got = (response.status_code, response.get("Location"))
        if got != (not_found if may_read else (403, None)):
            walk.fail(f"GET {url}", got, not_found if may_read else 403)
        # Pulling their record into the team: every relation set to one of the team's own.
        data = {
            name: str(own[model._meta.get_field(name).related_model._meta.label].pk)
            for name in _scoped_relations(model)
        }
        response = walk.refused(
            client, url, data, [("form", None)], [], 302 if may_write else 403, _snapshot(model)
        )
        if may_write and response.get("Location") != reverse("admin:index"):
            walk.fail(f"POST {url}", response.get("Location"), "302 to the admin index")
    assert not walk.failures, "\n".join(walk.failures)
    assert len(walk.covered) == len(set(walk.covered))


def test_a_superuser_cannot_point_a_form_at_an_object_that_does_not_exist(
    client, walk, superuser, manager
):
    client.force_login(superuser)

    def missing(model):
        top = model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
        return top + 1_000_000, None

    own = walk.world_of(manager.supervisor)
    walk.walk_staff(client, superuser, own, missing)
    assert not walk.failures, "\n".join(walk.failures)
    # Every registered admin's add form, and its change form wherever a row exists.
    every_form = set()
    for model, _model_admin in _registry():
        every_form.add(_add_url(model))
        obj = own.get(model._meta.label) or model._default_manager.order_by("pk").first()
        if obj is not None:
            every_form.add(_change_url(model, obj))
    assert sorted(walk.covered) == sorted(every_form)
