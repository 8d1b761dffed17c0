"""Read replicas: reports, exports and dashboards read from a streaming replica.

Wiring (docs/performance.md, "Read replica"): with ``DATABASE_REPLICA_URL`` set, settings add a
``replica`` database alias and name it in ``REPLICA_DATABASE``; ``ReplicaRouter`` is always in
``DATABASE_ROUTERS`` and ``ReplicaMiddleware`` in ``MIDDLEWARE``. Without the variable both do
nothing: every read and write goes to ``default``, as before.

The rule:

- writes always go to the primary (``default``);
- reads go to the primary, except inside a view named in ``REPLICA_READ_VIEWS`` (the reports,
  the exports, the dashboards: pages that only read, and read a lot), whose reads go to the
  replica;
- read your writes: a request that may have written (any method but GET, HEAD, OPTIONS)
  sets a short-lived cookie, and while it lasts (``REPLICA_PIN_SECONDS``) that browser reads
  everything from the primary, so a report opened right after saving shows what was saved
  even when the replica lags behind;
- a row read from one database keeps reading its related rows from the same one.

The session and the signed-in user are read by the middleware before the view runs, so they
always come from the primary. This module lives in core (not config) because it holds code
and a middleware, not only settings; config names it.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet

PIN_COOKIE = "bd_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

_reads_alias = ContextVar("branchdesk_reads_alias", default=None)


def replica_alias():
    """The replica's database alias, or None when no replica is configured."""
    alias = getattr(settings, "REPLICA_DATABASE", None)
    return alias if alias and alias in settings.DATABASES else None


class ReplicaRouter:
    """Reads to the replica while a replica-reading view runs; everything else to default."""

    def db_for_read(self, model, **hints):
        alias = _reads_alias.get()
        if alias is None:
            return None
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return None  # Django's default: the database the instance came from
        return alias

    def db_for_write(self, model, **hints):
        # A row read from the replica is saved to the primary; other writes as Django does.
        instance = hints.get("instance")
        alias = replica_alias()
        if alias is not None and instance is not None and instance._state.db == alias:
            return DEFAULT_DB_ALIAS
        if _reads_alias.get() is not None:
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        if replica_alias() and {obj1._state.db, obj2._state.db} <= {
            DEFAULT_DB_ALIAS,
            replica_alias(),
        }:
            return True
        return None

    def allow_migrate(self, db, app_label, **hints):
        # A replica is read-only; the primary's migrations reach it by replication.
        if db == replica_alias():
            return False
        return None


def pinned_to_primary(request):
    """Whether this browser wrote something lately (its reads stay on the primary)."""
    return PIN_COOKIE in request.COOKIES


class ReplicaMiddleware:
    """Routes the reads of ``REPLICA_READ_VIEWS`` to the replica and pins a browser that just
    wrote to the primary for ``REPLICA_PIN_SECONDS``. Does nothing without a replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = replica_alias()
        if alias is None:
            return self.get_response(request)
        request._replica_token = None
        try:
            response = self.get_response(request)
        finally:
            token = request._replica_token
            if token is not None:
                _reads_alias.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        alias = replica_alias()
        match = request.resolver_match
        if (
            alias is None
            or match is None
            or request.method not in SAFE_METHODS
            or pinned_to_primary(request)
            or match.view_name not in settings.REPLICA_READ_VIEWS
        ):
            return None
        request._replica_token = _reads_alias.set(alias)
        return None


def bound(rows):
    """A queryset fixed to the database the router picks now: a streamed download reads its
    rows after the view has returned (and the replica routing has ended)."""
    if isinstance(rows, QuerySet):
        return rows.using(rows.db)
    return rows
