"""Settings shared by every environment.

Every knob is read here once, from one environment variable with one default, through
django-environ (the cookiecutter-django way). ``local``, ``test`` and ``production`` only
change what must differ between them.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A .env file beside manage.py is optional; the real environment wins over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------------------------
# None here: local/test fill in a throwaway key; production refuses to start without one.
SECRET_KEY = env("SECRET_KEY", default=None)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute address of the site, used to build links in emails sent by Celery.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if "sqlite" not in DATABASES["default"]["ENGINE"]:
    # A second connection to the same database, outside the transaction of a running import,
    # so its progress is visible while it runs (branches.imports). SQLite allows one writer.
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
# A streaming replica (DATABASE_REPLICA_URL, unset: none): the reports, exports and dashboards
# named in REPLICA_READ_VIEWS read from it; writes, and a browser's reads for
# REPLICA_PIN_SECONDS after it wrote, stay on the primary (core.replica, docs/performance.md).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "TEST": {"MIRROR": "default"},
    }
# PostgreSQL: prepared reads are also prepared on the server (PREPARE/EXECUTE) the second time
# a connection runs them, which saves PostgreSQL parsing and planning them. Off behind a pooler
# in transaction mode (PgBouncer's), which shares server sessions between clients.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
# PostgreSQL's planner cost of reading a page out of order (its default 4 is a spinning
# disk's). A working set in memory or on SSD reads any page about as fast as the next one:
# at 4 a team's 240 branches' stock rows were found by scanning all 35,000 (8 ms) instead of
# through the branch index (2 ms). Empty: the server's own setting.
DATABASE_RANDOM_PAGE_COST = env("DATABASE_RANDOM_PAGE_COST", default="1.1")
_server_settings = [
    # Prepared statements always run on their one generic plan. PostgreSQL otherwise plans a
    # statement again on every run when its generic plan's estimate looks dearer than the
    # values' own plan: the work log's statement was planned afresh each time (4.1 ms; 1.3
    # on its generic plan). It concerns server-side statements only.
    "-c plan_cache_mode=force_generic_plan" if DATABASE_PREPARED_STATEMENTS else "",
    f"-c random_page_cost={float(DATABASE_RANDOM_PAGE_COST)}" if DATABASE_RANDOM_PAGE_COST else "",
]
if any(_server_settings) and "sqlite" not in DATABASES["default"]["ENGINE"]:
    for _database in DATABASES.values():
        _options = _database.get("OPTIONS", {})  # a copy each: "progress" shares default's
        _database["OPTIONS"] = {
            **_options,
            "options": " ".join(filter(None, [_options.get("options"), *_server_settings])),
        }
REPLICA_DATABASE = "replica" if "replica" in DATABASES else None
DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = 15
REPLICA_READ_VIEWS = [
    "desk:dashboard",
    "desk:unit",
    "desk:unit_report",
    "desk:unit_report_pdf",
    "duties:team_week",
    "documents:reconciliation",
    *(
        f"{name}_{fmt}"
        for name in (
            "branches:export",
            "branches:visit_export",
            "documents:export",
            "grading:assessment_export",
            "service:export",
        )
        for fmt in ("csv", "xlsx")
    ),
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The garbage collector of the serving process and of Celery workers (core.collector,
# applied by config.wsgi, config.asgi and config.celery_app): start-up's objects frozen,
# the young generation collected every GC_YOUNG_THRESHOLD allocations (Python's default
# 700); 0 leaves Python's collector as it is.
GC_YOUNG_THRESHOLD = env.int("GC_YOUNG_THRESHOLD", default=10_000)

INSTALLED_APPS = [
    # Django's admin, with the site of core.admin_site.
    "core.apps.BranchdeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's widget templates for the project's template engine: the admin's own widget
    # templates include them (core.form_renderer renders the rest of the widgets by Jinja2).
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "import_export",
    "django_filters",
    "axes",
    # Our apps, bottom layer first (docs/architecture.md): core helpers, accounts (managers,
    # roles, the scoping rule), the domain apps, and desk (pages composing many apps).
    "core.apps.CoreConfig",
    "accounts.apps.AccountsConfig",
    "branches.apps.BranchesConfig",
    "staff.apps.StaffConfig",
    "duties.apps.DutiesConfig",
    "documents.apps.DocumentsConfig",
    "service.apps.ServiceConfig",
    "photos.apps.PhotosConfig",
    "worklog.apps.WorklogConfig",
    "reminders.apps.RemindersConfig",
    "sales.apps.SalesConfig",
    "outreach.apps.OutreachConfig",
    "grading.apps.GradingConfig",
    "offline.apps.OfflineConfig",
    "desk.apps.DeskConfig",
]

MIDDLEWARE = [
    # First: everything after it runs in a frame-stack chunk of its own (core.stack).
    "core.middleware.OwnStackChunkMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "core.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.PrivatePagesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username/IP pair is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the signed-in user and their roles in one query. Sessions
    # signed in through django.contrib.auth.backends.ModelBackend end once when this changes.
    "accounts.backends.RolesModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.navigation.navigation",
            ],
        },
    },
]

# Django's own widgets through Jinja2, everything else through the templates above.
FORM_RENDERER = "core.form_renderer.JinjaWidgets"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_TZ = env.bool("USE_TZ", default=True)

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Photos (photos app) ----------------------------------------------------------------------
# Photos never get a public URL: they are read back through the storage API by a view that
# applies the scoping rule. PHOTOS_STORAGE picks where the bytes live:
# - "local" (default): var/media/photos (MEDIA_ROOT/photos), which config/urls keeps out of the
#   DEBUG media route;
# - "s3": an S3-compatible bucket (AWS S3, MinIO, Aliyun OSS, Tencent COS) through
#   django-storages (`pip install -e '.[s3]'`), private objects, settings below.
PHOTOS_STORAGE = env("PHOTOS_STORAGE", default="local")
if PHOTOS_STORAGE == "s3":
    PHOTOS_STORAGE_CONFIG = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("PHOTOS_S3_BUCKET", default="branchdesk-photos"),
            "endpoint_url": env("PHOTOS_S3_ENDPOINT_URL", default=None),
            "region_name": env("PHOTOS_S3_REGION", default=None),
            "access_key": env("PHOTOS_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("PHOTOS_S3_SECRET_ACCESS_KEY", default=None),
            "location": env("PHOTOS_S3_PREFIX", default="photos"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    PHOTOS_STORAGE_CONFIG = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": Path(str(MEDIA_ROOT)) / "photos", "base_url": None},
    }
STORAGES["photos"] = PHOTOS_STORAGE_CONFIG
# What the server accepts (after the browser has downscaled): bytes, pixels (a decompression
# bomb is refused before it is decoded), and how many photos one upload may carry.
PHOTOS_MAX_BYTES = env.int("PHOTOS_MAX_BYTES", default=15 * 1024 * 1024)
PHOTOS_MAX_PIXELS = env.int("PHOTOS_MAX_PIXELS", default=40_000_000)
PHOTOS_MAX_PER_UPLOAD = env.int("PHOTOS_MAX_PER_UPLOAD", default=10)
# The stored copy's longer side, and the thumbnail's.
PHOTOS_MAX_SIDE = env.int("PHOTOS_MAX_SIDE", default=2048)
PHOTOS_THUMB_SIDE = env.int("PHOTOS_THUMB_SIDE", default=320)
# A photo taken more than N hours before or after its visit (or outside its event's day by
# more than N hours) is flagged for the supervisor, not refused.
PHOTOS_TIME_TOLERANCE_HOURS = env.int("PHOTOS_TIME_TOLERANCE_HOURS", default=6)
# Fonts for the stamp (拍照水印), first found wins; without any, Pillow's own font.
PHOTOS_STAMP_FONTS = env.list(
    "PHOTOS_STAMP_FONTS",
    default=[
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    ],
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ------------------------------------------------------------------------------------
# EMAIL_URL picks the backend: consolemail://, filemail:///path, smtp://user:pw@host:587, ...
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Branchdesk <noreply@branchdesk.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A hung SMTP server must not hold a Celery worker past its soft time limit.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# --- Celery -----------------------------------------------------------------------------------
# Unset broker: the embedded default, where tasks run in-process as soon as they are queued.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Nothing is ever sent to it in eager mode; naming it keeps kombu from guessing "localhost".
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis redelivers unacknowledged tasks after the visibility timeout; every task must finish
# (soft limit) well before that or it would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60


def _at(variable, default):
    """A daily crontab at "HH:MM" (in CELERY_TIMEZONE, i.e. Asia/Shanghai) from the env."""
    hour, minute = env(variable, default=default).split(":")
    return crontab(hour=int(hour), minute=int(minute))


def _weekly_at(variable, default):
    """A weekly crontab at "DAY HH:MM" (e.g. "mon 08:30", Asia/Shanghai) from the env."""
    day, time = env(variable, default=default).split()
    hour, minute = time.split(":")
    return crontab(day_of_week=day, hour=int(hour), minute=int(minute))


# Exactly one beat process must run (docker-compose has one "beat" service). A doubled beat
# would still send each email once: every reminder has a unique dedupe key in the outbox.
CELERY_BEAT_SCHEDULE = {
    # Before anyone opens a page: until it has run, pages assess stock from the ledger itself.
    "documents-stock-usage": {
        "task": "documents.tasks.refresh_stock_usage",
        "schedule": crontab(hour=0, minute=5),
        "options": {"expires": 6 * 3600},
    },
    "reminders-birthdays": {
        "task": "reminders.tasks.send_birthday_reminders",
        "schedule": _at("REMINDERS_BIRTHDAYS_AT", "07:30"),
        # A beat message stuck in a dead broker for hours is no longer "this morning's".
        "options": {"expires": 6 * 3600},
    },
    "reminders-stock-digest": {
        "task": "reminders.tasks.send_stock_digests",
        "schedule": _at("REMINDERS_STOCK_DIGEST_AT", "08:00"),
        "options": {"expires": 6 * 3600},
    },
    "reminders-weekly": {
        "task": "reminders.tasks.send_weekly_digests",
        "schedule": _weekly_at("REMINDERS_WEEKLY_AT", "mon 08:30"),
        "options": {"expires": 6 * 3600},
    },
    # Before anyone is awake, so the weekly rates count managers who never open the checklist.
    "duties-daily-checklists": {
        "task": "duties.generate_daily_checklists",
        "schedule": _at("DUTIES_CHECKLISTS_AT", "06:00"),
        "options": {"expires": 6 * 3600},
    },
    # Daily; the task acts only on the month's first working day, and the dedupe key sends
    # each unit's report once even if beat fires twice.
    "desk-monthly-unit-reports": {
        "task": "desk.send_monthly_unit_reports",
        "schedule": _at("DESK_UNIT_REPORTS_AT", "08:15"),
        "options": {"expires": 6 * 3600},
    },
    "sales-scan-feed": {
        "task": "sales.tasks.scan_feed_dir",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 10 * 60},
    },
    # Abnormal events past their category's response time go up a level, once each.
    "branches-escalate-events": {
        "task": "branches.tasks.escalate_overdue_events",
        "schedule": crontab(minute="*/30"),
        "options": {"expires": 30 * 60},
    },
    "reminders-requeue-stale": {
        "task": "reminders.tasks.requeue_stale_notifications",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 15 * 60},
    },
    # The unit pages' stored figures (desk.models), counted well inside their maximum age
    # so that no head waits for a count.
    "desk-refresh-unit-figures": {
        "task": "desk.refresh_unit_figures",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 5 * 60},
    },
}

# A city's or the province's page counts the figures itself when the stored ones are older.
UNIT_FIGURES_MAX_AGE = datetime.timedelta(
    minutes=env.int("UNIT_FIGURES_MAX_AGE_MINUTES", default=10)
)

# --- Reminders --------------------------------------------------------------------------------
# Birthdays today and in the next N days are listed in the morning email.
REMINDERS_BIRTHDAY_WINDOW_DAYS = env.int("REMINDERS_BIRTHDAY_WINDOW_DAYS", default=7)
# An item out of stock for more than N days is copied to the manager's supervisor.
REMINDERS_OUT_OF_STOCK_ESCALATION_DAYS = env.int(
    "REMINDERS_OUT_OF_STOCK_ESCALATION_DAYS", default=3
)
# SMTP failures: retried with exponential backoff (capped so no countdown exceeds a few
# minutes, far below the visibility timeout), then the notification is marked failed.
REMINDERS_SEND_MAX_RETRIES = env.int("REMINDERS_SEND_MAX_RETRIES", default=5)
REMINDERS_SEND_BACKOFF_MAX = env.int("REMINDERS_SEND_BACKOFF_MAX", default=300)
# Group-robot channels (WeCom, DingTalk): only https addresses on these hosts are posted to,
# so a channel typed into the admin cannot make the server call anything else (SSRF).
REMINDERS_WEBHOOK_HOSTS = env.list(
    "REMINDERS_WEBHOOK_HOSTS", default=["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
)
REMINDERS_WEBHOOK_ALLOW_HTTP = False
REMINDERS_WEBHOOK_TIMEOUT = env.float("REMINDERS_WEBHOOK_TIMEOUT", default=10)
# The key the channels' tokens and secrets are encrypted with (Fernet, derived from this text);
# SECRET_KEY when unset. Changing it makes the stored ones unreadable: type them in again.
CHANNEL_SECRETS_KEY = env("CHANNEL_SECRETS_KEY", default="")

# --- Abnormal events and intake -----------------------------------------------------------------
# Response time of an event category with no row in the admin's table (hours).
EVENT_RESPONSE_HOURS_DEFAULT = env.int("EVENT_RESPONSE_HOURS_DEFAULT", default=72)
# A handover the archive has not confirmed within N days is flagged.
HANDOVER_CONFIRM_DAYS = env.int("HANDOVER_CONFIRM_DAYS", default=3)

# --- Imports ----------------------------------------------------------------------------------
# Spreadsheet imports run as background jobs (branches.imports). Limits on the uploaded file,
# and on what an xlsx (a zip archive) may unpack to, in bytes; and on a job's run time (s),
# below the broker's visibility timeout so a running import is never delivered twice.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=100 * 1024 * 1024)
IMPORT_TIME_LIMIT = env.int("IMPORT_TIME_LIMIT", default=1800)

# --- Visit planner ----------------------------------------------------------------------------
# How often a branch of each tier should be visited (days): A weekly, B fortnightly, C monthly.
VISIT_INTERVAL_DAYS_A = env.int("VISIT_INTERVAL_DAYS_A", default=7)
VISIT_INTERVAL_DAYS_B = env.int("VISIT_INTERVAL_DAYS_B", default=14)
VISIT_INTERVAL_DAYS_C = env.int("VISIT_INTERVAL_DAYS_C", default=30)

# --- Check-in at the branch (docs/fieldwork.md) ------------------------------------------------
# A check-in farther than this from the branch's coordinates is flagged for the supervisor
# (never refused); a position less precise than the second figure is flagged as imprecise.
BRANCHDESK_CHECKIN_RADIUS_M = env.int("BRANCHDESK_CHECKIN_RADIUS_M", default=300)
BRANCHDESK_CHECKIN_MAX_ACCURACY_M = env.int("BRANCHDESK_CHECKIN_MAX_ACCURACY_M", default=200)
# How long after logging it the author may still correct a visit.
BRANCHDESK_VISIT_EDIT_HOURS = env.int("BRANCHDESK_VISIT_EDIT_HOURS", default=24)

# Days after an assessment's outcome during which the manager may appeal (申诉) it once.
GRADING_APPEAL_DAYS = env.int("GRADING_APPEAL_DAYS", default=15)

# --- Sales feed -------------------------------------------------------------------------------
# Feed files from the insurer's core system are dropped here; a beat task imports each once
# and moves it to done/ or failed/ (with its error report) beside it.
SALES_FEED_DIR = env.path("SALES_FEED_DIR", default=VAR_DIR / "sales-feed")
# A customer whose premium in force reaches this (元) is a large customer (大客户).
SALES_LARGE_CUSTOMER_PREMIUM = env.get_value(
    "SALES_LARGE_CUSTOMER_PREMIUM", cast=Decimal, default="200000", parse_default=True
)

# Reads prepared once per process (core.prepared) are also built the ordinary way on each run
# and compared, to catch a read whose SQL depends on its values: on in the tests, off in
# production (it would undo the saving).
PREPARED_READS_VERIFY = env.bool("PREPARED_READS_VERIFY", default=False)
# DATABASE_PREPARED_STATEMENTS: see the databases above.

# --- Security that applies everywhere ---------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Absolute limit: a login lasts at most this long, however active (seconds).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
# Idle limit: a phone left in a bank lobby is logged out after this long without a request.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=60 * 60 * 2)
# The session and its signed-in user with their roles are one read from the database
# (accounts.sessions, on accounts.UserSession): a page pays one round trip for both, where a
# cache in front of the sessions ("cached_db") still left the user's read to the database.
SESSION_ENGINE = "accounts.sessions.db"

# Content Security Policy (django-csp): no inline script and no inline style anywhere; a
# progress bar's width is a class in 5 % steps (static/css/branchdesk.css, |width_step).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        # The service worker (/sw.js) and the web app manifest, both from this site only.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Brute-force protection (django-axes): 5 failures for one username from one address lock
# that pair out for AXES_COOLOFF_MINUTES. The client address is REMOTE_ADDR unless
# TRUSTED_PROXY_COUNT says how many proxies of ours sit in front, so a forged
# X-Forwarded-For cannot lock out somebody else.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
AXES_VERBOSE = False
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # In-process (eager) tasks would log every run at INFO; workers configure their own logging.
    "loggers": {"axes": {"level": "WARNING"}, "celery.app.trace": {"level": "WARNING"}},
}
