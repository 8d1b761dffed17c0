"""Reads of the reminders app."""

from django.http import Http404

from accounts.access import is_supervisor, manager_profile
from reminders.models import Notification


def may_receive_reminders(user):
    """Reminders go to account managers and supervisors (and superusers may look)."""
    return user.is_authenticated and (
        user.is_superuser or manager_profile(user) is not None or is_supervisor(user)
    )


def get_reminder_user(user):
    """The user whose preferences the page shows: always oneself, or 404 for other users."""
    if not may_receive_reminders(user):
        raise Http404
    return user


def recent_notifications_for(user, limit=10):
    """The last emails sent to this user (their own only), newest first."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("channel")
        .order_by("-created_at")[:limit]
    )
