"""Reads for photos."""

from photos.models import Photo


def get_photo_for_user(user, pk):
    """One photo the user may see (the branch's scope, or the manager's for off-site records),
    or 404."""
    return Photo.objects.select_related("branch__bank", "content_type").get_for_user(user, pk=pk)


def photos_of(owner, user):
    """The owner's photos the user may see, newest first (one query)."""
    return list(Photo.objects.of(owner).for_user(user).order_by("-uploaded_at", "-pk"))


def recent_at_branch(branch, limit, evaluate=True):
    """The branch's newest photos, whatever they are filed under (one query)."""
    rows = (
        Photo.objects.filter(branch=branch)
        .select_related("content_type")
        .order_by("-uploaded_at", "-pk")[:limit]
    )
    return list(rows) if evaluate else rows
