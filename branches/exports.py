"""Downloads of the branch list and the visit log, filtered like the branch list page."""

from django.utils.translation import gettext as _

from branches import selectors
from branches.forms import BranchFilter
from branches.models import Visit
from core.dates import parse_day
from core.exports import Column, export
from core.lists import join_list
from core.validators import mask_phone


def _filtered_branches(request):
    """The branches the list page shows for the same query string (filters and scope)."""
    return BranchFilter(
        request.GET or None, queryset=selectors.branch_list(request.user), user=request.user
    ).qs


def branch_export(request, fmt):
    columns = [
        Column(_("Bank"), lambda b: b.bank.name),
        Column(_("Branch code"), lambda b: b.code),
        Column(_("Branch"), lambda b: b.name),
        Column(_("Tier"), lambda b: b.get_tier_display()),
        Column(_("City"), lambda b: b.city),
        Column(_("District"), lambda b: b.district),
        Column(_("Address"), lambda b: b.address),
        Column(_("Phone"), lambda b: mask_phone(b.phone)),
        Column(_("Account manager"), lambda b: b.manager.display_name),
        Column(_("Employee number"), lambda b: b.manager.employee_number),
        Column(_("Last visit"), lambda b: b.last_visit_at),
        Column(_("Active"), lambda b: _("yes") if b.is_active else _("no")),
    ]
    return export(
        fmt,
        filename="branches",
        title=_("Branches"),
        columns=columns,
        rows=_filtered_branches(request),
    )


def visit_export(request, fmt):
    """The visits to the branches the list shows, optionally from ?since= until ?until=."""
    visits = (
        Visit.objects.for_user(request.user)
        .filter(branch__in=_filtered_branches(request).values("pk"))
        .select_related("branch__bank", "manager__user")
        .prefetch_related("staff_met")
        .order_by("-visited_at", "-pk")
    )
    since = parse_day(request.GET.get("since"))
    until = parse_day(request.GET.get("until"))
    if since:
        visits = visits.filter(visited_at__date__gte=since)
    if until:
        visits = visits.filter(visited_at__date__lte=until)
    columns = [
        Column(_("Visited at"), lambda v: v.visited_at),
        Column(_("Bank"), lambda v: v.branch.bank.name),
        Column(_("Branch code"), lambda v: v.branch.code),
        Column(_("Branch"), lambda v: v.branch.name),
        Column(_("Account manager"), lambda v: v.manager.display_name),
        Column(_("Purposes"), lambda v: join_list(v.get_purposes_display())),
        Column(_("Bank staff met"), lambda v: join_list(s.name for s in v.staff_met.all())),
        Column(_("Visit summary"), lambda v: v.summary),
        Column(_("Next steps"), lambda v: v.next_steps),
        Column(_("Next visit"), lambda v: v.next_visit_on),
    ]
    return export(fmt, filename="visits", title=_("Visits"), columns=columns, rows=visits)
