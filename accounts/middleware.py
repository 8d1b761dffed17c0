"""Sessions end: after an idle spell, and at an absolute limit from login."""

import datetime
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login

from accounts.sessions import users_read_with


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with ``request.user`` the user itself rather than a lazy stand-in.

    Every request reads the user anyway (SessionTimeoutMiddleware below asks whether it is
    signed in), so laziness saves nothing, while each of the hundred-odd ``user.…`` reads a
    page makes (templates, scoping, the menu) went through ``SimpleLazyObject``'s proxy:
    about a tenth of a millisecond a page (issue 22).
    """

    def process_request(self, request):
        super().process_request(request)
        # The session's read brings the user with it (accounts.sessions): one round trip.
        with users_read_with(request.session):
            request.user = auth_middleware.get_user(request)


class SessionTimeoutMiddleware:
    """Log out after SESSION_IDLE_TIMEOUT seconds without a request, and SESSION_COOKIE_AGE
    seconds after signing in however active the session is (the absolute limit).

    The absolute limit counts from the login time kept in the session ("login_at"); the
    session's own expiry is pinned to that moment at login (see accounts.security), so a
    session write (last_seen below) resends the cookie with the time left, never a fresh
    Max-Age. The last-seen time is written at most once a minute so that browsing does not
    turn every page view into a session write.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            # A session from before login_at was recorded counts from its last request.
            login_at = request.session.get("login_at", last_seen)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - login_at >= settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                return redirect_to_login(request.get_full_path())
            if "login_at" not in request.session:
                pin_session_expiry(request.session, login_at)
            if now - last_seen >= 60 or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)


def pin_session_expiry(session, login_at):
    """Record when the login began and end the session SESSION_COOKIE_AGE after it, whatever
    later writes to the session do (the cookie's Max-Age then counts down)."""
    session["login_at"] = login_at
    session.set_expiry(
        datetime.datetime.fromtimestamp(login_at + settings.SESSION_COOKIE_AGE, tz=datetime.UTC)
    )
