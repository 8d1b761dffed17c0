"""Records queued on a phone while offline, applied once each when the connection returns.

Every record carries a key made on the phone (a UUID). The first time a key arrives the
record goes through the same parsing and services as the page it came from (the visit page,
the delivery page, the checklist tick); the answer is kept in a SyncRecord. The same key
again — a retry after a lost answer, a doubled Background Sync — gets that first answer back
and saves nothing.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import log_refusal
from branches.selectors import branch_for_user_query
from branches.submissions import submit_visit
from core.batch import fetch_together
from documents.selectors import branch_stock_for_user_query
from documents.submissions import submit_delivery, submit_movement
from duties.forms import TickForm
from duties.selectors import own_item_query
from duties.services import tick_item
from offline.models import SyncRecord
from photos.models import Photo
from photos.registry import get_owner_for_user
from photos.services import add_photos

# The photo panel's file input (photos/templates/photos/_panel.html).
PHOTOS_FIELD = "photos"

# What one queued record's fields may hold (its photos come as files, checked by photos).
MAX_FIELDS = 200
MAX_VALUE_LENGTH = 10_000


class Refused(Exception):
    """The server will not save this record; the message says why, in the user's language."""


def _errors_of(*forms) -> str:
    """Every error of the bound forms as one sentence a manager can read on the phone."""
    parts = []
    for form in forms:
        for bound in form if hasattr(form, "forms") else [form]:
            for name, errors in bound.errors.items():
                label = bound.fields[name].label if name in bound.fields else None
                for error in errors:
                    parts.append(
                        _("%(field)s: %(error)s") % {"field": label, "error": error}
                        if label
                        else str(error)
                    )
        if hasattr(form, "non_form_errors"):
            parts.extend(str(error) for error in form.non_form_errors())
    return " ".join(parts) or _("The record was not valid.")


NOT_YOUR_BRANCH = gettext_lazy(
    "This branch is not among yours (any more): the record was not saved."
)


def _found(lookup, *args, refusal):
    """``lookup(*args)``, or the record refused with ``refusal`` where it answers 404 (the
    record is not, or no longer, the user's)."""
    try:
        return lookup(*args)
    except Http404:
        raise Refused(str(refusal)) from None


def _seen(found, refusal=NOT_YOUR_BRANCH):
    """The record's object as read with its key (:func:`first_answer_and_target`), or the
    record refused with ``refusal``: the user may not see it (any more), the page's 404."""
    if found is None:
        raise Refused(str(refusal))
    return found


def _no_files(files):
    if files:
        raise Refused(_("Photos cannot be sent with this kind of record: it was not saved."))


def _visit(user, target, found, data, files):
    branch = _seen(found)
    # The photos chosen in the visit form go through the same attachment as on the page
    # (photos.services.add_photos: a real image, size and pixel limits, EXIF removed); a bad
    # one refuses the visit with it.
    visit, form = submit_visit(user=user, branch=branch, data=data, files=files)
    if visit is None:
        raise Refused(_errors_of(form))
    photos = list(Photo.objects.of(visit)) if files else []
    return visit.pk, reverse("branches:detail", args=[branch.pk]) + "#timeline", photos


def _delivery(user, target, found, data, files):
    _no_files(files)
    branch = _seen(found)
    movements, _lines, form, formset = submit_delivery(user=user, branch=branch, data=data)
    if movements is None:
        raise Refused(_errors_of(form, formset))
    return movements[0].pk, reverse("branches:detail", args=[branch.pk]), []


def _movement(user, target, found, data, files):
    """Usage, withdrawal or damage of one branch's stock row: refused when the branch's
    stock would go below zero (it may have been used up while the phone was offline)."""
    _no_files(files)
    stock = _seen(found)
    movement, form = submit_movement(user=user, stock=stock, data=data)
    if movement is None:
        raise Refused(_errors_of(form))
    return movement.pk, reverse("documents:movements", args=[stock.pk]), []


def _photos(user, target, _found_nothing, data, files):
    """Photos added to an existing record (a visit's, an event's photo panel) with no signal:
    the same scoped owner lookup and the same checks as the panel's upload."""
    owner_type, owner = _found(
        get_owner_for_user,
        user,
        data.get("owner", ""),
        target,
        refusal=_("This record is not among yours (any more): the photos were not saved."),
    )
    try:
        photos = add_photos(
            owner_type=owner_type,
            owner=owner,
            files=files.getlist(PHOTOS_FIELD) if files else [],
            taken_by=user,
        )
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from None
    return photos[0].pk, owner_type.url(owner.pk), photos


def _tick(user, target, found, data, files):
    _no_files(files)
    item = _seen(
        found, refusal=_("This checklist item is not yours (any more): the tick was not saved.")
    )
    form = TickForm(data)
    if not form.is_valid():
        raise Refused(_errors_of(form))
    try:
        tick_item(item=item, note=form.cleaned_data["note"])
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from None
    return item.pk, reverse("duties:today"), []


