"""Reads for the service app. Every query starts from the user's scope."""

from django.db.models import Prefetch

from branches.selectors import get_branch_for_user
from service.case_links import search_q
from service.models import Case, CaseEvent

LIST_RELATED = ("branch__bank", "assigned_manager__user")

__all__ = [
    "branch_cases_for_user",
    "cases_for_user",
    "get_branch_for_user",
    "get_case_for_user",
    "open_cases_for_user",
    "overdue_cases_for_user",
    "search_cases_for_user",
]


def cases_for_user(user):
    return Case.objects.for_user(user).select_related(*LIST_RELATED)


def open_cases_for_user(user):
    return cases_for_user(user).open().order_by("due_at", "pk")


def overdue_cases_for_user(user):
    return cases_for_user(user).overdue().order_by("due_at", "pk")


def branch_cases_for_user(user, branch):
    """All the cases of one branch (already fetched through get_branch_for_user), open first."""
    return cases_for_user(user).filter(branch=branch).order_by("-opened_at", "-pk")


def search_cases_for_user(user, text, branch=None):
    """The user's cases (any status) found by customer name, policy number or mobile, newest
    first; within one branch when given."""
    cases = cases_for_user(user).filter(search_q(text))
    if branch is not None:
        cases = cases.filter(branch=branch)
    return cases.order_by("-opened_at", "-pk")


def get_case_for_user(user, pk):
    """A case with its timeline, or 404 outside the user's scope."""
    events = CaseEvent.objects.select_related("actor").order_by("created_at", "pk")
    return (
        Case.objects.select_related(*LIST_RELATED, "created_by", "surrender_detail__abnormal_event")
        .prefetch_related(Prefetch("events", queryset=events))
        .get_for_user(user, pk=pk)
    )


def open_cases_of_branch(branch, limit=10, evaluate=True):
    """For the branch page's panel: the caller has already checked the branch's scope."""
    rows = (
        Case.objects.filter(branch=branch)
        .open()
        .select_related("assigned_manager__user")
        .order_by("due_at", "pk")[:limit]
    )
    return list(rows) if evaluate else rows
