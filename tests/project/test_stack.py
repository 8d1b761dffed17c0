"""Calls across an edge of CPython's frame stack (core.stack, core.middleware)."""

import resource
import sys

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from core.stack import call_in_own_chunk


def _at_depth(depth, function):
    """``function()`` called ``depth`` frames below here."""
    return function() if depth == 0 else _at_depth(depth - 1, function)


def _nest(levels):
    return None if levels == 0 else _nest(levels - 1)


def _loop():
    """What a template does: the same few calls, over and over, at one depth."""
    for _ in range(500):
        _nest(3)


def _most_page_faults(run):
    """The most page faults one run of ``run`` makes, started at each depth from 0 to 249:
    one of those depths puts ``_loop``'s calls across an edge between two chunks."""
    worst = 0
    for depth in range(250):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        _at_depth(depth, run)
        worst = max(worst, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return worst


def test_a_loop_calling_across_a_chunk_edge_maps_no_memory_per_call_in_its_own_chunk():
    # Each of the 500 calls would map a new chunk and fault on its first page; in a chunk of
    # its own the loop touches a handful of pages once.
    assert _most_page_faults(lambda: call_in_own_chunk(_loop)) < 50


@pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info >= (3, 13),
    reason="3.13 and later releases of CPython keep a spare chunk (gh-142183)",
)
def test_without_it_the_same_loop_faults_on_every_call_on_this_python():
    # What the test above measures is there to see: one fault per call across the edge.
    assert _most_page_faults(_loop) >= 500


def test_it_returns_and_raises_what_the_function_does():
    assert call_in_own_chunk(lambda a, b: a + b, 2, 3) == 5
    assert call_in_own_chunk(lambda a, *, b: a - b, 5, b=3) == 2

    def refuse():
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        call_in_own_chunk(refuse)


def _codes_on_the_stack():
    frame, codes = sys._getframe(), []
    while frame is not None:
        codes.append(frame.f_code)
        frame = frame.f_back
    return codes


def _view_codes(request):
    return HttpResponse(str(call_in_own_chunk.__code__ in _codes_on_the_stack()))


_view_codes.login_required = False
urlpatterns = [path("probe/", _view_codes)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_request_runs_its_middleware_and_view_in_a_chunk_of_their_own(client):
    response = client.get("/probe/")

    assert response.status_code == 200
    assert response.content == b"True"


def test_a_celery_task_runs_in_a_chunk_of_its_own():
    from config.celery_app import app

    @app.task(name="tests.project.test_stack.probe")
    def probe():
        return call_in_own_chunk.__code__ in _codes_on_the_stack()

    assert probe.apply().get() is True
    assert probe() is True  # called directly, as a test or a shell does


def test_the_apps_tasks_are_made_with_that_task_class():
    from config.celery_app import OwnChunkTask
    from reminders.tasks import send_stock_digests

    assert isinstance(send_stock_digests, OwnChunkTask)
