"""``{% photo_panel owner %}``: the owner's thumbnails and the camera upload form.

Any page of a record registered in photos.registry may include it (one query).
"""

from django import template
from django.conf import settings

from photos.branch_page import VISIT_PHOTOS_FIELD
from photos.registry import owner_type_for
from photos.selectors import photos_of

register = template.Library()


@register.inclusion_tag("photos/_panel.html", takes_context=True)
def photo_panel(context, owner, heading=True):
    request = context["request"]
    owner_type = owner_type_for(type(owner))
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "owner": owner,
        "label": owner._meta.label_lower,
        "photos": photos_of(owner, request.user) if owner_type else [],
        "registered": owner_type is not None,
        "heading": heading,
        "max_per_upload": settings.PHOTOS_MAX_PER_UPLOAD,
        "next": request.get_full_path(),
    }


@register.inclusion_tag("photos/_photo_input.html")
def visit_photo_input():
    """The camera input inside the visit form (branches.submissions.VisitAttachment)."""
    return {"field": VISIT_PHOTOS_FIELD, "max_per_upload": settings.PHOTOS_MAX_PER_UPLOAD}
