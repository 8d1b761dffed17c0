"""What lets the stack grow past one machine (README, "Scaling out"), as checks on files.

`docker compose up --scale worker=3` must work: a scaled service may not pin a container
name, a host port or a hostname (three containers cannot share them), and Celery tells
workers apart by hostname. Exactly one beat.
"""

from importlib import import_module
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.sessions.backends import db

from tests import production

ROOT = Path(settings.BASE_DIR)


def _services():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_the_worker_can_be_scaled_to_three():
    worker = _services()["worker"]
    for key in ("container_name", "ports", "hostname"):
        assert key not in worker, f"worker sets {key}: --scale worker=3 would clash"
    command = worker["command"]
    # A fixed node name (-n/--hostname without %h) would make three workers one node.
    for flag in ("-n", "--hostname"):
        if flag in command:
            assert "%h" in command[command.index(flag) + 1]
    assert worker.get("deploy", {}).get("replicas", 1) >= 1


def test_no_service_pins_a_container_name():
    assert not [name for name, service in _services().items() if "container_name" in service]


def test_exactly_one_beat_and_it_stays_one():
    services = _services()
    beats = [name for name, service in services.items() if "beat" in service.get("command", [])]
    assert beats == ["beat"]
    assert services["beat"]["deploy"]["replicas"] == 1


def test_state_shared_by_every_web_host_lives_in_the_database():
    # Sessions and login lockouts must be seen by every gunicorn host behind the balancer.
    # Django's database stores, or ours built on them (accounts.sessions: the read prepared).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    assert issubclass(store, db.SessionStore)
    assert getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler") == (
        "axes.handlers.database.AxesDatabaseHandler"
    )


def test_the_real_client_address_comes_from_trusted_proxies_only():
    # Behind N load balancers, TRUSTED_PROXY_COUNT=N; the default trusts no header at all.
    assert settings.TRUSTED_PROXY_COUNT == 0
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ["REMOTE_ADDR"]


def test_static_files_need_no_shared_disk():
    # Each host serves its own copy from the image (whitenoise), or a CDN in front does.
    # The production settings refuse to load without a secret key, and this process already
    # runs the test settings: they are read in a child process, as gunicorn would load them
    # (tests/production.py).
    values = production.read()["settings"]
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in values["MIDDLEWARE"]
