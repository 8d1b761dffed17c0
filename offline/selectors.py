"""What the signed-in manager can read offline: one bounded JSON document.

Their branches (scoped with the one rule), each branch's active staff with masked phones,
its stock panel and last visits, and today's checklist. Built in a constant number of
queries whatever the number of branches; capped so it stays small on a phone.
"""

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from accounts.access import manager_profile
from branches.models import Branch, Visit
from core.validators import mask_phone
from documents.models import BranchStock
from documents.selectors import assessed
from duties.selectors import checklist_for
from staff.models import BranchStaff

MAX_BRANCHES = 60
MAX_STAFF_PER_BRANCH = 40
VISITS_PER_BRANCH = 3


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def snapshot_for(user) -> dict:
    """The offline data of ``user``: only what the pages would show them, phones masked."""
    today = timezone.localdate()
    branches = list(
        Branch.objects.for_user(user)
        .filter(is_active=True)
        .select_related("bank")
        .order_by("bank__name", "code")[: MAX_BRANCHES + 1]
    )
    truncated = len(branches) > MAX_BRANCHES
    branches = branches[:MAX_BRANCHES]
    ids = [branch.pk for branch in branches]
    rows = {
        branch.pk: {
            "id": branch.pk,
            "name": f"{branch.bank} {branch.name}",
            "code": branch.code,
            "address": branch.address,
            "tier": branch.get_tier_display(),
            "last_visit_at": _when(branch.last_visit_at),
            "staff": [],
            "stock": [],
            "visits": [],
        }
        for branch in branches
    }
    for person in BranchStaff.objects.filter(branch_id__in=ids, is_active=True).order_by(
        "branch_id", "name"
    ):
        staff = rows[person.branch_id]["staff"]
        if len(staff) < MAX_STAFF_PER_BRANCH:
            staff.append(
                {
                    "id": person.pk,
                    "name": person.name,
                    "role": person.get_role_display(),
                    "mobile": mask_phone(person.mobile),
                }
            )
    stock = BranchStock.objects.filter(branch_id__in=ids, item__is_active=True).order_by(
        "branch_id", "item__code"
    )
    for row in assessed(stock, today):
        rows[row.branch_id]["stock"].append(
            {
                "id": row.pk,
                "item": row.item.code,
                "label": row.item.label,
                "unit": row.item.unit_label,
                "on_hand": row.on_hand,
                "state": row.assessment.state,
                "state_label": str(row.assessment.label),
            }
        )
    purposes = dict(Visit.Purpose.choices)
    visits = (
        Visit.objects.filter(branch_id__in=ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("branch_id")],
                order_by=[F("visited_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=VISITS_PER_BRANCH)
        .order_by("branch_id", "rank")
    )
    for visit in visits:
        rows[visit.branch_id]["visits"].append(
            {
                "visited_at": _when(visit.visited_at),
                "purposes": [str(purposes.get(p, p)) for p in visit.purposes],
                "summary": visit.summary[:200],
            }
        )
    checklist = []
    profile = manager_profile(user)
    if profile is not None:
        for item in checklist_for(profile, today):
            checklist.append(
                {
                    "id": item.pk,
                    "task": item.task.label,
                    "branch": f"{item.branch.bank} {item.branch.name}" if item.branch_id else "",
                    "done": item.done,
                    "can_tick": not item.done and item.due_on >= today,
                }
            )
    return {
        "user": user.pk,
        "generated_at": _when(timezone.now()),
        "today": today.isoformat(),
        "branches": list(rows.values()),
        "truncated": truncated,
        "checklist": checklist,
    }
