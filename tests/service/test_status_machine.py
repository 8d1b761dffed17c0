"""The status machine as a table: (state, action) → new state, or refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from service import services
from service.models import Case, CaseEvent, Kind, SurrenderDetail
from tests.service.factories import CaseFactory

S = Case.Status
ALLOWED = {
    (S.NEW, "start"): S.IN_PROGRESS,
    (S.NEW, "hand_over"): S.WAITING,
    (S.NEW, "resolve"): S.RESOLVED,
    (S.IN_PROGRESS, "hand_over"): S.WAITING,
    (S.IN_PROGRESS, "resolve"): S.RESOLVED,
    (S.WAITING, "department_replied"): S.IN_PROGRESS,
    (S.WAITING, "resolve"): S.RESOLVED,
    (S.RESOLVED, "close"): S.CLOSED,
    (S.RESOLVED, "reopen"): S.IN_PROGRESS,
    (S.CLOSED, "reopen"): S.IN_PROGRESS,
}
ACTIONS = ["start", "hand_over", "department_replied", "resolve", "close", "reopen"]
TABLE = [(state, action, ALLOWED.get((state, action))) for state in S.values for action in ACTIONS]
# Every action with the input it needs, so a refusal can only come from the state.
INPUT = {
    "hand_over": {"department": Case.Department.UNDERWRITING},
    "resolve": {"resolution": "已向客户解释清楚"},
    "reopen": {"text": "客户再次来电"},
    "department_replied": {"text": "契约部：资料齐全，已受理"},
}


@pytest.mark.parametrize(("state", "action", "expected"), TABLE)
def test_the_status_table(branch, state, action, expected):
    case = CaseFactory(branch=branch, status=state)
    user = branch.manager.user
    if expected is None:
        with pytest.raises(ValidationError) as raised:
            services.transition(case=case, action_name=action, user=user, **INPUT.get(action, {}))
        assert raised.value.code == "illegal_transition"
        case.refresh_from_db()
        assert case.status == state
        assert not case.events.filter(from_status=state).exists()
    else:
        services.transition(case=case, action_name=action, user=user, **INPUT.get(action, {}))
        case.refresh_from_db()
        assert case.status == expected
        event = case.events.get(from_status=state)
        assert (event.to_status, event.actor, event.kind) == (expected, user, "status")


def test_it_refuses_an_unknown_action(branch):
    case = CaseFactory(branch=branch)
    with pytest.raises(ValidationError) as raised:
        services.transition(case=case, action_name="delete", user=branch.manager.user)
    assert raised.value.code == "unknown_action"
    case.refresh_from_db()
    assert case.status == S.NEW and case.events.count() == 1  # the opening only


def test_resolving_needs_a_summary(branch):
    case = CaseFactory(branch=branch, status=S.IN_PROGRESS)
    with pytest.raises(ValidationError) as raised:
        services.transition(
            case=case, action_name="resolve", user=branch.manager.user, resolution="   "
        )
    assert "resolution" in raised.value.message_dict
    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS and case.resolved_at is None


def test_resolving_records_the_summary_and_time(branch):
    case = CaseFactory(branch=branch, status=S.IN_PROGRESS)
    services.transition(
        case=case, action_name="resolve", user=branch.manager.user, resolution="已办理"
    )
    case.refresh_from_db()
    assert case.resolution == "已办理" and case.resolved_at is not None
    assert case.events.last().text == "已办理"


def test_handing_over_needs_the_department_and_records_when(branch):
    case = CaseFactory(branch=branch, status=S.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.transition(case=case, action_name="hand_over", user=branch.manager.user)
    services.transition(
        case=case,
        action_name="hand_over",
        user=branch.manager.user,
        department=Case.Department.CUSTOMER_SERVICE,
    )
    case.refresh_from_db()
    assert case.department == "customer_service" and case.handed_over_at is not None


def test_reopening_needs_a_reason_and_gives_a_fresh_time_limit(branch):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    case = CaseFactory(
        branch=branch,
        status=S.CLOSED,
        opened_at=long_ago,
        resolved_at=long_ago + datetime.timedelta(days=1),
        closed_at=long_ago + datetime.timedelta(days=2),
        resolution="已答复",
    )
    with pytest.raises(ValidationError) as raised:
        services.transition(case=case, action_name="reopen", user=branch.manager.user)
    assert "text" in raised.value.message_dict
    services.transition(
        case=case, action_name="reopen", user=branch.manager.user, text="客户不满意"
    )
    case.refresh_from_db()
    assert case.status == S.IN_PROGRESS
    assert case.resolved_at is None and case.closed_at is None and case.resolution == ""
    assert case.due_at > timezone.now()
    assert case.events.filter(text="客户不满意").exists()


def test_a_surrender_needs_its_outcome_before_resolving(branch):
    case = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number="P123456789")
    user = branch.manager.user
    with pytest.raises(ValidationError, match="outcome"):
        services.transition(case=case, action_name="resolve", user=user, resolution="客户保留保单")
    services.record_surrender_details(
        case=case,
        user=user,
        procedure_explained=True,
        pros_and_cons_explained=True,
        outcome=SurrenderDetail.Outcome.RETAINED,
    )
    services.transition(case=case, action_name="resolve", user=user, resolution="客户保留保单")
    case.refresh_from_db()
    assert case.status == S.RESOLVED
    assert case.events.filter(kind=CaseEvent.Kind.DETAILS).exists()
