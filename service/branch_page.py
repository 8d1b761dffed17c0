"""What the service app adds to the branch page: a panel of open cases and timeline entries."""

from django.urls import reverse
from django.utils.translation import gettext as _

from branches.page_reads import register_read, rows
from branches.panels import Panel
from branches.timeline import TimelineEntry
from core.names import full_name, name_fields
from service.models import Case, CaseEvent
from service.selectors import open_cases_of_branch


def panel_context(branch, user):
    # The branch page has already checked that the user may see this branch.
    return {
        "open_cases": rows(branch, "service.open_cases"),
        "new_case_url": reverse("service:create", args=[branch.pk]),
        "all_cases_url": reverse("service:branch", args=[branch.pk]),
    }


PANEL = Panel(order=50, template="service/_branch_cases_panel.html", context=panel_context)


def _status_changes(branch, limit):
    return (
        CaseEvent.objects.filter(case__branch=branch, kind=CaseEvent.Kind.STATUS)
        .select_related("case", "actor")
        # Only what an entry shows (45 columns of event, case and user to 13).
        .only(
            "created_at",
            "from_status",
            "to_status",
            "department",
            "text",
            "case__kind",
            "case__customer_name",
            *name_fields("actor"),
        )
        .order_by("-created_at", "-pk")[:limit]
    )


register_read(
    "service.open_cases", lambda branch, limit: open_cases_of_branch(branch, evaluate=False)
)
register_read("service.status_changes", _status_changes)


def case_status_changes(branch, limit):
    """Each case opened, resolved, reopened... at the branch, as a timeline entry (one query)."""
    for event in rows(branch, "service.status_changes", limit=limit):
        case = event.case
        # The status as a label after the case ("Complaint · 孙女士 — In progress"): a label
        # does not read inside an English sentence ("Case In progress:").
        status = Case.Status(event.to_status).label if event.from_status else _("Opened")
        yield TimelineEntry(
            when=event.created_at,
            kind="case",
            title=f"{case.get_kind_display()} · {case.customer_name} — {status}",
            summary=(
                f"{event.get_department_display()}: {event.text}".rstrip(": ")
                if event.department
                else event.text
            ),
            url=reverse("service:detail", args=[case.pk]),
            actor=full_name(event.actor),
        )
