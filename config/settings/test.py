"""Settings for pytest: SQLite unless DATABASE_URL says otherwise, locmem email."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-insecure-key-0123456789-0123456789-0123456789"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
# Tasks run in-process in tests even when CELERY_BROKER_URL is set (as on CI): the broker
# tests (marked "broker") send through Redis on purpose and start their own worker.
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photos": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
# Whitenoise serves collected files in production; tests use the finders instead.
MIDDLEWARE = [entry for entry in MIDDLEWARE if "whitenoise" not in entry]  # noqa: F405
# Tests run in one transaction per test: the import progress connection would not see it.
DATABASES.pop("progress", None)  # noqa: F405
# Channel tests post to a server the test starts on 127.0.0.1, over plain http.
REMINDERS_WEBHOOK_HOSTS = ["127.0.0.1"]
REMINDERS_WEBHOOK_ALLOW_HTTP = True
REMINDERS_WEBHOOK_TIMEOUT = 2
# One process here: a local-memory cache is shared by every request.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A second alias for the read-replica tests (tests/project/test_replica.py): Django's test
# mirror of default. Off (REPLICA_DATABASE None) unless a test turns it on.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPLICA_DATABASE = None
# Every prepared read (core.prepared) is checked against the ordinary build of it.
PREPARED_READS_VERIFY = env.bool("PREPARED_READS_VERIFY", default=True)  # noqa: F405
# Tests read the SQL a page ran (which tables, how often): a server-side EXECUTE hides it. The
# tests of the server-side statements turn them on (tests/project/test_prepared.py).
DATABASE_PREPARED_STATEMENTS = False
