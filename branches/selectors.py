"""Reads for the branches app. Every query starts from the user's scope."""

from branches.models import Branch, Visit


def get_branch_for_user(user, pk):
    return Branch.objects.select_related("bank", "manager__user").get_for_user(user, pk=pk)


def get_visit_for_user(user, pk):
    return Visit.objects.select_related("branch__bank", "manager__user").get_for_user(user, pk=pk)


def branches_for_user(user):
    return Branch.objects.for_user(user).select_related("bank", "manager__user")
