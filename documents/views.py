"""Pages of the documents app: thin — parse, call a service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import acting_manager
from branches.selectors import branches_for_user, get_branch_for_user, get_branch_for_user_with
from core.forms import add_service_errors as _add_errors
from documents import form_notes, selectors, services
from documents.forms import (
    CollectForm,
    ConfirmReceiptForm,
    CountForm,
    HandoverForm,
    MovementForm,
    PlacementForm,
    ReviewForm,
    SerialRangeForm,
    SerialStatusForm,
    StockFilterForm,
)
from documents.models import SerialForm, StockItem
from documents.submissions import (
    delivery_forms,
    delivery_items,
    submit_delivery,
    submit_movement,
)

# --- Stock ----------------------------------------------------------------------------------


def delivery(request, pk):
    # The branch, the catalogue and the branch's stock in one prepared statement.
    branch, items, on_hand = get_branch_for_user_with(
        request.user,
        pk,
        "documents.delivery",
        lambda branch: [delivery_items(), selectors.on_hand_query(branch)],
    )
    if request.method != "POST":
        form, formset = delivery_forms(branch, items=items, on_hand=on_hand)
        return _delivery_page(request, branch, form, formset)
    movements, lines, form, formset = submit_delivery(
        user=request.user, branch=branch, data=request.POST, items=items, on_hand=on_hand
    )
    if movements is not None:
        messages.success(request, _("Delivery recorded."))
        if not branch.posters_allowed and any(item.code == "poster" for item, _quantity in lines):
            messages.warning(
                request,
                _(
                    "%(branch)s does not allow posters: take them back or keep them "
                    "for another branch."
                )
                % {"branch": branch},
            )
        return redirect("branches:detail", pk=branch.pk)
    return _delivery_page(request, branch, form, formset)


def _delivery_page(request, branch, form, formset):
    return render(
        request,
        "documents/delivery.html",
        {"branch": branch, "formset": formset, "form": form},
    )


def count(request, pk):
    stock = selectors.get_branch_stock_for_user(request.user, pk)
    form = CountForm(request.POST or None, initial={"counted": stock.on_hand})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_count(
                branch_stock=stock,
                counted=form.cleaned_data["counted"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Count recorded."))
            return redirect("branches:detail", pk=stock.branch_id)
    return render(request, "documents/count.html", {"stock": stock, "form": form})


def movements(request, pk):
    stock = selectors.get_branch_stock_for_user(request.user, pk)
    if request.method == "POST":
        movement, form = submit_movement(user=request.user, stock=stock, data=request.POST)
        if movement is not None:
            messages.success(request, _("Movement recorded."))
            return redirect("documents:movements", pk=stock.pk)
    else:
        form = MovementForm()
    page = Paginator(selectors.movements_of(stock), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/movements.html",
        {
            "stock": stock,
            "assessment": selectors.stock_state(stock),
            "page": page,
            "form": form,
        },
    )


def overview(request):
    filters = StockFilterForm(request.GET or None)
    state = filters.cleaned_data["state"] if filters.is_valid() else ""
    keys = selectors.stock_overview_keys(request.user, state=state or None)
    page = Paginator(keys, 100).get_page(request.GET.get("page"))
    # Models only for the rows this page shows (see stock_overview_keys).
    page.object_list = selectors.overview_rows(page.object_list)
    return render(
        request, "documents/overview.html", {"filters": filters, "page": page, "state": state}
    )


# --- Serial numbers -------------------------------------------------------------------------


def serials(request, pk):
    branch = get_branch_for_user(request.user, pk)
    item = StockItem.objects.filter(is_controlled=True, is_active=True).order_by("code").first()
    range_form = SerialRangeForm(prefix="range")
    status_form = SerialStatusForm(prefix="status")
    if request.method == "POST":
        if "issue" in request.POST:
            range_form = SerialRangeForm(request.POST, prefix="range")
            if range_form.is_valid():
                try:
                    if item is None:
                        raise ValidationError(_("No serial-numbered item is stocked."))
                    serial_range = services.issue_serial_range(
                        branch=branch,
                        item=item,
                        first_number=range_form.cleaned_data["first_number"],
                        last_number=range_form.cleaned_data["last_number"],
                        user=request.user,
                    )
                except ValidationError as error:
                    _add_errors(range_form, error)
                else:
                    messages.success(
                        request, _("Range %(range)s issued.") % {"range": serial_range}
                    )
                    return redirect("documents:serials", pk=branch.pk)
        else:
            status_form = SerialStatusForm(request.POST, prefix="status")
            if status_form.is_valid():
                serial_form = SerialForm.objects.filter(
                    serial_range__branch=branch, number=status_form.cleaned_data["number"]
                ).first()
                try:
                    if serial_form is None:
                        raise ValidationError(_("This number was not issued to this branch."))
                    services.set_serial_status(
                        serial_form=serial_form, status=status_form.cleaned_data["status"]
                    )
                except ValidationError as error:
                    _add_errors(status_form, error)
                else:
                    messages.success(request, _("Form status changed."))
                    return redirect("documents:serials", pk=branch.pk)
    ranges = selectors.serial_ranges_of(branch)
    return render(
        request,
        "documents/serials.html",
        {
            "branch": branch,
            "ranges": ranges,
            "range_form": range_form,
            "status_form": status_form,
        },
    )


def reconciliation(request):
    rows = selectors.serial_reconciliation(branches_for_user(request.user))
    managers = selectors.reconciliation_by_manager(rows)
    return render(request, "documents/reconciliation.html", {"rows": rows, "managers": managers})


# --- Intake ---------------------------------------------------------------------------------


def intake_list(request):
    if request.GET.get("collect"):
        # The list's own "start collecting" form: on to the chosen branch's collect form.
        try:
            pk = int(request.GET["collect"])
        except ValueError:
            pk = 0
        return redirect("documents:collect", pk=get_branch_for_user(request.user, pk).pk)
    batches = selectors.intake_batches_for_user(request.user)
    page = Paginator(batches, 50).get_page(request.GET.get("page"))
    registered = selectors.registered_forms_for_user(request.user).exists()
    branches = branches_for_user(request.user).filter(is_active=True).order_by("bank__name", "code")
    return render(
        request,
        "documents/intake_list.html",
        {"page": page, "has_registered": registered, "branches": branches},
    )


def collect(request, pk):
    branch = get_branch_for_user(request.user, pk)
    form = CollectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.collect_forms(
                branch=branch,
                serials=form.cleaned_data["serials"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Forms collected."))
            return redirect("documents:intake_batch", pk=batch.pk)
    available, runs = selectors.collectable_serials(branch)
    return render(
        request,
        "documents/collect.html",
        {"branch": branch, "form": form, "available": available, "runs": runs},
    )


def intake_batch(request, pk):
    batch = selectors.get_intake_batch_for_user(request.user, pk)
    forms = list(
        batch.forms.select_related(
            "serial_form", "reviewed_by", "registered_by", "handover__handed_over_by"
        ).prefetch_related("reviews__reviewed_by")
    )
    # What became of each form after the archive (a policy issued), from the apps above.
    notes = form_notes.notes_for(form.pk for form in forms)
    for form in forms:
        form.notes = notes.get(form.pk, [])
    return render(request, "documents/intake_batch.html", {"batch": batch, "forms": forms})


def review(request, pk):
    intake_form = selectors.get_intake_form_for_user(request.user, pk)
    form = ReviewForm(request.POST or None, instance=intake_form)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.review_form(intake_form=intake_form, user=request.user, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Review saved."))
            return redirect("documents:intake_batch", pk=intake_form.batch_id)
    return render(request, "documents/review.html", {"intake_form": intake_form, "form": form})


@require_POST
def register(request, pk):
    intake_form = selectors.get_intake_form_for_user(request.user, pk)
    try:
        services.register_form(intake_form=intake_form, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Form %(serial)s registered.") % {"serial": intake_form})
    return redirect("documents:intake_batch", pk=intake_form.batch_id)


@require_POST
def recollect(request, pk):
    """Collect a returned form again once the branch corrected it: a new review round."""
    intake_form = selectors.get_intake_form_for_user(request.user, pk)
    try:
        batch = services.recollect_form(intake_form=intake_form, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("documents:intake_batch", pk=intake_form.batch_id)
    messages.success(
        request,
        _("Form %(serial)s collected again: review it once more.") % {"serial": intake_form},
    )
    return redirect("documents:intake_batch", pk=batch.pk)


def returned_forms(request):
    rows = selectors.returned_forms_for_user(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "documents/returned_forms.html", {"page": page})


def handover_list(request):
    flagged = request.GET.get("flagged") == "1"
    rows = selectors.handovers_for_user(request.user, flagged=flagged)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/handover_list.html",
        {
            "page": page,
            "flagged": flagged,
            "now": timezone.now(),
            "days": settings.HANDOVER_CONFIRM_DAYS,
        },
    )


@require_POST
def confirm_receipt(request, pk):
    """The archive confirms it received the handover (with the scanned slip's number)."""
    handover = selectors.get_handover_for_user(request.user, pk)
    if not request.user.has_perm("documents.change_handover"):
        messages.error(request, _("Only the archive confirms receipt of a handover."))
        return redirect("documents:handover_slip", pk=handover.pk)
    form = ConfirmReceiptForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_handover(
                handover=handover,
                user=request.user,
                scanned_slip_number=form.cleaned_data["scanned_slip_number"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Receipt confirmed."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("documents:handover_slip", pk=handover.pk)


def handover_new(request):
    registered = selectors.registered_forms_for_user(request.user)
    form = HandoverForm(request.POST or None, registered=registered)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["forms_to_hand_over"])
        manager = acting_manager(request.user, chosen[0].batch.branch.manager)
        try:
            handover = services.hand_over(
                intake_forms=chosen,
                manager=manager,
                user=request.user,
                received_by=form.cleaned_data["received_by"],
                slip_number=form.cleaned_data["slip_number"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Forms handed over."))
            return redirect("documents:handover_slip", pk=handover.pk)
    return render(request, "documents/handover_new.html", {"form": form})


def handover_slip(request, pk):
    handover = selectors.get_handover_for_user(request.user, pk)
    forms = handover.forms.select_related("serial_form", "batch__branch__bank").order_by(
        "serial_form__number"
    )
    return render(
        request,
        "documents/handover_slip.html",
        {
            "handover": handover,
            "forms": forms,
            "flagged": handover.is_flagged(),
            "may_confirm": handover.confirmed_at is None
            and request.user.has_perm("documents.change_handover"),
            "confirm_form": ConfirmReceiptForm(),
        },
    )


# --- Layout ---------------------------------------------------------------------------------


def layout(request, pk):
    branch = get_branch_for_user(request.user, pk)
    form = PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_item(
                branch=branch,
                item=form.cleaned_data["item"],
                location=form.cleaned_data["location"],
                user=request.user,
                since=form.cleaned_data["since"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Placement recorded."))
            return redirect("documents:layout", pk=branch.pk)
    placements = selectors.placements_of(branch)
    return render(
        request,
        "documents/layout.html",
        {"branch": branch, "form": form, "placements": placements},
    )


@require_POST
def remove_placement(request, pk):
    placement = selectors.get_placement_for_user(request.user, pk)
    try:
        services.remove_placement(placement=placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Placement removed."))
    return redirect(reverse("documents:layout", args=[placement.branch_id]))
