"""Writes for the documents app. Views call these; they never save models themselves."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AccountManager
from branches.models import Branch, Visit
from core.validators import parse_id
from documents.models import (
    BranchStock,
    Handover,
    IntakeBatch,
    IntakeForm,
    IntakeReview,
    LayoutPlacement,
    ReviewCheck,
    SerialForm,
    SerialRange,
    StockItem,
    StockMovement,
    format_serial,
)
from documents.selectors import stock_state, usage_window, with_state_inputs
from documents.signals import stock_state_changed

MAX_RANGE_SIZE = 5000


def _announce_state_change(branch_stock, previous, today=None):
    current = stock_state(branch_stock, today).state
    if current != previous:
        transaction.on_commit(
            partial(
                stock_state_changed.send,
                sender=BranchStock,
                branch_stock=branch_stock,
                previous=previous,
                current=current,
            )
        )


def _move(row, kind, delta, user, *, visit=None, note="", counted=None, when=None):
    """Lock the row (``row``: its id, or a lookup such as branch and item), change on_hand
    and append the movement, in the caller's transaction. BranchStock.DoesNotExist if there
    is no such row."""
    # select_for_update makes a second simultaneous writer wait and then see the new figure;
    # the CheckConstraint is the last line of defence if anything bypasses the lock.
    # The row is read with what its state is judged on (usage in the window, next planned
    # visit), so the state before and after the movement needs no query of its own: the
    # movement changes only on_hand and, for usage inside today's window, that usage.
    today = timezone.localdate()
    stock = with_state_inputs(
        BranchStock.objects.select_for_update().select_related("item", "branch"), today
    ).get(**(row if isinstance(row, dict) else {"pk": row}))
    previous = stock_state(stock, today).state
    if counted is not None:
        delta = counted - stock.on_hand
    if stock.on_hand + delta < 0:
        raise ValidationError(
            _("Only %(on_hand)d %(unit)s of %(item)s on hand: cannot take out %(quantity)d.")
            % {
                "on_hand": stock.on_hand,
                "unit": stock.item.unit_label,
                "item": stock.item.label,
                "quantity": -delta,
            }
        )
    occurred_at = when or timezone.now()
    changes = {"on_hand": F("on_hand") + delta}
    if counted is not None:
        changes["last_counted_at"] = occurred_at
    if kind == StockMovement.Kind.USAGE and stock.usage_30d_on is not None:
        # Keep the stored usage of the window in step (usage movements are negative).
        start, end = usage_window(stock.usage_30d_on)
        if start <= occurred_at < end:
            changes["usage_30d"] = F("usage_30d") - delta
    # Guarded rather than left to the CheckConstraint: a write that bypassed the lock makes
    # this update change nothing, where a violated constraint would need a savepoint to turn
    # into a message (two statements more on every movement).
    if not (BranchStock.objects.filter(pk=stock.pk, on_hand__gte=-delta).update(**changes)):
        raise ValidationError(
            _("Not enough %(item)s on hand: someone else took some out at the same time.")
            % {"item": stock.item.label}
        )
    movement = StockMovement.objects.create(
        branch_stock=stock,
        kind=kind,
        quantity=delta,
        occurred_at=occurred_at,
        recorded_by=user,
        visit=visit,
        note=note,
    )
    # The row is locked: what it holds now is known without reading it again.
    stock.on_hand += delta
    if counted is not None:
        stock.last_counted_at = occurred_at
    if kind == StockMovement.Kind.USAGE:
        start, end = usage_window(today)
        if start <= occurred_at < end:
            stock.usage_in_window += delta  # both negative: the ledger's sign
    _announce_state_change(stock, previous, today)
    return movement


def refresh_stock_usage(*, today: datetime.date | None = None) -> int:
    """Store every branch item's usage over the 30 days ending ``today`` (the morning scan).

    Rule: ``BranchStock.usage_30d`` is the usage in ``usage_window(usage_30d_on)``; the
    pages trust it only when ``usage_30d_on`` is today, and usage movements recorded afterwards
    (``_move``) add to it. One statement, whatever the size; returns the number of items
    updated.
    """
    today = today or timezone.localdate()
    start, end = usage_window(today)
    if connection.vendor == "postgresql":
        return _refresh_stock_usage_postgresql(today, start, end)
    usage = (
        StockMovement.objects.filter(
            branch_stock=OuterRef("pk"),
            kind=StockMovement.Kind.USAGE,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by()
        .values("branch_stock")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    with transaction.atomic():
        return BranchStock.objects.update(
            # Usage movements are negative in the ledger; usage is their opposite.
            usage_30d=-Coalesce(Subquery(usage, output_field=IntegerField()), 0),
            usage_30d_on=today,
        )


def _refresh_stock_usage_postgresql(today, start, end):
    """:func:`refresh_stock_usage` as one UPDATE ... FROM over the window's usage summed once
    (a hash aggregate), instead of a correlated sum per item: about a third less time at
    scale 1 (bench/RESULTS.md), and it grows with the ledger's window, not items x lookups.
    """
    quote = connection.ops.quote_name
    stock, movement = BranchStock._meta, StockMovement._meta

    def column(meta, name):
        return quote(meta.get_field(name).column)

    item, quantity = column(movement, "branch_stock"), column(movement, "quantity")
    kind, occurred_at = column(movement, "kind"), column(movement, "occurred_at")
    sql = (
        f"UPDATE {quote(stock.db_table)} AS item "
        f"SET {column(stock, 'usage_30d')} = COALESCE(used.total, 0), "
        f"{column(stock, 'usage_30d_on')} = %s "
        f"FROM {quote(stock.db_table)} AS every LEFT JOIN ("
        f"SELECT {item} AS stock_id, -SUM({quantity}) AS total FROM {quote(movement.db_table)} "
        f"WHERE {kind} = %s AND {occurred_at} >= %s AND {occurred_at} < %s GROUP BY {item}"
        f") AS used ON used.stock_id = every.id WHERE item.id = every.id"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [today, StockMovement.Kind.USAGE, start, end])
        return cursor.rowcount


def _positive(quantity):
    if not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError(_("The quantity must be a whole number above zero."))


def record_delivery(
    *,
    branch: Branch,
    lines: Iterable[tuple[StockItem, int]],
    user: AbstractBaseUser | None,
    visit: Visit | None = None,
    note: str = "",
    when: datetime.datetime | None = None,
) -> list[StockMovement]:
    """Deliver several items to a branch at once: all lines are saved or none.

    Each line is (StockItem, quantity > 0); the same item twice is added up. The branch's
    stock row is created on its first delivery. Refusals come before any write: inside a
    caller's transaction (a delivery that logs its visit, a phone's sync) the writes join it
    without a savepoint of their own.
    """
    totals = {}
    for item, quantity in lines:
        _positive(quantity)
        if not item.is_active:
            raise ValidationError(_("%(item)s is no longer stocked.") % {"item": item.label})
        totals[item.pk] = totals.get(item.pk, 0) + quantity
    if not totals:
        raise ValidationError(_("Enter at least one item and its quantity."))
    if visit is not None and visit.branch_id != branch.pk:
        raise ValidationError(_("The visit belongs to another branch."))
    when = when or timezone.now()  # one delivery, one moment: the timeline groups by it
    movements = []
    with transaction.atomic(savepoint=False):
        # A fixed lock order (by item) keeps two deliveries to one branch from deadlocking.
        for item_id in sorted(totals):
            row = {"branch": branch, "item_id": item_id}
            move = partial(
                _move,
                row,
                StockMovement.Kind.DELIVERY,
                totals[item_id],
                user,
                visit=visit,
                note=note,
                when=when,
            )
            try:
                movements.append(move())
            except BranchStock.DoesNotExist:
                # The item's first delivery here: its row is made, then locked as any other.
                BranchStock.objects.get_or_create(**row)
                movements.append(move())
    return movements


@transaction.atomic
def record_usage(
    *,
    branch_stock: BranchStock,
    quantity: int,
    user: AbstractBaseUser | None,
    visit: Visit | None = None,
    note: str = "",
    when: datetime.datetime | None = None,
) -> StockMovement:
    """The branch reports it used ``quantity``; refused if it would go below zero."""
    _positive(quantity)
    return _move(
        branch_stock.pk,
        StockMovement.Kind.USAGE,
        -quantity,
        user,
        visit=visit,
        note=note,
        when=when,
    )


@transaction.atomic
def record_count(
    *,
    branch_stock: BranchStock,
    counted: int,
    user: AbstractBaseUser | None,
    visit: Visit | None = None,
    note: str = "",
    when: datetime.datetime | None = None,
) -> StockMovement:
    """A physical count: the ledger gets the difference to the counted figure (may be 0)."""
    if not isinstance(counted, int) or counted < 0:
        raise ValidationError(_("The counted figure must be a whole number, zero or more."))
    return _move(
        branch_stock.pk,
        StockMovement.Kind.COUNT,
        0,
        user,
        visit=visit,
        note=note,
        counted=counted,
        when=when,
    )


@transaction.atomic
def record_withdrawal(
    *,
    branch_stock: BranchStock,
    quantity: int,
    user: AbstractBaseUser | None,
    visit: Visit | None = None,
    note: str = "",
    when: datetime.datetime | None = None,
) -> StockMovement:
    """Take ``quantity`` back from the branch; two at once can never go below zero."""
    _positive(quantity)
    return _move(
        branch_stock.pk,
        StockMovement.Kind.WITHDRAWAL,
        -quantity,
        user,
        visit=visit,
        note=note,
        when=when,
    )


@transaction.atomic
def record_damage(
    *,
    branch_stock: BranchStock,
    quantity: int,
    user: AbstractBaseUser | None,
    visit: Visit | None = None,
    note: str = "",
    when: datetime.datetime | None = None,
) -> StockMovement:
    """Write off ``quantity`` damaged copies."""
    _positive(quantity)
    return _move(
        branch_stock.pk,
        StockMovement.Kind.DAMAGED,
        -quantity,
        user,
        visit=visit,
        note=note,
        when=when,
    )


def record_movement(
    *,
    branch_stock: BranchStock,
    kind: str,
    quantity: int,
    user: AbstractBaseUser | None,
    note: str = "",
) -> StockMovement:
    """One ledger line of any kind for a branch's stock row, through that kind's rule: a
    delivery adds, usage, withdrawal and damage take away (never below zero), a count sets
    the figure counted. Used where the kind is chosen by hand (the admin)."""
    if kind == StockMovement.Kind.DELIVERY:
        return record_delivery(
            branch=branch_stock.branch, lines=[(branch_stock.item, quantity)], user=user, note=note
        )[0]
    if kind == StockMovement.Kind.COUNT:
        return record_count(branch_stock=branch_stock, counted=quantity, user=user, note=note)
    record = {
        StockMovement.Kind.USAGE: record_usage,
        StockMovement.Kind.WITHDRAWAL: record_withdrawal,
        StockMovement.Kind.DAMAGED: record_damage,
    }[kind]
    return record(branch_stock=branch_stock, quantity=quantity, user=user, note=note)


# --- Serial numbers -------------------------------------------------------------------------


@transaction.atomic
def issue_serial_range(
    *,
    branch: Branch,
    item: StockItem,
    first_number: int,
    last_number: int,
    user: AbstractBaseUser | None,
    when: datetime.datetime | None = None,
) -> SerialRange:
    """Issue numbered forms first..last to a branch.

    Rules: the item is serial-numbered; first ≤ last; at most MAX_RANGE_SIZE numbers; no
    number may have been issued before (the message names the overlapping range). The
    unique serial number is the database's guarantee against two simultaneous issues.
    """
    if not item.is_controlled:
        raise ValidationError(_("%(item)s is not serial-numbered.") % {"item": item.label})
    if first_number < 0 or last_number < first_number:
        raise ValidationError(_("The last number must not be below the first."))
    if last_number - first_number + 1 > MAX_RANGE_SIZE:
        raise ValidationError(
            _("A range may hold at most %(size)d numbers.") % {"size": MAX_RANGE_SIZE}
        )
    overlap = (
        SerialRange.objects.filter(first_number__lte=last_number, last_number__gte=first_number)
        .select_related("branch")
        .first()
    )
    if overlap is not None:
        raise ValidationError(
            _("Numbers %(first)s–%(last)s overlap range %(range)s already issued to %(branch)s.")
            % {
                "first": format_serial(max(first_number, overlap.first_number)),
                "last": format_serial(min(last_number, overlap.last_number)),
                "range": overlap,
                "branch": overlap.branch,
            }
        )
    serial_range = SerialRange.objects.create(
        branch=branch,
        item=item,
        first_number=first_number,
        last_number=last_number,
        issued_at=when or timezone.now(),
        issued_by=user,
    )
    try:
        with transaction.atomic():
            SerialForm.objects.bulk_create(
                SerialForm(serial_range=serial_range, number=number)
                for number in range(first_number, last_number + 1)
            )
    except IntegrityError:
        raise ValidationError(_("Some of these numbers were issued at the same time.")) from None
    return serial_range


SERIAL_TRANSITIONS = {
    SerialForm.Status.ISSUED: {SerialForm.Status.VOIDED, SerialForm.Status.LOST},
    SerialForm.Status.LOST: {SerialForm.Status.ISSUED},  # found again
}


@transaction.atomic
def set_serial_status(*, serial_form: SerialForm, status: str) -> SerialForm:
    """Void (作废) or report lost an unused numbered form, or bring a lost one back.

    A used form is linked to its intake and cannot change here.
    """
    serial_form = SerialForm.objects.select_for_update().get(pk=serial_form.pk)
    if status not in SERIAL_TRANSITIONS.get(serial_form.status, set()):
        raise ValidationError(
            _("Form %(serial)s is %(status)s and cannot become %(new)s.")
            % {
                "serial": serial_form.serial,
                "status": serial_form.get_status_display(),
                "new": SerialForm.Status(status).label,
            }
        )
    serial_form.status = status
    serial_form.status_changed_at = timezone.now()
    serial_form.save(update_fields=["status", "status_changed_at"])
    return serial_form


# --- Intake ---------------------------------------------------------------------------------


def _parse_serials(serials):
    numbers = []
    for raw in serials:
        text = str(raw).strip()
        if not text:
            continue
        number = parse_id(text)
        if number is None:
            raise ValidationError(_("%(serial)s is not a serial number.") % {"serial": text})
        numbers.append(number)
    if not numbers:
        raise ValidationError(_("Enter the serial numbers of the forms collected."))
    if len(set(numbers)) != len(numbers):
        raise ValidationError(_("A serial number is listed twice."))
    return numbers


@transaction.atomic
def collect_forms(
    *,
    branch: Branch,
    serials: Iterable[str | int],
    user: AbstractBaseUser | None,
    when: datetime.datetime | None = None,
    note: str = "",
) -> IntakeBatch:
    """Record a batch of signed forms collected from a branch.

    Each serial must have been issued to this branch and still be unused; collecting marks
    it used (linked to its intake). A form the review returned to the branch may be collected
    again once corrected: it moves to this batch, waiting for a new review round, and its
    earlier rounds stay as they were (IntakeReview). All or nothing.
    """
    numbers = _parse_serials(serials)
    forms = {
        form.number: form
        for form in SerialForm.objects.select_for_update()
        .select_related("serial_range")
        .filter(number__in=numbers)
    }
    returned = {
        intake.serial_form.number: intake
        for intake in IntakeForm.objects.select_for_update(of=("self",))
        .select_related("serial_form")
        .filter(serial_form__number__in=numbers, status=IntakeForm.Status.RETURNED)
    }
    for number in numbers:
        form = forms.get(number)
        if form is None or form.serial_range.branch_id != branch.pk:
            raise ValidationError(
                _("Form %(serial)s was not issued to this branch.")
                % {"serial": format_serial(number)}
            )
        if form.status != SerialForm.Status.ISSUED and number not in returned:
            raise ValidationError(
                _("Form %(serial)s is already %(status)s.")
                % {"serial": form.serial, "status": form.get_status_display()}
            )
    now = timezone.now()
    batch = IntakeBatch.objects.create(
        branch=branch, collected_at=when or now, collected_by=user, note=note
    )
    new_numbers = [number for number in numbers if number not in returned]
    SerialForm.objects.filter(number__in=new_numbers).update(
        status=SerialForm.Status.USED, status_changed_at=now
    )
    IntakeForm.objects.bulk_create(
        IntakeForm(batch=batch, serial_form=forms[number]) for number in new_numbers
    )
    if returned:
        # Back in the queue for review: the previous round's outcome lives in IntakeReview.
        IntakeForm.objects.filter(pk__in=[intake.pk for intake in returned.values()]).update(
            batch=batch,
            status=IntakeForm.Status.COLLECTED,
            failed_checks=[],
            review_warnings=[],
            return_reason="",
            returned_at=None,
            reviewed_at=None,
            reviewed_by=None,
        )
    return batch


def recollect_form(
    *, intake_form: IntakeForm, user: AbstractBaseUser | None, note: str = ""
) -> IntakeBatch:
    """Collect one returned form again after the branch corrected it (a batch of its own)."""
    if intake_form.status != IntakeForm.Status.RETURNED:
        raise ValidationError(
            _("Form %(serial)s is %(status)s: only a returned form is collected again.")
            % {"serial": intake_form.serial_form.serial, "status": intake_form.get_status_display()}
        )
    return collect_forms(
        branch=intake_form.batch.branch,
        serials=[intake_form.serial_form.number],
        user=user,
        note=note,
    )


def _locked(intake_form, allowed, action):
    form = (
        IntakeForm.objects.select_for_update().select_related("serial_form").get(pk=intake_form.pk)
    )
    if form.status not in allowed:
        raise ValidationError(
            _("Form %(serial)s is %(status)s: it cannot be %(action)s.")
            % {
                "serial": form.serial_form.serial,
                "status": form.get_status_display(),
                "action": action,
            }
        )
    return form


def evaluate_checks(
    *, form: IntakeForm, checks: Iterable[ReviewCheck] | None = None
) -> list[ReviewCheck]:
    """The active ReviewChecks the form fails (a read: nothing is saved)."""
    checks = checks if checks is not None else ReviewCheck.objects.filter(is_active=True)
    failures = []
    for check in checks:
        rule = ReviewCheck.Rule
        failed = False
        if check.rule == rule.SIGNATURES:
            failed = not form.signatures_present
        elif check.rule == rule.ID_COPY:
            failed = not form.id_copy_attached
        elif check.rule == rule.BANK_ACCOUNT:
            failed = not form.bank_account_filled
        elif check.rule == rule.AGE_LIMIT and check.limit is not None:
            failed = form.applicant_age is not None and form.applicant_age > check.limit
        elif check.rule == rule.PREMIUM_INCOME and check.limit is not None:
            failed = (
                form.annual_premium is not None
                and bool(form.stated_income)
                and form.annual_premium > form.stated_income * check.limit
            )
        if failed:
            failures.append(check)
    return failures


@transaction.atomic
def review_form(
    *,
    intake_form: IntakeForm,
    user: AbstractBaseUser | None,
    signatures_present: bool,
    id_copy_attached: bool,
    bank_account_filled: bool,
    applicant_name: str = "",
    applicant_age: int | None = None,
    annual_premium: Decimal | None = None,
    stated_income: Decimal | None = None,
    return_reason: str = "",
) -> IntakeForm:
    """Preliminary review (初审) of a collected form.

    The facts read off the form are stored, then the active ReviewChecks run: failing a
    blocking check, or a reason given by the reviewer, returns the form to the branch (the
    failed rule codes are kept in ``failed_checks``); non-blocking failures are kept as
    warnings. Each review is a round of its own (IntakeReview): a returned form
    collected again is reviewed in a new round, and the earlier rounds are kept.
    """
    form = _locked(intake_form, {IntakeForm.Status.COLLECTED}, _("reviewed"))
    form.applicant_name = applicant_name
    form.applicant_age = applicant_age
    form.annual_premium = annual_premium
    form.stated_income = stated_income
    form.signatures_present = signatures_present
    form.id_copy_attached = id_copy_attached
    form.bank_account_filled = bank_account_filled
    failures = evaluate_checks(form=form)
    form.failed_checks = [check.rule for check in failures if check.blocking]
    form.review_warnings = [check.rule for check in failures if not check.blocking]
    form.return_reason = return_reason.strip()
    if form.failed_checks or form.return_reason:
        form.status = IntakeForm.Status.RETURNED
    else:
        form.status = IntakeForm.Status.PASSED
    form.reviewed_at = timezone.now()
    form.reviewed_by = user
    form.returned_at = form.reviewed_at if form.status == IntakeForm.Status.RETURNED else None
    form.save()
    IntakeReview.objects.create(
        intake_form=form,
        round=IntakeReview.objects.filter(intake_form=form).count() + 1,
        batch_id=form.batch_id,
        outcome=IntakeReview.Outcome.RETURNED
        if form.status == IntakeForm.Status.RETURNED
        else IntakeReview.Outcome.PASSED,
        failed_checks=form.failed_checks,
        review_warnings=form.review_warnings,
        return_reason=form.return_reason,
        reviewed_at=form.reviewed_at,
        reviewed_by=user,
    )
    return form


@transaction.atomic
def register_form(*, intake_form: IntakeForm, user: AbstractBaseUser | None) -> IntakeForm:
    """Register a form that passed review; a form is registered once only."""
    form = _locked(intake_form, {IntakeForm.Status.PASSED}, _("registered"))
    form.status = IntakeForm.Status.REGISTERED
    form.registered_at = timezone.now()
    form.registered_by = user
    form.save(update_fields=["status", "registered_at", "registered_by"])
    return form


@transaction.atomic
def hand_over(
    *,
    intake_forms: Iterable[IntakeForm],
    manager: AccountManager,
    user: AbstractBaseUser | None,
    received_by: str,
    slip_number: str,
    when: datetime.datetime | None = None,
) -> Handover:
    """Hand registered forms to the archive/scanning department (归档扫描) under one slip."""
    errors = {}
    if not received_by.strip():
        errors["received_by"] = _("Enter who received the forms.")
    if not slip_number.strip():
        errors["slip_number"] = _("Enter the handover slip number.")
    elif Handover.objects.filter(slip_number=slip_number.strip()).exists():
        errors["slip_number"] = _("This handover slip number is already used.")
    if errors:
        raise ValidationError(errors)
    forms = [
        _locked(form, {IntakeForm.Status.REGISTERED}, _("handed over"))
        for form in sorted(intake_forms, key=lambda form: form.pk)
    ]
    if not forms:
        raise ValidationError(_("Choose at least one registered form."))
    handover = Handover.objects.create(
        manager=manager,
        handed_over_at=when or timezone.now(),
        received_by=received_by.strip(),
        slip_number=slip_number.strip(),
        handed_over_by=user,
    )
    IntakeForm.objects.filter(pk__in=[form.pk for form in forms]).update(
        status=IntakeForm.Status.HANDED_OVER, handover=handover
    )
    return handover


@transaction.atomic
def confirm_handover(
    *,
    handover: Handover,
    user: AbstractBaseUser,
    scanned_slip_number: str = "",
    when: datetime.datetime | None = None,
) -> Handover:
    """The archive confirms it received a handover: the confirming user and the time, and the
    number of the scanned slip when there is one. Once only; the manager who handed the forms
    over cannot confirm their own handover."""
    locked = (
        Handover.objects.select_for_update(of=("self",))
        .select_related("manager")
        .get(pk=handover.pk)
    )
    if locked.confirmed_at is not None:
        raise ValidationError(
            _("Handover %(slip)s was already confirmed.") % {"slip": locked.slip_number}
        )
    if user.pk in (locked.handed_over_by_id, locked.manager.user_id):
        raise ValidationError(_("The archive confirms receipt, not the person who handed over."))
    when = when or timezone.now()
    if when < locked.handed_over_at:
        raise ValidationError(_("Receipt cannot be confirmed before the handover."))
    locked.confirmed_at = when
    locked.confirmed_by = user
    locked.scanned_slip_number = (scanned_slip_number or "").strip()
    locked.save(update_fields=["confirmed_at", "confirmed_by", "scanned_slip_number"])
    return locked


# --- Layout ---------------------------------------------------------------------------------


@transaction.atomic
def place_item(
    *,
    branch: Branch,
    item: StockItem,
    location: str,
    user: AbstractBaseUser | None,
    since: datetime.date | None = None,
) -> LayoutPlacement:
    """Record a poster, brochure, board or stand placed at a branch.

    A poster where the branch (or its bank) forbids posters is refused, suggesting a board.
    """
    if not location.strip():
        raise ValidationError({"location": _("Say where in the branch it is placed.")})
    if not item.is_display:
        raise ValidationError(
            {"item": _("%(item)s is not display material.") % {"item": item.label}}
        )
    if item.code == "poster" and not branch.posters_allowed:
        board = StockItem.objects.filter(code="display_board").first()
        raise ValidationError(
            {
                "item": _(
                    "This branch does not allow posters: use a %(board)s or an acrylic stand "
                    "instead."
                )
                % {"board": board.name if board else _("display board")}
            }
        )
    return LayoutPlacement.objects.create(
        branch=branch,
        item=item,
        location=location.strip(),
        since=since or timezone.localdate(),
        placed_by=user,
    )


@transaction.atomic
def remove_placement(
    *, placement: LayoutPlacement, on: datetime.date | None = None
) -> LayoutPlacement:
    """The item is no longer at the branch."""
    if placement.removed_on is not None:
        raise ValidationError(_("This item was already removed."))
    placement.removed_on = on or timezone.localdate()
    placement.save(update_fields=["removed_on"])
    return placement
