from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from desk.home import home_context


def home(request):
    """The manager's day: today's checklist, where to go next and why, what needs attention.

    A supervisor (or superuser) is offered the team dashboard from here.
    """

    return render(request, "home.html", home_context(request.user))


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For the load balancer and docker-compose: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request):
    return render(request, "errors/500.html", status=500)
