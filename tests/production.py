"""config.settings.production as a production host loads it, read once per test process.

Several tests ask what the production settings are (HSTS, secure cookies, the redirect to
HTTPS, the database and broker chosen from the environment, static files) and whether
``check --deploy`` passes. The test process runs the test settings, so each of them used to
start a Python of its own with the production settings (1-1.4 s of CPU apiece). One child
process now answers them all, in the environment docker-compose gives the web container: a
secret key, the allowed host, DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis), and
nothing of the test run's own (its database, broker or async override). None of the security
or static-file settings depends on the database or the broker, and the deploy check connects
to neither, so this one environment answers each question as a separate one would.

Questions that need another environment start their own process: production without a
SECRET_KEY must refuse to start, and the local settings need no services
(tests/project/test_deployment.py).
"""

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "ci-only-" + "k" * 56,
    "ALLOWED_HOSTS": "branchdesk.example.com",
    "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}
# The test run's own settings a production host would not have.
NOT_IN_PRODUCTION = {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}

_READ = """
import io, json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

values = {name: getattr(settings, name) for name in dir(settings) if name.isupper()}
# What `manage.py check --deploy --fail-level WARNING` says, in the same process.
output = io.StringIO()
try:
    call_command("check", deploy=True, fail_level="WARNING", stdout=output, stderr=output)
    passed = True
except SystemCheckError as error:
    passed = False
    output.write(str(error))
deploy_check = {"passed": passed, "output": output.getvalue()}
print(json.dumps({"settings": values, "deploy_check": deploy_check}, default=repr))
"""


def environment(**extra):
    """The test run's environment, minus its own services, with production's variables."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    env.update(ENVIRONMENT, **extra)
    return env


@functools.cache
def read():
    """{"settings": every setting (JSON; tuples as lists), "deploy_check": {"passed",
    "output"}}, from one child process per test process (per xdist worker): a session-wide
    answer the tests of several modules share."""
    result = subprocess.run(
        [sys.executable, "-c", _READ],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
