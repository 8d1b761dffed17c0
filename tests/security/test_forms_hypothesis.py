"""The main forms, posted through their views with arbitrary input.

Two properties, whatever is typed: the server never fails (a 500 would raise here, the test
client re-raises view exceptions), and a refused form saves nothing (every table the
form's service writes to keeps its row count, and the record being edited is unchanged).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from branches.models import DepositSnapshot, Visit
from documents.models import BranchStock, StockItem, StockMovement
from duties.models import BriefingDelivery
from grading import services as grading
from grading.models import Assessment, Level, LevelChange
from service.models import Case, CaseEvent, Kind, Priority
from staff.models import BranchStaff, StaffPosting
from tests.branches.factories import BranchFactory
from tests.documents.factories import stock_at
from tests.duties.factories import PolicyBriefingFactory
from tests.grading.factories import AssessmentPeriodFactory, SalesFigureFactory
from tests.staff.factories import BranchStaffFactory

pytestmark = pytest.mark.django_db

FORMS = settings(
    max_examples=30,
    deadline=None,
    # One branch and one client for all examples: rows saved by a valid example stay, and
    # each example compares counts before and after its own post.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a browser can send (no lone surrogates: they cannot be encoded in a request).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=120)
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats().map(str),
)
dates = st.one_of(
    st.dates().map(datetime.date.isoformat),
    st.datetimes().map(lambda value: value.strftime("%Y-%m-%dT%H:%M")),
)
anything = st.one_of(text, numbers, dates, st.just(""))
flag = st.one_of(st.sampled_from(["on", "true", "false", ""]), text)


@pytest.fixture(autouse=True)
def _templates_rendered_without_recording():
    """Pages render as in production, without the test client's record of every template
    and a copy of its context (response.templates / response.context): these tests read
    only the status and the redirect, and the recording cost 10-15 % of each post."""
    from django.template import Template
    from django.test.utils import _TestState

    instrumented = Template._render
    Template._render = _TestState.saved_data.template_render
    yield
    Template._render = instrumented


def _counts(models):
    return {model._meta.label: model._default_manager.count() for model in models}


def _post(client, url, data, models, unchanged=()):
    """Post; on a refusal (not a redirect) nothing in ``models`` or ``unchanged`` moved."""
    before = _counts(models)
    snapshots = [(obj, _fields(obj)) for obj in unchanged]
    response = client.post(url, data)
    event(f"status {response.status_code}")  # --hypothesis-show-statistics shows the mix
    assert response.status_code in {200, 302, 400}, response.status_code
    if response.status_code == 302:
        location = response["Location"]
        # Whatever came in "next", a redirect stays on this site.
        assert location.startswith("/") and not location.startswith("//"), location
    else:
        assert _counts(models) == before
        for obj, fields in snapshots:
            obj.refresh_from_db()
            assert _fields(obj) == fields
    return response


def _fields(obj):
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


@pytest.fixture
def branch(manager):
    return BranchFactory(manager=manager)


@given(
    data=st.fixed_dictionaries(
        {
            "visited_at": anything,
            "purposes": st.lists(
                st.one_of(st.sampled_from(Visit.Purpose.values), text), max_size=3
            ),
            "staff_met": st.lists(st.one_of(st.integers().map(str), text), max_size=2),
            "summary": text,
            "next_steps": text,
            "next_visit_on": anything,
            "next": st.one_of(
                text, st.sampled_from(["//evil.example/", "https://evil.example/", "/branches/"])
            ),
        }
    )
)
@FORMS
def test_the_visit_form(manager_client, branch, data):
    url = reverse("branches:visit_create", args=[branch.pk])
    _post(manager_client, url, data, [Visit, Visit.staff_met.through, BranchStock])


@given(
    data=st.fixed_dictionaries(
        {
            "name": text,
            "role": st.one_of(st.sampled_from(BranchStaff.Role.values), text),
            "is_key_teller": flag,
            "is_influencer": flag,
            "mobile": st.one_of(text, st.from_regex(r"1[3-9]\d{9}", fullmatch=True)),
            "birth_month": anything,
            "birth_day": anything,
            "birth_year": anything,
            "hobbies": text,
            "home_area": text,
            "family_notes": text,
            "notes": text,
            "is_active": flag,
        }
    )
)
@FORMS
def test_the_staff_forms(manager_client, branch, data):
    models = [BranchStaff, BranchStaff.history.model, StaffPosting]
    create = reverse("staff:create", args=[branch.pk])
    _post(manager_client, create, data, models)
    someone = BranchStaff.objects.filter(branch=branch).first() or BranchStaffFactory(branch=branch)
    edit = reverse("staff:edit", args=[someone.pk])
    _post(manager_client, edit, data, models, unchanged=[someone])


@given(data=st.fixed_dictionaries({"as_of": anything, "personal": numbers, "corporate": numbers}))
@FORMS
def test_the_deposit_form(manager_client, branch, data):
    url = reverse("branches:deposit_create", args=[branch.pk])
    _post(manager_client, url, data, [DepositSnapshot])


@given(
    data=st.fixed_dictionaries(
        {
            "customer_name": text,
            "customer_mobile": st.one_of(text, st.from_regex(r"1[3-9]\d{9}", fullmatch=True)),
            "kind": st.one_of(st.sampled_from(Kind.values), text),
            "servicing_type": text,
            "priority": st.one_of(st.sampled_from(Priority.values), text),
            "channel": st.one_of(st.sampled_from(Case.Channel.values), text),
            "policy_number": text,
            "product": text,
            "policy_received_on": anything,
            "customer_id_last_four": st.one_of(text, st.from_regex(r"\d{3}[\dX]", fullmatch=True)),
            "description": text,
            "opened_at": anything,
            "due_at": anything,
        }
    )
)
@FORMS
def test_the_case_form(manager_client, branch, data):
    url = reverse("service:create", args=[branch.pk])
    _post(manager_client, url, data, [Case, CaseEvent])


@pytest.fixture
def catalogue(db):
    return list(StockItem.objects.filter(is_active=True).order_by("code"))


@given(
    quantities=st.lists(st.one_of(numbers, text, st.just("")), min_size=1, max_size=8),
    item_ids=st.lists(st.one_of(st.integers().map(str), text), max_size=8),
    total=st.one_of(st.integers(min_value=-2, max_value=40).map(str), text),
    note=text,
    also_log_visit=flag,
    next_visit_on=anything,
)
@FORMS
def test_the_stock_delivery_form(
    manager_client,
    branch,
    catalogue,
    quantities,
    item_ids,
    total,
    note,
    also_log_visit,
    next_visit_on,
):
    data = {
        "lines-TOTAL_FORMS": total,
        "lines-INITIAL_FORMS": str(len(catalogue)),
        "note": note,
        "also_log_visit": also_log_visit,
        "next_visit_on": next_visit_on,
    }
    for index, quantity in enumerate(quantities):
        chosen = item_ids[index] if index < len(item_ids) else None
        data[f"lines-{index}-item"] = chosen or str(catalogue[index % len(catalogue)].pk)
        data[f"lines-{index}-quantity"] = quantity
    url = reverse("documents:delivery", args=[branch.pk])
    _post(manager_client, url, data, [StockMovement, BranchStock, Visit])


@given(data=st.fixed_dictionaries({"counted": st.one_of(numbers, text), "note": text}))
@FORMS
def test_the_stock_count_form(manager_client, branch, manager, data):
    stock = BranchStock.objects.filter(branch=branch).first() or stock_at(
        branch, "brochure", 10, manager.user
    )
    url = reverse("documents:count", args=[stock.pk])
    _post(manager_client, url, data, [StockMovement], unchanged=[stock])


@pytest.fixture
def briefing(db):
    return PolicyBriefingFactory()


@given(
    data=st.fixed_dictionaries(
        {
            "delivered_at": anything,
            "branch": st.one_of(st.integers().map(str), text),
            "staff_briefed": st.lists(st.one_of(st.integers().map(str), text), max_size=2),
            "visit": st.one_of(st.integers().map(str), text, st.just("")),
            "note": text,
        }
    )
)
@FORMS
def test_the_briefing_delivery_form(manager_client, branch, briefing, data):
    url = reverse("duties:delivery_create", args=[briefing.pk])
    _post(manager_client, url, data, [BriefingDelivery, BriefingDelivery.staff_briefed.through])


def _open_assessment(manager, supervisor):
    """The manager's assessment awaiting the supervisor, or a new one in a new period once it
    is decided (or awaits a second approval, which the supervisor cannot give)."""
    current = Assessment.objects.filter(manager=manager).order_by("-pk").first()
    if current is not None and current.status == Assessment.Status.SUBMITTED:
        return current
    # An ended period, submitted: the state in which a decision can be taken.
    period = AssessmentPeriodFactory(
        start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31)
    )
    SalesFigureFactory(manager=manager, period=period, premium=Decimal("1000"))
    assessment = grading.create_assessment(manager=manager, period=period, user=supervisor)
    return grading.submit_assessment(assessment=assessment, user=supervisor)


@given(
    decided_level=st.one_of(st.integers(min_value=-1, max_value=12).map(str), text),
    override_reason=text,
    button=st.sampled_from(["_approve", "_reject", "_save", "_continue"]),
)
@FORMS
def test_the_assessment_decision_in_the_admin(
    supervisor_client, manager, supervisor, decided_level, override_reason, button
):
    assessment = _open_assessment(manager, supervisor)
    # Any real level id, or junk.
    levels = list(Level.objects.order_by("rank").values_list("pk", flat=True))
    # isdecimal, not isdigit: "¹" is a digit that int() refuses.
    if decided_level.lstrip("-").isdecimal() and 0 <= int(decided_level) < len(levels):
        decided_level = str(levels[int(decided_level)])
    data = {
        "manager": assessment.manager_id,
        "period": assessment.period_id,
        "decided_level": decided_level,
        "override_reason": override_reason,
        "rejection_reason": override_reason,
        button: "1",
    }
    url = reverse("admin:grading_assessment_change", args=[assessment.pk])
    _post(supervisor_client, url, data, [LevelChange, Assessment], unchanged=[assessment])


# --- Every admin add form (issue 14, finding 6) -----------------------------------------------
# Whatever is typed into any field of any admin form, the admin answers with the form again
# (or saves a valid row): never a 500, e.g. a 30-digit birth year or an id past bigint.

ADMIN_FORMS = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
huge = st.sampled_from(["1" * 30, "-" + "9" * 25, "9223372036854775808", "²", "٣", "1e400"])
admin_value = st.one_of(anything, huge)


def _admin_models():
    from django.contrib import admin

    return sorted(admin.site._registry, key=lambda model: model._meta.label)


_ADMIN_FORM_KEYS = {}


def _admin_form_keys(user, url):
    """The names the add form posts (split date/time widgets post name_0 and name_1), and
    the empty management forms of its inlines (read once per form)."""
    if url not in _ADMIN_FORM_KEYS:
        _ADMIN_FORM_KEYS[url] = _read_admin_form_keys(user, url)
    return _ADMIN_FORM_KEYS[url]


def _read_admin_form_keys(user, url):
    """Read from the add view's response before it is rendered: the form and its inlines are
    the ones a GET would show, without the 30 ms of templates (the page itself is rendered
    and checked by tests/project/test_admin_pages.py; here it is rendered for every post)."""
    from django import forms
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.urls import resolve

    request = RequestFactory().get(url)
    request.user = user
    match = resolve(url)
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except PermissionDenied:
        return None, {}
    if response.status_code != 200:
        return None, {}
    keys = []
    for name, field in response.context_data["adminform"].form.fields.items():
        if isinstance(field, forms.MultiValueField):
            keys += [f"{name}_{index}" for index in range(len(field.fields))]
        else:
            keys.append(name)
    management = {}
    for inline in response.context_data.get("inline_admin_formsets", []):
        prefix = inline.formset.prefix
        management.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return keys, management


@pytest.fixture
def superuser_client(client, superuser):
    # Once per test: hypothesis runs the examples on the same client (the function-scoped
    # fixtures are not rebuilt between examples), so logging in again per example only
    # rewrote the session.
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("model", _admin_models(), ids=lambda model: model._meta.label)
@given(data=st.data())
@ADMIN_FORMS
def test_every_admin_add_form(superuser_client, superuser, manager, model, data):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    keys, management = _admin_form_keys(superuser, url)
    if keys is None:
        return  # the admin offers no add page for this model (read-only)
    posted = {key: data.draw(admin_value, label=key) for key in keys}
    _post(superuser_client, url, {**posted, **management}, [model])
