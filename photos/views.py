"""Upload, list and serve photos. Every read and write goes through the scoping rule."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.redirects import safe_next
from photos import images, selectors, services
from photos.registry import get_owner_for_user, owner_type_for


def upload(request, label, pk):
    # The owner first: someone else's record is a 404 whatever the method.
    owner_type, owner = get_owner_for_user(request.user, label, pk)
    if request.method != "POST":
        return redirect("photos:owner", label=label, pk=owner.pk)
    files = request.FILES.getlist("photos")
    try:
        photos = services.add_photos(
            owner_type=owner_type, owner=owner, files=files, taken_by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext("%(count)s photo added.", "%(count)s photos added.", len(photos))
            % {"count": len(photos)},
        )
        flagged = sum(photo.far_from_owner_time for photo in photos)
        if flagged:
            messages.warning(
                request,
                ngettext(
                    "%(count)s photo was taken hours away from this record's time: it is "
                    "flagged for your supervisor.",
                    "%(count)s photos were taken hours away from this record's time: they are "
                    "flagged for your supervisor.",
                    flagged,
                )
                % {"count": flagged},
            )
    target = safe_next(request, request.POST.get("next"))
    return redirect(target or owner_type.url(owner.pk))


def owner_photos(request, label, pk):
    owner_type, owner = get_owner_for_user(request.user, label, pk)
    return render(
        request,
        "photos/owner_photos.html",
        {"owner": owner, "owner_type": owner_type, "owner_url": owner_type.url(owner.pk)},
    )


def _image_response(data, filename, *, download=False):
    response = HttpResponse(data, content_type="image/jpeg")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Never in a shared cache; the private-pages middleware adds no-store for signed-in users.
    response["Cache-Control"] = "private"
    return response


def stamp_lines(photo, owner):
    """The stamp's lines: when the photo was taken, where, and how far the check-in was."""
    if photo.taken_at:
        when = _("Taken %(time)s") % {
            "time": timezone.localtime(photo.taken_at).strftime("%Y-%m-%d %H:%M")
        }
    else:
        when = _("Uploaded %(time)s (no camera time)") % {
            "time": timezone.localtime(photo.uploaded_at).strftime("%Y-%m-%d %H:%M")
        }
    owner_type = owner_type_for(type(owner)) if owner is not None else None
    lines = [when]
    if photo.branch is not None:
        lines.append(str(photo.branch))
    elif owner_type is not None:
        lines.append(str(owner_type.label(owner)))
    distance = owner_type.distance(owner) if owner_type is not None else None
    if distance is not None:
        lines.append(_("Check-in %(metres)s m from the branch") % {"metres": round(distance)})
    if photo.far_from_owner_time:
        lines.append(_("Taken far from the record's time"))
    return lines


def image(request, pk):
    """The photo as shown and exported (``?download=1``): the stored copy with the stamp drawn
    on it. The stored copy itself is never handed out."""
    photo = selectors.get_photo_for_user(request.user, pk)
    with photo.image.open("rb") as stored:
        data = stored.read()
    stamped = images.stamp(data, stamp_lines(photo, photo.owner))
    return _image_response(
        stamped, f"photo-{photo.pk}.jpg", download=request.GET.get("download") == "1"
    )


def thumbnail(request, pk):
    photo = selectors.get_photo_for_user(request.user, pk)
    with photo.thumbnail.open("rb") as stored:
        data = stored.read()
    return _image_response(data, f"photo-{photo.pk}-thumb.jpg")
