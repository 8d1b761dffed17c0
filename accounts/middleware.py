"""Sessions end: after an idle spell, and at an absolute limit from login."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login


class SessionTimeoutMiddleware:
    """Log out after SESSION_IDLE_TIMEOUT seconds without a request.

    The absolute limit is the session cookie's own age (SESSION_COOKIE_AGE, not renewed).
    The last-seen time is written at most once a minute so that browsing does not turn
    every page view into a session write.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= 60 or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)
