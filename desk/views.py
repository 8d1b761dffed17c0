import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from desk.home import home_context

logger = logging.getLogger("branchdesk")


def home(request):
    """The manager's day: today's checklist, where to go next and why, what needs attention.

    A supervisor (or superuser) is offered the team dashboard from here.
    """
    return render(request, "home.html", home_context(request.user))


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For the load balancer and docker-compose: the process is up and the database answers
    (and the broker, when one is configured). 503 with the failing dependencies named."""
    failing = [name for name, check in _dependencies() if not check()]
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing}, status=503)
    return JsonResponse({"status": "ok"})


def _dependencies():
    yield "database", _database_answers
    if not settings.CELERY_BROKER_URL.startswith("memory://"):
        yield "broker", _broker_answers


def _database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("healthz: the database does not answer", exc_info=True)
        return False
    return True


def _broker_answers():
    from kombu import Connection

    # One retry, straight away: kombu would sleep 2 s (interval_start) before it, so a broker
    # that refuses the connection took 2 s to report instead of milliseconds. A broker that
    # does not answer at all is given up after the 2 s connect timeout.
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception:
        logger.warning("healthz: the broker does not answer", exc_info=True)
        return False
    return True


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    """The 500 page, or a 503 page when the database is down, rendered without the request's
    context processors (they read the signed-in user, i.e. the database): a page that needs
    no database, in the language the locale middleware chose from the cookie."""
    error = sys.exc_info()[1]
    if isinstance(error, DatabaseError):
        html = render_to_string(
            "errors/503_database.html", {"LANGUAGE_CODE": translation.get_language()}
        )
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(render_to_string("errors/500.html"), status=500)
