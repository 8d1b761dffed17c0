"""Writes for the service app: opening a case, the status machine, notes, surrender details.

Views call these and never save a Case themselves, so every change of status goes through
one table of allowed transitions and leaves a CaseEvent behind.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import acting_manager
from accounts.models import AccountManager
from branches.models import AbnormalEvent, Branch
from service.models import (
    Case,
    CaseEvent,
    Kind,
    Priority,
    ServiceSettings,
    SlaRule,
    SurrenderDetail,
    cooling_off_end,
)
from service.signals import case_handed_over, case_resolved

# Used only when the SLA table has no row for a kind and priority (an admin deleted it):
# three days, so such a case still shows up as overdue eventually.
FALLBACK_SLA_HOURS = 72

Status = Case.Status


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: frozenset
    target: str
    style: str = "outline-primary"


ACTIONS = {
    action.name: action
    for action in (
        Action("start", gettext_lazy("Start work"), frozenset({Status.NEW}), Status.IN_PROGRESS),
        Action(
            "hand_over",
            gettext_lazy("Hand over to department"),
            frozenset({Status.NEW, Status.IN_PROGRESS}),
            Status.WAITING,
            "outline-secondary",
        ),
        Action(
            "department_replied",
            gettext_lazy("Department replied"),
            frozenset({Status.WAITING}),
            Status.IN_PROGRESS,
        ),
        Action(
            "resolve",
            gettext_lazy("Resolve"),
            frozenset({Status.NEW, Status.IN_PROGRESS, Status.WAITING}),
            Status.RESOLVED,
            "success",
        ),
        Action("close", gettext_lazy("Close"), frozenset({Status.RESOLVED}), Status.CLOSED, "dark"),
        Action(
            "reopen",
            gettext_lazy("Reopen"),
            frozenset({Status.RESOLVED, Status.CLOSED}),
            Status.IN_PROGRESS,
            "outline-danger",
        ),
    )
}


def available_actions(case: Case) -> list[Action]:
    """The actions the case's current status allows, in the order buttons show them."""
    return [action for action in ACTIONS.values() if case.status in action.sources]


def sla_hours(kind: str, priority: str) -> int:
    """The SLA rule's hours for this kind and priority, or the fallback when none is set."""
    rule = SlaRule.objects.filter(kind=kind, priority=priority).only("hours").first()
    return rule.hours if rule else FALLBACK_SLA_HOURS


def compute_due_at(kind: str, priority: str, opened_at: datetime.datetime) -> datetime.datetime:
    """Opening time plus the SLA rule's hours for this kind and priority (calendar hours)."""
    return opened_at + datetime.timedelta(hours=sla_hours(kind, priority))


