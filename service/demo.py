"""Demo cases at the demo branches, in every status (idempotent: keyed on branch + customer)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from branches.models import Branch
from service import services
from service.models import Case, Kind, SurrenderDetail

# The action path from "new" to each status; the inputs each action needs come from INPUT.
PATHS = {
    "new": [],
    "in_progress": ["start"],
    "waiting": ["start", "hand_over"],
    "resolved": ["start", "resolve"],
    "closed": ["start", "resolve", "close"],
    "reopened": ["start", "resolve", "close", "reopen"],
}
INPUT = {
    "hand_over": {"department": Case.Department.CUSTOMER_SERVICE, "text": "已提交客服部审核"},
    "resolve": {"resolution": "已向客户详细解释并办结"},
    "reopen": {"text": "客户来电表示仍有疑问"},
}

# branch code, customer, mobile, kind, status, days ago opened, extra fields
CASES = [
    ("SH0001", "刘女士", "13912340001", Kind.COMPLAINT, "new", 0, {}),
    ("SH0001", "陈先生", "13912340002", Kind.HARD_QUESTION, "in_progress", 1, {}),
    (
        "SH0004",
        "杨女士",
        "13912340003",
        Kind.SERVICING,
        "waiting",
        2,
        {"servicing_type": Case.ServicingType.BENEFICIARY_CHANGE, "policy_number": "P2024000188"},
    ),
    ("SH0004", "黄先生", "13912340004", Kind.CONSULTATION_PHONE, "resolved", 3, {}),
    ("SH0007", "周女士", "13912340005", Kind.LARGE_CUSTOMER, "closed", 20, {"priority": "low"}),
    (
        "SH0002",
        "吴先生",
        "13912340006",
        Kind.COMPLAINT,
        "in_progress",
        6,
        {"priority": "urgent", "description": "对保单分红不满，要求解释"},
    ),  # overdue
    (
        "SH0002",
        "郑女士",
        "13912340007",
        Kind.CANCELLATION,
        "in_progress",
        1,
        {"policy_number": "P2026001234", "product": "鑫享年金"},
    ),
    (
        "SH0005",
        "孙先生",
        "13912340008",
        Kind.SURRENDER,
        "resolved",
        4,
        {"policy_number": "P2021008899", "product": "稳盈两全保险"},
    ),
    ("SH0003", "马女士", "13912340009", Kind.BANK_STAFF, "reopened", 10, {}),
]


def _surrender_details(case, user):
    services.record_surrender_details(
        case=case,
        user=user,
        procedure_explained=True,
        time_limits_explained=True,
        cash_value=Decimal("18650.00"),
        cash_value_explained=True,
        pros_and_cons_explained=True,
        notes="说明了退保损失与保单贷款的替代方案",
        outcome=SurrenderDetail.Outcome.RETAINED,
    )


def seed(log):
    # Demo branch codes are unique across the demo banks (SH0001...).
    branches = {
        branch.code: branch
        for branch in Branch.objects.filter(code__in=[row[0] for row in CASES]).select_related(
            "manager__user"
        )
    }
    created = 0
    for code, customer, mobile, kind, status, days_ago, extra in CASES:
        branch = branches.get(code)
        if branch is None or Case.objects.filter(branch=branch, customer_name=customer).exists():
            continue
        user = branch.manager.user
        opened_at = timezone.now() - datetime.timedelta(days=days_ago, hours=1)
        if kind == Kind.CANCELLATION:
            extra = {
                **extra,
                "policy_received_on": timezone.localdate() - datetime.timedelta(days=3),
            }
        case = services.open_case(
            branch=branch,
            user=user,
            customer_name=customer,
            customer_mobile=mobile,
            kind=kind,
            opened_at=opened_at,
            **extra,
        )
        for action in PATHS[status]:
            if action == "resolve" and case.has_surrender_details:
                _surrender_details(case, user)
            case = services.transition(
                case=case, action_name=action, user=user, **INPUT.get(action, {})
            )
        created += 1
    log(f"{created} new cases, {Case.objects.count()} in all")
