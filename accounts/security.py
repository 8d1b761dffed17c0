"""Login protection and the security log.

The log says what happened to which account id and from where, never a username or a
password typed by somebody: a failed username may be a password typed in the wrong box.
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.shortcuts import render

logger = logging.getLogger("branchdesk.security")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes calls this when a username/address pair is locked out."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    logger.warning("login locked out ip=%s", _client_address(request))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def _client_address(request):
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "-")


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None:
        # When the login began, for the absolute session limit and the idle limit.
        import time

        from accounts.middleware import pin_session_expiry

        now = int(time.time())
        request.session["last_seen"] = now
        pin_session_expiry(request.session, now)
    logger.info("login user_id=%s ip=%s", user.pk, _client_address(request) if request else "-")


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    logger.info("logout user_id=%s", getattr(user, "pk", None))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    logger.warning("login failed ip=%s", _client_address(request) if request else "-")