@transaction.atomic
def open_case(
    *,
    branch: Branch,
    user: AbstractBaseUser,
    customer_name: str,
    customer_mobile: str,
    kind: str,
    priority: str = Priority.NORMAL,
    channel: str = Case.Channel.BRANCH_COUNTER,
    servicing_type: str = "",
    policy_number: str = "",
    product: str = "",
    customer_id_last_four: str = "",
    description: str = "",
    policy_received_on: datetime.date | None = None,
    opened_at: datetime.datetime | None = None,
    due_at: datetime.datetime | None = None,
    assigned_manager: AccountManager | None = None,
) -> Case:
    """Open a case at a branch.

    Rules: the due time comes from the SLA rule for the kind and priority unless given, and
    must be after the opening; a case cannot be opened in the future; policy servicing needs
    its type; a cancellation needs the policy's receipt date (not in the future) and must
    still be inside the cooling-off period, whose end date is fixed now; a surrender or
    cancellation needs the policy number. The case goes to the opening manager (or the
    branch's manager when a supervisor opens it). An "opened" event starts the timeline.
    """
    now = timezone.now()
    opened_at = opened_at or now
    errors = {}
    if opened_at > now + datetime.timedelta(minutes=5):
        errors["opened_at"] = _("A case cannot be opened in the future.")
    # A phone's minute-rounded "now" may be a little ahead; never let it pass the real now,
    # or resolving at once would come before the opening.
    opened_at = min(opened_at, now)
    if due_at is None:
        due_at = compute_due_at(kind, priority, opened_at)
    elif due_at <= opened_at:
        errors["due_at"] = _("The due time must be after the case was opened.")
    if kind == Kind.SERVICING and not servicing_type:
        errors["servicing_type"] = _("Choose what the policy servicing is for.")
    if kind != Kind.SERVICING:
        servicing_type = ""
    if kind in (Kind.SURRENDER, Kind.CANCELLATION) and not policy_number:
        errors["policy_number"] = _("A surrender or cancellation needs the policy number.")
    cooling_off_ends_on = None
    if kind == Kind.CANCELLATION:
        if policy_received_on is None:
            errors["policy_received_on"] = _(
                "A cancellation needs the day the customer received the policy."
            )
        elif policy_received_on > timezone.localdate():
            errors["policy_received_on"] = _("The policy cannot be received in the future.")
        else:
            days = ServiceSettings.load().cooling_off_days
            cooling_off_ends_on = cooling_off_end(policy_received_on, days)
            if cooling_off_ends_on < timezone.localtime(opened_at).date():
                errors["kind"] = _(
                    "The cooling-off period ended on %(date)s: handle this as a surrender."
                ) % {"date": cooling_off_ends_on.isoformat()}
    if errors:
        raise ValidationError(errors)

    case = Case(
        branch=branch,
        customer_name=customer_name.strip(),
        customer_mobile=customer_mobile,
        customer_id_last_four=(customer_id_last_four or "").upper(),
        policy_number=(policy_number or "").upper(),
        product=product,
        kind=kind,
        servicing_type=servicing_type,
        channel=channel,
        priority=priority,
        description=description,
        policy_received_on=policy_received_on,
        cooling_off_ends_on=cooling_off_ends_on,
        opened_at=opened_at,
        due_at=due_at,
        assigned_manager=assigned_manager or acting_manager(user, branch.manager),
        created_by=user,
    )
    case.full_clean()
    case.save()
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.STATUS,
        to_status=case.status,
        text=description,
        actor=user,
        created_at=opened_at,
    )
    return case


@transaction.atomic
def transition(
    *,
    case: Case,
    action_name: str,
    user: AbstractBaseUser,
    text: str = "",
    resolution: str = "",
    department: str = "",
) -> Case:
    """Move a case through one defined action of the status machine.

    Rules: only the actions in ACTIONS, and only from their source statuses (anything else is
    refused with the reason); handing over needs the department, and tells it (the
    case_handed_over signal: reminders writes to the department's mailbox or channel, once
    per hand-over); the department's reply needs its answer, recorded with the department
    on the timeline; resolving needs a resolution
    summary, and a surrender or cancellation needs its outcome recorded first; reopening needs
    a reason, clears the resolution (kept on the timeline) and gives the case a fresh time
    limit. Every transition writes a CaseEvent; resolving sends ``case_resolved`` inside the
    transaction.
    """
    action = ACTIONS.get(action_name)
    if action is None:
        raise ValidationError(_("Unknown action."), code="unknown_action")
    # Lock the row: two taps on a slow phone must not both move the case.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in action.sources:
        raise ValidationError(
            _("“%(action)s” is not possible for a case that is %(status)s.")
            % {"action": action.label, "status": locked.get_status_display()},
            code="illegal_transition",
        )
    now = timezone.now()
    text = (text or "").strip()
    event_text = text
    outcome = ""
    if action.name == "hand_over":
        if department not in Case.Department.values:
            raise ValidationError(
                {"department": _("Choose the department the case is handed over to.")}
            )
        locked.department = department
        locked.handed_over_at = now
    elif action.name == "department_replied":
        if not text:
            raise ValidationError({"text": _("Write down the department's answer.")})
        department = locked.department
    elif action.name == "resolve":
        resolution = (resolution or "").strip()
        if not resolution:
            raise ValidationError(
                {"resolution": _("Write a resolution summary before resolving the case.")}
            )
        if locked.has_surrender_details:
            detail = SurrenderDetail.objects.filter(case=locked).first()
            if detail is None or detail.outcome == SurrenderDetail.Outcome.PENDING:
                raise ValidationError(
                    _("Record the outcome of the surrender or cancellation before resolving.")
                )
            outcome = detail.outcome
        locked.resolution = resolution
        locked.resolved_at = now
        event_text = resolution
    elif action.name == "close":
        locked.closed_at = now
    elif action.name == "reopen":
        if not text:
            raise ValidationError({"text": _("Give the reason for reopening the case.")})
        # The old resolution stays on the timeline; on the case it would read as current.
        locked.resolution = ""
        locked.resolved_at = None
        locked.closed_at = None
        locked.due_at = compute_due_at(locked.kind, locked.priority, now)
    previous = locked.status
    locked.status = action.target
    locked.save()
    event = CaseEvent.objects.create(
        case=locked,
        kind=CaseEvent.Kind.STATUS,
        from_status=previous,
        to_status=locked.status,
        department=department if action.name in ("hand_over", "department_replied") else "",
        text=event_text,
        actor=user,
        created_at=now,
    )
    if action.name == "hand_over":
        case_handed_over.send(sender=Case, case=locked, event=event)
    if action.name == "resolve":
        # Apps above react in this transaction (sales cancels a policy within cooling-off).
        case_resolved.send(sender=Case, case=locked, outcome=outcome, user=user)
    return locked


