"""The briefings panel on the branch page (registered in DutiesConfig.ready)."""

from branches.page_reads import register_read, rows
from branches.panels import Panel


def _pending(branch, limit):
    from duties.selectors import active_briefings

    return active_briefings().exclude(deliveries__branch=branch)[:20]


register_read("duties.pending_briefings", _pending)


def briefings_context(branch, user):
    pending = rows(branch, "duties.pending_briefings")
    return {"pending_briefings": pending, "can_record": branch.manager.user_id == user.pk}


BRIEFINGS_PANEL = Panel(
    order=40, template="duties/_branch_briefings_panel.html", context=briefings_context
)
