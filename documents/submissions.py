"""Submitted stock forms handed to the services: shared by the pages (delivery, usage /
withdrawal / damage) and the offline sync, so a record queued on a phone is read exactly as
the page reads it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.access import acting_manager
from branches.models import Branch
from branches.services import log_visit
from core.batch import fetch_together
from core.forms import add_service_errors
from documents import selectors, services
from documents.forms import DeliveryForm, DeliveryLineFormSet, MovementForm
from documents.models import BranchStock, StockItem, StockMovement

MOVEMENT_SERVICES = {
    "usage": services.record_usage,
    "withdrawal": services.record_withdrawal,
    "damaged": services.record_damage,
}


def delivery_items():
    """The catalogue items a delivery lists, one line each."""
    return StockItem.objects.filter(is_active=True).order_by("code")


def delivery_forms(branch: Branch, data=None, *, items=None, on_hand=None):
    """The delivery page's form and one line per active catalogue item (bound if data).
    ``items`` (:func:`delivery_items`' rows) and ``on_hand`` (the branch's (item id, on
    hand) pairs, ``selectors.on_hand_query``): read already by the page, or read here
    together (a branch not saved yet has no stock)."""
    if items is None and branch.pk:
        items, on_hand = fetch_together([delivery_items(), selectors.on_hand_query(branch.pk)])
    elif items is None:
        items = list(delivery_items())
    initial = [{"item": item.pk} for item in items]
    formset = DeliveryLineFormSet(
        data,
        prefix="lines",
        initial=initial,
        form_kwargs={"items": items, "on_hand": dict(on_hand or ())},
    )
    return DeliveryForm(data), formset


def submit_delivery(*, user, branch: Branch, data, items=None, on_hand=None):
    """Parse the delivery form's fields (a QueryDict) and record the delivery, with its visit
    when the form asks for one: both saved or neither. ``items`` and ``on_hand`` as for
    :func:`delivery_forms`.

    Returns (movements, lines, form, formset); movements is None when nothing was saved, and
    the form or the formset then carries the errors in the active language.
    """
    form, formset = delivery_forms(branch, data, items=items, on_hand=on_hand)
    if not (formset.is_valid() and form.is_valid()):
        return None, [], form, formset
    lines = [
        (line["item"], line["quantity"])
        for line in formset.cleaned_data
        if line.get("item") and line.get("quantity")
    ]
    try:
        with transaction.atomic():
            visit = None
            if form.cleaned_data["also_log_visit"] and lines:
                visit = log_visit(
                    branch=branch,
                    manager=acting_manager(user, branch.manager),
                    purposes=["delivery"],
                    summary=form.cleaned_data["note"],
                    next_visit_on=form.cleaned_data["next_visit_on"],
                )
            movements = services.record_delivery(
                branch=branch,
                lines=lines,
                user=user,
                visit=visit,
                note=form.cleaned_data["note"],
            )
    except ValidationError as error:
        add_service_errors(form, error)
        return None, lines, form, formset
    return movements, lines, form, formset


def submit_movement(*, user, stock: BranchStock, data) -> tuple[StockMovement | None, MovementForm]:
    """Parse the stock page's movement form (usage, withdrawal or damage) and record it.

    Returns the movement, or None and the bound form carrying the errors in the active
    language — among them the service's refusal when the branch's stock would go below zero.
    """
    form = MovementForm(data)
    if not form.is_valid():
        return None, form
    record = MOVEMENT_SERVICES[form.cleaned_data["kind"]]
    try:
        movement = record(
            branch_stock=stock,
            quantity=form.cleaned_data["quantity"],
            user=user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None, form
    return movement, form
