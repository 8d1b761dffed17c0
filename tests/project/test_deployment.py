"""The production stack as files: docker-compose, settings, the Celery app."""

import os
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

from tests import production

ROOT = Path(settings.BASE_DIR)


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_the_whole_stack_with_healthchecks():
    services = _compose()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name in ("web", "worker", "db", "redis"):
        assert "healthcheck" in services[name], name


def test_compose_commands_exist_in_the_project():
    services = _compose()["services"]
    assert services["web"]["command"][:2] == ["gunicorn", "config.wsgi:application"]
    assert (ROOT / "config" / "wsgi.py").exists()
    for name in ("worker", "beat"):
        command = services[name]["command"]
        assert command[:3] == ["celery", "-A", "config"], name
    assert (ROOT / "config" / "celery_app.py").exists()
    assert (ROOT / services["web"].get("build", ".") / "Dockerfile").exists()
    assert (ROOT / ".env.example").exists()


def test_compose_services_reach_postgres_and_redis():
    environment = _compose()["services"]["worker"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["CELERY_BROKER_URL"].startswith("redis://")


def _run_settings(module, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_settings("config.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_embedded_default_needs_no_services():
    result = _run_settings("config.settings.local")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_environment_variables_choose_postgres_and_redis():
    # tests/production.py: the production settings with DATABASE_URL and CELERY_BROKER_URL set.
    assert production.ENVIRONMENT["DATABASE_URL"].startswith("postgres://")
    assert production.ENVIRONMENT["CELERY_BROKER_URL"].startswith("redis://")
    values = production.read()["settings"]
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
