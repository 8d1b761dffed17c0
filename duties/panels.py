"""The briefings panel on the branch page (registered in DutiesConfig.ready)."""

from branches.panels import Panel


def briefings_context(branch, user):
    from duties.selectors import active_briefings

    pending = list(active_briefings().exclude(deliveries__branch=branch)[:20])
    return {"pending_briefings": pending, "can_record": branch.manager.user_id == user.pk}


BRIEFINGS_PANEL = Panel(
    order=40, template="duties/_branch_briefings_panel.html", context=briefings_context
)
