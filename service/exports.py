"""Download of the case lists: the same tab (open, overdue, one branch) and scope as the page."""

from django.http import Http404
from django.utils.translation import gettext as _

from core.exports import Column, export
from service import selectors


def _cases(request):
    tab = request.GET.get("tab") or "open"
    user = request.user
    if tab == "open":
        return selectors.open_cases_for_user(user)
    if tab == "overdue":
        return selectors.overdue_cases_for_user(user)
    if tab == "branch":
        branch = selectors.get_branch_for_user(user, request.GET.get("branch"))
        return selectors.branch_cases_for_user(user, branch)
    raise Http404


def case_export(request, fmt):
    columns = [
        Column(_("Opened at"), lambda c: c.opened_at),
        Column(_("Due at"), lambda c: c.due_at),
        Column(_("Status"), lambda c: c.get_status_display()),
        Column(_("Overdue"), lambda c: _("yes") if c.is_overdue else _("no")),
        Column(_("Kind"), lambda c: c.get_kind_display()),
        Column(_("Priority"), lambda c: c.get_priority_display()),
        Column(_("Customer"), lambda c: c.customer_name),
        Column(_("Customer mobile"), lambda c: c.masked_mobile),
        Column(_("Policy number"), lambda c: c.policy_number),
        Column(_("Bank"), lambda c: c.branch.bank.name),
        Column(_("Branch"), lambda c: c.branch.name),
        Column(_("Assigned manager"), lambda c: c.assigned_manager.display_name),
        Column(_("Resolved at"), lambda c: c.resolved_at),
    ]
    return export(fmt, filename="cases", title=_("Cases"), columns=columns, rows=_cases(request))
