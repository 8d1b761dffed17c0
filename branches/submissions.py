"""A submitted visit form handed to the services: shared by the visit page and the offline sync.

One place parses the fields of the visit form, so a record queued on a phone while offline
(desk/offline: the whole form's fields, sent later) is read exactly as the page reads it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from branches import selectors, services
from branches.forms import VisitForm, add_service_errors
from branches.models import Branch, Visit


@dataclass(frozen=True)
class VisitAttachment:
    """Files sent with the visit form by a higher app (photos, say).

    ``field``: the file input's name; ``template``: rendered inside the visit form (the input,
    its help); ``attach(visit=, files=, user=)``: stores the files on the new visit, or raises
    ValidationError with the user's message — then the visit is not saved either.
    """

    field: str
    template: str
    attach: Callable


_attachments: list[VisitAttachment] = []


def register_visit_attachment(attachment: VisitAttachment) -> VisitAttachment:
    """Let the visit form carry ``attachment``'s files (from the app's ``AppConfig.ready``)."""
    if all(existing.field != attachment.field for existing in _attachments):
        _attachments.append(attachment)
    return attachment


def visit_attachments() -> list[VisitAttachment]:
    return list(_attachments)


def submit_visit(*, user, branch: Branch, data, files=None) -> tuple[Visit | None, VisitForm]:
    """Parse the visit form's fields (a QueryDict) and its files, and log the visit.

    Returns the visit, or None and the bound form carrying the errors (the form's own, the
    rules of ``services.log_visit``, and those of each registered attachment, e.g. a file
    that is not a photo) in the active language. Nothing is saved on error: the visit and
    its attachments are stored together or not at all.
    """
    form = VisitForm(data, branch=branch)
    if not form.is_valid():
        return None, form
    cleaned = form.cleaned_data
    chosen = [
        (attachment, attached)
        for attachment in (_attachments if files is not None else [])
        if (attached := files.getlist(attachment.field))
    ]
    try:
        if not chosen:  # log_visit is atomic itself: no second savepoint on the common path
            return _log(user, branch, cleaned), form
        with transaction.atomic():
            visit = _log(user, branch, cleaned)
            for attachment, attached in chosen:
                attachment.attach(visit=visit, files=attached, user=user)
    except ValidationError as error:
        add_service_errors(form, error)
        return None, form
    return visit, form


def _log(user, branch, cleaned):
    return services.log_visit(
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
