"""Opening a case: SLA due times, the cooling-off clock, and bad input that saves nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from service import services
from service.models import Case, Kind, ServiceSettings, SlaRule, SurrenderDetail, cooling_off_end
from tests.branches.factories import AbnormalEventFactory
from tests.service.factories import CaseFactory


def _open(branch, **overrides):
    data = {
        "branch": branch,
        "user": branch.manager.user,
        "customer_name": "张三",
        "customer_mobile": "13812345678",
        "kind": Kind.COMPLAINT,
    }
    data.update(overrides)
    return services.open_case(**data)


def test_the_default_sla_rules_are_loaded(db):
    assert SlaRule.objects.count() == len(Kind.values) * 3
    assert SlaRule.objects.get(kind="complaint", priority="urgent").hours == 24


def test_the_due_time_follows_the_sla_rule(branch):
    SlaRule.objects.filter(kind="complaint", priority="urgent").update(hours=6)
    opened = timezone.now() - datetime.timedelta(hours=1)
    case = _open(branch, priority="urgent", opened_at=opened)
    assert case.due_at == opened + datetime.timedelta(hours=6)
    assert case.status == Case.Status.NEW
    assert case.assigned_manager == branch.manager
    assert case.events.get().to_status == "new"


def test_an_sla_across_a_month_end_lands_on_the_next_month(branch):
    opened = timezone.make_aware(datetime.datetime(2026, 1, 31, 18, 0))
    case = _open(branch, kind=Kind.SERVICING, servicing_type="policy_loan", opened_at=opened)
    assert timezone.localtime(case.due_at) == timezone.make_aware(
        datetime.datetime(2026, 2, 5, 18, 0)
    )


def test_a_supervisor_opening_a_case_assigns_the_branch_manager(branch, supervisor):
    case = _open(branch, user=supervisor)
    assert case.assigned_manager == branch.manager and case.created_by == supervisor


@pytest.mark.parametrize(
    ("received", "days", "end"),
    [
        (datetime.date(2026, 1, 20), 15, datetime.date(2026, 2, 4)),
        (datetime.date(2026, 1, 31), 15, datetime.date(2026, 2, 15)),
        (datetime.date(2026, 2, 20), 15, datetime.date(2026, 3, 7)),
        (datetime.date(2028, 2, 20), 15, datetime.date(2028, 3, 6)),  # leap year
        (datetime.date(2026, 12, 25), 15, datetime.date(2027, 1, 9)),
        (datetime.date(2026, 4, 30), 10, datetime.date(2026, 5, 10)),
    ],
)
def test_cooling_off_end_dates_across_month_ends(received, days, end):
    assert cooling_off_end(received, days) == end


def test_a_cancellation_gets_its_cooling_off_end_and_countdown(branch):
    ServiceSettings.objects.update(cooling_off_days=20)
    received = timezone.localdate() - datetime.timedelta(days=5)
    case = _open(
        branch, kind=Kind.CANCELLATION, policy_number="P2026000123", policy_received_on=received
    )
    assert case.cooling_off_ends_on == received + datetime.timedelta(days=20)
    assert case.cooling_off_days_left == 15


def test_a_cancellation_after_the_cooling_off_period_is_refused(branch):
    received = timezone.localdate() - datetime.timedelta(days=16)
    with pytest.raises(ValidationError) as raised:
        _open(
            branch, kind=Kind.CANCELLATION, policy_number="P2026000123", policy_received_on=received
        )
    assert "handle this as a surrender" in str(raised.value.message_dict["kind"])
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"policy_number": "AB-12"}, "policy_number", "invalid_policy_number"),
        ({"customer_mobile": "12345"}, "customer_mobile", "invalid_mobile"),
        ({"customer_id_last_four": "12Y4"}, "customer_id_last_four", "invalid_id_last_four"),
    ],
)
def test_malformed_numbers_are_refused_with_their_code_and_nothing_saved(
    branch, overrides, field, code
):
    with pytest.raises(ValidationError) as raised:
        _open(branch, **overrides)
    assert [error.code for error in raised.value.error_dict[field]] == [code]
    assert not Case.objects.exists()


# The service's own rules carry no code: the message is what the user reads.
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": Kind.SERVICING}, "servicing_type", "policy servicing"),
        ({"kind": Kind.SURRENDER}, "policy_number", "needs the policy number"),
        ({"kind": Kind.CANCELLATION, "policy_number": "P20260001"}, "policy_received_on", ""),
        (
            {"opened_at": timezone.now(), "due_at": timezone.now() - datetime.timedelta(hours=1)},
            "due_at",
            "after the case was opened",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(branch, overrides, field, message):
    with pytest.raises(ValidationError) as raised:
        _open(branch, **overrides)
    assert field in raised.value.message_dict
    assert message in " ".join(raised.value.message_dict[field])
    assert not Case.objects.exists()


def test_the_last_four_id_characters_accept_a_final_x(branch):
    case = _open(branch, customer_id_last_four="123x")
    assert case.customer_id_last_four == "123X"


def test_surrender_details_link_only_a_bank_surrender_report_of_the_branch(branch, other_branch):
    case = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number="P123456789")
    user = branch.manager.user
    elsewhere = AbnormalEventFactory(branch=other_branch, category="bank_surrender")
    wrong_kind = AbnormalEventFactory(branch=branch, category="staff_change")
    for event in (elsewhere, wrong_kind):
        with pytest.raises(ValidationError) as raised:
            services.record_surrender_details(case=case, user=user, abnormal_event=event)
        assert "abnormal_event" in raised.value.message_dict
    right = AbnormalEventFactory(branch=branch, category="bank_surrender")
    detail = services.record_surrender_details(
        case=case, user=user, abnormal_event=right, cash_value=Decimal("12345.60")
    )
    assert detail.abnormal_event == right and detail.cash_value == Decimal("12345.60")


def test_an_outcome_needs_the_explanations_first(branch):
    case = CaseFactory(branch=branch, kind=Kind.CANCELLATION, policy_number="P123456789")
    with pytest.raises(ValidationError) as raised:
        services.record_surrender_details(
            case=case, user=branch.manager.user, outcome=SurrenderDetail.Outcome.CANCELLED
        )
    assert "outcome" in raised.value.message_dict
    assert not SurrenderDetail.objects.exists()


def test_a_complaint_has_no_surrender_details(branch):
    case = CaseFactory(branch=branch)
    with pytest.raises(ValidationError):
        services.record_surrender_details(case=case, user=branch.manager.user)
    assert not SurrenderDetail.objects.exists()


@given(
    received=st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 1, 1)), days=st.integers(1, 28)
)
def test_the_cooling_off_period_always_lasts_the_configured_days(received, days):
    end = cooling_off_end(received, days)
    assert (end - received).days == days
    # Up to 28 days (shorter than any month), the end is in the same month or the next one.
    months_later = (end.year - received.year) * 12 + end.month - received.month
    assert 0 <= months_later <= 1


def test_the_database_refuses_a_due_time_before_opening(branch):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(branch=branch, due_at=timezone.now() - datetime.timedelta(days=1))


def test_the_database_refuses_a_negative_cash_value(branch):
    case = CaseFactory(branch=branch, kind=Kind.SURRENDER, policy_number="P123456789")
    with pytest.raises(IntegrityError), transaction.atomic():
        SurrenderDetail.objects.create(case=case, cash_value=Decimal("-1"))


def test_a_case_opened_a_minute_ahead_can_be_resolved_at_once(branch):
    case = _open(branch, opened_at=timezone.now() + datetime.timedelta(minutes=1))
    assert case.opened_at <= timezone.now()
    services.transition(
        case=case, action_name="resolve", user=branch.manager.user, resolution="当场解答"
    )


def test_a_case_cannot_be_opened_in_the_future(branch):
    with pytest.raises(ValidationError) as raised:
        _open(branch, opened_at=timezone.now() + datetime.timedelta(hours=2))
    assert "opened_at" in raised.value.message_dict
    assert not Case.objects.exists()


def test_a_cancellation_on_the_last_cooling_off_day_is_accepted(branch):
    days = ServiceSettings.load().cooling_off_days
    received = timezone.localdate() - datetime.timedelta(days=days)
    case = _open(
        branch, kind=Kind.CANCELLATION, policy_number="P2026000123", policy_received_on=received
    )
    assert case.cooling_off_ends_on == timezone.localdate()
    assert case.cooling_off_days_left == 0


@pytest.mark.parametrize(
    ("kind", "outcome", "allowed"),
    [
        (Kind.SURRENDER, SurrenderDetail.Outcome.SURRENDERED, True),
        (Kind.SURRENDER, SurrenderDetail.Outcome.RETAINED, True),
        (Kind.SURRENDER, SurrenderDetail.Outcome.CANCELLED, False),
        (Kind.CANCELLATION, SurrenderDetail.Outcome.CANCELLED, True),
        (Kind.CANCELLATION, SurrenderDetail.Outcome.SURRENDERED, False),
    ],
)
def test_an_outcome_must_fit_the_kind_of_case(branch, kind, outcome, allowed):
    case = CaseFactory(branch=branch, kind=kind, policy_number="P123456789")
    explained = {"procedure_explained": True, "pros_and_cons_explained": True}
    if allowed:
        detail = services.record_surrender_details(
            case=case, user=branch.manager.user, outcome=outcome, **explained
        )
        assert detail.outcome == outcome
    else:
        with pytest.raises(ValidationError) as raised:
            services.record_surrender_details(
                case=case, user=branch.manager.user, outcome=outcome, **explained
            )
        assert "is not an outcome of a" in " ".join(raised.value.message_dict["outcome"])
        assert not SurrenderDetail.objects.exists()