@dataclass(frozen=True)
class Handler:
    """One kind of record: ``apply(user, target, found, data, files)`` saves it through its
    page's parsing and services and gives (object id, url, photos); ``read(user, target)``
    is the queryset of the object it is about, as the page scopes it (``found``: that
    object, or None when the user may not see it), read with the key's first answer."""

    apply: Callable
    read: Callable | None = None


HANDLERS = {
    SyncRecord.Kind.VISIT: Handler(_visit, branch_for_user_query),
    SyncRecord.Kind.DELIVERY: Handler(_delivery, branch_for_user_query),
    SyncRecord.Kind.TICK: Handler(_tick, own_item_query),
    SyncRecord.Kind.MOVEMENT: Handler(_movement, branch_stock_for_user_query),
    # Its object's model comes with the record's fields: photos.registry looks it up.
    SyncRecord.Kind.PHOTOS: Handler(_photos),
}


def form_data(fields: Iterable) -> QueryDict:
    """The queued form's fields ([name, value] pairs, as FormData gives them) as a QueryDict.

    Raises ValueError for anything that is not a short list of pairs of strings.
    """
    data = QueryDict(mutable=True)
    fields = list(fields)
    if len(fields) > MAX_FIELDS:
        raise ValueError("too many fields")
    for pair in fields:
        if not (isinstance(pair, list | tuple) and len(pair) == 2):
            raise ValueError("a field is a [name, value] pair")
        name, value = pair
        if not isinstance(name, str) or not isinstance(value, str):
            raise ValueError("names and values are strings")
        if len(value) > MAX_VALUE_LENGTH:
            raise ValueError("value too long")
        if name == "csrfmiddlewaretoken":
            continue
        data.appendlist(name, value)
    data._mutable = False
    return data


def _answers(user, key):
    """The answers given to this key, the first one first."""
    return SyncRecord.objects.filter(user=user, key=key).order_by("pk")


def first_answer(*, user: AbstractBaseUser, key: uuid.UUID) -> SyncRecord | None:
    """The answer given the first time this key arrived, if it did."""
    return _answers(user, key).first()


def first_answer_and_target(
    *, user: AbstractBaseUser, key: uuid.UUID, read: Callable | None, target: int
) -> tuple[SyncRecord | None, object | None]:
    """(:func:`first_answer`, the record's object as ``read(user, target)`` finds it or
    None), in one statement: the key's check rides on the page's first read, so a record
    costs its page's statements and one, the answer."""
    reads = [_answers(user, key)[:1]]
    if read is not None:
        reads.append(read(user, target))
    answered, *found = fetch_together(reads)
    if not answered and found and not found[0]:
        log_refusal(user, reads[1].model)  # as the page's 404 is logged
    return (
        answered[0] if answered else None,
        found[0][0] if found and found[0] else None,
    )


def apply_record(
    *,
    user: AbstractBaseUser,
    key: uuid.UUID,
    kind: str,
    target: int,
    data: QueryDict,
    files: MultiValueDict | None = None,
) -> SyncRecord:
    """Apply one queued record once.

    Rules: a key is applied once per user — if it was seen before, the first answer is
    returned and nothing is saved; the record goes through the same parsing and services as
    the page it came from, with the same scoping (another manager's branch or item is
    refused, as the page would answer 404); its files (a visit's photos) are stored with the
    record or, if one is refused, neither is; a refused record is kept with its reason in the
    active language, so the phone shows why. Two requests racing with the same key: the
    unique constraint stops the second, whose writes are rolled back, and it returns the
    first one's answer.
    """
    handler = HANDLERS.get(kind)
    existing, found = first_answer_and_target(
        user=user, key=key, read=handler and handler.read, target=target
    )
    if existing is not None:
        return existing
    photos = []
    try:
        try:
            # One transaction for the record's writes and its answer: a refusal rolls all of
            # it back, and the refusal is then kept on its own. (A savepoint around the
            # handler cost two more statements on every accepted record.)
            with transaction.atomic():
                if handler is None:
                    raise Refused(_("Unknown kind of record."))
                object_id, url, photos = handler.apply(user, target, found, data, files)
                record = SyncRecord.objects.create(
                    user=user,
                    key=key,
                    kind=kind,
                    status=SyncRecord.Status.ACCEPTED,
                    object_id=object_id,
                    url=url,
                )
        except Refused as refusal:
            # Atomic too: inside a caller's transaction a racing duplicate's IntegrityError
            # must leave it usable for reading the first answer.
            with transaction.atomic():
                record = SyncRecord.objects.create(
                    user=user,
                    key=key,
                    kind=kind if handler else "",
                    status=SyncRecord.Status.REFUSED,
                    reason=str(refusal),
                )
    except IntegrityError:
        # The other request's answer stands; the rows of this one are rolled back, and the
        # files of its photos, written to the storage already, go with them.
        for photo in photos:
            for stored in (photo.image, photo.thumbnail):
                stored.storage.delete(stored.name)
        first = first_answer(user=user, key=key)
        if first is None:
            raise
        return first
    return record
