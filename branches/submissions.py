"""A submitted visit form handed to the services: shared by the visit page and the offline sync.

One place parses the fields of the visit form, so a record queued on a phone while offline
(desk/offline: the whole form's fields, sent later) is read exactly as the page reads it.
"""

from django.core.exceptions import ValidationError

from branches import selectors, services
from branches.forms import VisitForm, add_service_errors
from branches.models import Branch, Visit


def submit_visit(*, user, branch: Branch, data) -> tuple[Visit | None, VisitForm]:
    """Parse the visit form's fields (a QueryDict) and log the visit.

    Returns the visit, or None and the bound form carrying the errors (the form's own, and
    the rules of ``services.log_visit``) in the active language. Nothing is saved on error.
    """
    form = VisitForm(data, branch=branch)
    if not form.is_valid():
        return None, form
    cleaned = form.cleaned_data
    try:
        visit = services.log_visit(
            branch=branch,
            manager=selectors.default_visit_manager(user, branch),
            purposes=cleaned["purposes"],
            visited_at=cleaned["visited_at"],
            staff_met=cleaned["staff_met"],
            summary=cleaned["summary"],
            next_steps=cleaned["next_steps"],
            next_visit_on=cleaned["next_visit_on"],
            latitude=cleaned["latitude"],
            longitude=cleaned["longitude"],
            accuracy_m=cleaned["accuracy"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None, form
    return visit, form