def record_department_answer(*, case: Case, user: AbstractBaseUser, text: str) -> Case:
    """Record the answer of the department a case waits for; the case is worked on again.

    Rules: only a case waiting for a department; the answer is required. It stays on the
    timeline with the department (the "department_replied" action of the status machine).
    """
    return transition(case=case, action_name="department_replied", user=user, text=text)


@transaction.atomic
def add_note(*, case: Case, user: AbstractBaseUser, text: str) -> CaseEvent:
    """Add a note to a case's timeline. Rule: a note has text."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    return CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, text=text, actor=user)


@transaction.atomic
def record_surrender_details(
    *,
    case: Case,
    user: AbstractBaseUser,
    procedure_explained: bool = False,
    time_limits_explained: bool = False,
    cash_value: Decimal | None = None,
    cash_value_explained: bool = False,
    pros_and_cons_explained: bool = False,
    notes: str = "",
    outcome: str = SurrenderDetail.Outcome.PENDING,
    abnormal_event: AbnormalEvent | None = None,
) -> SurrenderDetail:
    """Record what was explained to a customer who wants to surrender or cancel.

    Rules: only for surrender and cancellation cases; the cash value is not negative; an
    outcome other than pending needs the procedure and the pros and cons explained first
    (the deck: explain in detail, with the customer's interest at heart); a surrender cannot
    end as "cancelled" nor a cancellation as "surrendered"; a linked abnormal
    event is a "surrender caused by the bank" report of the same branch. Writes a CaseEvent.
    """
    errors = {}
    if not case.has_surrender_details:
        raise ValidationError(_("Only surrender and cancellation cases have these details."))
    if cash_value is not None and cash_value < 0:
        errors["cash_value"] = _("The cash value cannot be negative.")
    if outcome != SurrenderDetail.Outcome.PENDING and not (
        procedure_explained and pros_and_cons_explained
    ):
        errors["outcome"] = _(
            "Explain the procedure and set out the pros and cons before recording an outcome."
        )
    # A cancellation within the cooling-off period ends in a cancellation, never in a
    # surrender, and a surrender (cooling-off over) cannot end in a cancellation.
    impossible = {
        Kind.SURRENDER: SurrenderDetail.Outcome.CANCELLED,
        Kind.CANCELLATION: SurrenderDetail.Outcome.SURRENDERED,
    }
    if impossible.get(case.kind) == outcome:
        errors["outcome"] = _("“%(outcome)s” is not an outcome of a %(kind)s case.") % {
            "outcome": SurrenderDetail.Outcome(outcome).label,
            "kind": case.get_kind_display(),
        }
    if abnormal_event is not None and (
        abnormal_event.branch_id != case.branch_id
        or abnormal_event.category != AbnormalEvent.Category.BANK_SURRENDER
    ):
        errors["abnormal_event"] = _(
            "Link only a “surrender caused by the bank” report of this branch."
        )
    if errors:
        raise ValidationError(errors)
    detail, _created = SurrenderDetail.objects.update_or_create(
        case=case,
        defaults={
            "procedure_explained": procedure_explained,
            "time_limits_explained": time_limits_explained,
            "cash_value": cash_value,
            "cash_value_explained": cash_value_explained,
            "pros_and_cons_explained": pros_and_cons_explained,
            "notes": notes,
            "outcome": outcome,
            "abnormal_event": abnormal_event,
        },
    )
    CaseEvent.objects.create(
        case=case, kind=CaseEvent.Kind.DETAILS, outcome=detail.outcome, actor=user
    )
    return detail
