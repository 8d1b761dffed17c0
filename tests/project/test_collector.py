"""The serving process's garbage collector (core.collector, config.wsgi/asgi)."""

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.collector import settle_collector

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def collector_restored():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settling_freezes_start_up_and_raises_the_young_threshold(collector_restored):
    _young, middle, old = gc.get_threshold()
    gc.unfreeze()
    assert gc.get_freeze_count() == 0

    assert settle_collector(young_threshold=12_345) is True

    assert gc.get_threshold() == (12_345, middle, old)
    # Everything alive when it ran (this test's modules among them) is out of the collector.
    assert gc.get_freeze_count() > 1000


def test_zero_leaves_the_collector_as_it_is(collector_restored):
    gc.unfreeze()
    before = gc.get_threshold()

    assert settle_collector(young_threshold=0) is False

    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_without_a_threshold_it_follows_the_setting(collector_restored, settings):
    gc.unfreeze()
    settings.GC_YOUNG_THRESHOLD = 0
    before = gc.get_threshold()

    assert settle_collector() is False
    assert gc.get_threshold() == before

    settings.GC_YOUNG_THRESHOLD = 45_678
    assert settle_collector() is True
    assert gc.get_threshold()[0] == 45_678


def _serving_process(module, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GC_YOUNG_THRESHOLD"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.local")
    code = f"import gc, {module}; print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_served_application_settles_its_collector(module):
    result = _serving_process(module, GC_YOUNG_THRESHOLD="23456")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["23456", "True"]


def test_the_setting_can_turn_it_off():
    result = _serving_process("config.wsgi", GC_YOUNG_THRESHOLD="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["700", "False"]


def test_a_celery_worker_settles_its_collector_before_its_pool_starts(collector_restored, settings):
    from celery.signals import worker_init

    from config.celery_app import settle_worker_collector

    receivers = [ref() for _key, ref in worker_init.receivers]
    assert settle_worker_collector in receivers
    settings.GC_YOUNG_THRESHOLD = 34_567
    gc.unfreeze()

    settle_worker_collector(sender=None)

    assert gc.get_threshold()[0] == 34_567
    assert gc.get_freeze_count() > 1000
