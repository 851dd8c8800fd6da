"""Settings shared by every environment.

Configuration comes from the environment (https://django-environ.readthedocs.io/); the
defaults here are the embedded ones a newcomer gets with ``make run``: SQLite, no Redis,
Celery tasks run in-process and email written to ``var/mail/``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# --- Core ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Before the admin, so that its forms show each translated field per language.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_ratelimit",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "common",
    "accounts",
    "outreach",
    "scheduling",
    "calendars",
    "outcomes",
]

MIDDLEWARE = [
    # REMOTE_ADDR becomes the client's address behind TRUSTED_PROXY_COUNT proxies (X-Forwarded-For).
    "common.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the request: English on staff pages, else the visitor's choice (common.languages).
    "common.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session gave a two-factor code (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    # Cache-Control: no-store on everything answered to a signed-in person.
    "common.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: refuses sign-in attempts while an account or an address is locked out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.program",
                "common.context_processors.languages",
            ],
        },
    },
]

# --- Content-Security-Policy (django-csp: https://django-csp.readthedocs.io/) ------------------
# Scripts and styles come from the site itself: no inline script or style, except an element that
# carries the page's nonce (``request.csp_nonce``: FullCalendar's own styles, Swagger UI's page
# style). Nothing is framed, nothing is loaded from elsewhere, forms post only to the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Database --------------------------------------------------------------------------
# SQLite under var/ unless DATABASE_URL names another (postgres://user@host:5432/name).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reuse connections between requests (opening one costs more than most pages' queries).
    # https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once when the dev server and a task overlap.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

# --- Cache (also counts the rate limits) -----------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# Seconds to wait for Redis to accept a connection, and then for each answer. What the cache holds
# can be done without, so a Redis that is down or hung costs this much now and then, never the
# request: common.cache.ForgivingRedisCache turns its failures into misses and logs a warning.
CACHE_TIMEOUT_SECONDS = env.float("CACHE_TIMEOUT_SECONDS", default=0.5)
REDIS_CACHE = {
    "BACKEND": "common.cache.ForgivingRedisCache",
    "LOCATION": REDIS_URL,
    "KEY_PREFIX": "outreach",
    # redis-py's connection options (https://redis.readthedocs.io/en/stable/connections.html).
    "OPTIONS": {"socket_connect_timeout": CACHE_TIMEOUT_SECONDS, "socket_timeout": CACHE_TIMEOUT_SECONDS},
}
if REDIS_URL:
    CACHES = {"default": REDIS_CACHE}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Bytes of stored pages and feeds each process also keeps in its own memory, the most recently used
# (common.pagecache): a copy's key names the data versions it was built from, so a kept copy is never
# out of date, and serving it costs no round trip to Redis. 0 keeps them in the cache only.
PAGE_CACHE_PROCESS_BYTES = env.int("PAGE_CACHE_PROCESS_BYTES", default=32 * 1024 * 1024)

# django-ratelimit lists only memcached and django-redis as "officially supported";
# Django's own RedisCache increments atomically as well. Without Redis the local-memory
# cache counts per process, which is what a single development server needs.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
# When the cache cannot count (Redis down or hung), submissions go through rather than fail: the
# request is saved, and the outbox sends its emails once Redis is back.
RATELIMIT_FAIL_OPEN = True

# --- Passwords and sessions ------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "presenter:home"

# --- Signing in: lockout, two-factor, password reset ------------------------------------
# django-axes (https://django-axes.readthedocs.io/) counts failed sign-ins at /accounts/login/ and
# /admin/login/ per account name and per client address; either reaching the limit pauses signing
# in for that name, or from that address, for the cool-off time. Unknown names count the same way,
# and the page says the same thing, so it does not tell whether an account exists. Staff lift a
# pause in the admin (Axes, access attempts).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# No start-up banner in every process's log (web, worker, beat, management commands).
AXES_VERBOSE = False
# Two-factor sign-in with an authenticator app (TOTP, django-otp: https://django-otp-official.readthedocs.io/):
# anyone who signs in may turn it on at /accounts/two-factor/; with this on, staff must.
TWO_FACTOR_REQUIRED_FOR_STAFF = env.bool("TWO_FACTOR_REQUIRED_FOR_STAFF", default=False)
OTP_TOTP_ISSUER = env("PROGRAM_NAME", default="Outreach Scheduler")
# Password reset requests (django-ratelimit rates): per client address, and emails per account address.
PASSWORD_RESET_RATE_LIMIT = env("PASSWORD_RESET_RATE_LIMIT", default="5/h")
PASSWORD_RESET_EMAIL_RATE_LIMIT = env("PASSWORD_RESET_EMAIL_RATE_LIMIT", default="3/d")

# --- Time and language -----------------------------------------------------------------
# https://docs.djangoproject.com/en/5.2/topics/i18n/translation/ ; the catalogs are in locale/
# (`make messages` extracts, README "Languages" says how a translation is reviewed and turned on).
LANGUAGE_CODE = "en"
# Every language the site has a translation for. Requesters' emails and invites can be in any of them.
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("so", _("Somali")), ("hmn", _("Hmong"))]
# Django's own list knows neither Somali nor Hmong: their names, in English and in the language itself.
LANG_INFO.setdefault("so", {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"})
LANG_INFO.setdefault("hmn", {"bidi": False, "code": "hmn", "name": "Hmong", "name_local": "Hmoob"})
# The languages the public switcher offers and a browser's Accept-Language may select. Turn one on
# only after a community member has reviewed its translation (README, "Languages").
PUBLIC_LANGUAGES = env.list("PUBLIC_LANGUAGES", default=["en", "es"])
# Staff pages, staff emails and presenters' pages and emails are in this language whatever the browser asks.
STAFF_LANGUAGE = "en"
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice is remembered for a year (a cookie holding only the language code).
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True
# The catalog's own texts (titles, summaries, descriptions, audiences, language names) per language,
# edited in the admin; a missing translation shows the English text (https://django-modeltranslation.readthedocs.io/).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

# --- Static files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email -----------------------------------------------------------------------------
# EMAIL_URL: smtp://user:password@host:587 (smtp+tls://, smtp+ssl://), or unset to write
# each message as an .eml file under var/mail/ (open it with any mail program).
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "common.mail.EmlFileBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Outreach Scheduler <outreach@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAIL = env("STAFF_NOTIFICATION_EMAIL", default="outreach-staff@example.org")
# The domain after the "@" of every Message-ID; empty: SITE_URL's host name (never the server's own name).
EMAIL_MESSAGE_ID_DOMAIN = env("EMAIL_MESSAGE_ID_DOMAIN", default="")

# --- Celery (https://docs.celeryq.dev/en/stable/userguide/configuration.html) ----------
# Without REDIS_URL tasks run in-process at the moment they are sent.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Fail fast when the broker is down: the outbox row stays pending and the sweep sends it.
# A web request publishes its messages after commit, so a hung broker must cost it well under a second
# (Redis answers in milliseconds when it is well).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.3,
    "socket_timeout": 0.3,
    # Publishing: one quick retry, not two seconds of them, before the row is left to the sweep.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {"task": "scheduling.sweep_notifications", "schedule": crontab(minute="*")},
    "reminders": {"task": "scheduling.send_reminders", "schedule": crontab(minute="*/15")},
    "requests-expire": {"task": "scheduling.expire_requests", "schedule": crontab(minute="7")},
}

# --- The program -----------------------------------------------------------------------
PROGRAM_NAME = env("PROGRAM_NAME", default="Outreach Scheduler")
ORGANIZATION_NAME = env("ORGANIZATION_NAME", default="Minnesota Anti-Trafficking Education Program")
REQUEST_LEAD_DAYS = env.int("REQUEST_LEAD_DAYS", default=14)
# How requesters reach the program: on the home page, in the footer, in every email to a requester and
# wherever a page tells them to contact us. Each is shown only when set.
PROGRAM_CONTACT_EMAIL = env("PROGRAM_CONTACT_EMAIL", default="")
PROGRAM_CONTACT_PHONE = env("PROGRAM_CONTACT_PHONE", default="")
PROGRAM_CONTACT_HOURS = env("PROGRAM_CONTACT_HOURS", default="")
REQUEST_WINDOW_MAX_HOURS = env.int("REQUEST_WINDOW_MAX_HOURS", default=8)
# django-ratelimit rate for request submissions per client address, web form and API together ("5/h", "20/d", ...).
REQUEST_RATE_LIMIT = env("REQUEST_RATE_LIMIT", default="5/h")
# A submission key (the web form's own, or an API client's Idempotency-Key) answers repeats of its
# submission with the first request for this many hours; the hourly task then deletes it.
SUBMISSION_KEY_HOURS = env.int("SUBMISSION_KEY_HOURS", default=24)
CELERY_BEAT_SCHEDULE["submission-keys-prune"] = {
    "task": "outreach.prune_submission_keys",
    "schedule": crontab(minute="41"),
}
# "Find my request": lookups per client address, and emails sent to one address, in a period.
REQUEST_LOOKUP_RATE_LIMIT = env("REQUEST_LOOKUP_RATE_LIMIT", default="10/h")
REQUEST_LOOKUP_EMAIL_RATE_LIMIT = env("REQUEST_LOOKUP_EMAIL_RATE_LIMIT", default="3/h")
# How many reverse proxies (a TLS terminator, a load balancer) stand in front of the app, each
# appending to X-Forwarded-For. 0: clients connect directly, X-Forwarded-For and
# X-Forwarded-Proto are ignored. N: the client is the N-th address from the right in
# X-Forwarded-For (common.middleware.client_address), and X-Forwarded-Proto says whether the
# request came over HTTPS (production). Never more than there are: the rest is the client's to forge.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# django-ratelimit reads the client's address here; ClientAddressMiddleware has put it there.
RATELIMIT_IP_META_KEY = "REMOTE_ADDR"
# Minutes kept free before and after an in-person presentation for the presenter's travel.
TRAVEL_BUFFER_MINUTES = env.int("TRAVEL_BUFFER_MINUTES", default=60)
# Requesters may cancel a scheduled presentation themselves until this many hours before it.
REQUESTER_CANCEL_CUTOFF_HOURS = env.int("REQUESTER_CANCEL_CUTOFF_HOURS", default=48)
# The staff queue marks requests that have waited longer than this for a decision.
STALE_REQUEST_DAYS = env.int("STALE_REQUEST_DAYS", default=10)

# --- The outbox's retry schedule (README, "Email") -----------------------------------
# Each row carries its own schedule. After the n-th failed attempt the next one waits
# NOTIFICATION_RETRY_BASE_SECONDS * 2**(n-1), at most NOTIFICATION_RETRY_MAX_SECONDS, and a random
# half of that wait less (jitter), so a recovering mail server is not hit by every row at once.
# With the defaults, 12 attempts span at least 1.5 hours (at most 3): an outage shorter than that
# delays mail and fails none. After the last attempt the row is marked failed for staff to resend.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=12)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=30)
NOTIFICATION_RETRY_MAX_SECONDS = env.int("NOTIFICATION_RETRY_MAX_SECONDS", default=30 * 60)
# A worker sending a row holds it this long (a lease); if the worker dies, the sweep hands the row
# to another worker once the lease has run out. Longer than a slow SMTP conversation (EMAIL_TIMEOUT
# bounds each of its steps).
NOTIFICATION_CLAIM_SECONDS = env.int("NOTIFICATION_CLAIM_SECONDS", default=90)
# A new row is sent by its own task at once; the sweep hands it to a worker only if it is still
# untried after this many seconds (the broker was down, or the worker was lost before it began).
NOTIFICATION_RETRY_AFTER_SECONDS = env.int("NOTIFICATION_RETRY_AFTER_SECONDS", default=60)

# --- Logging: no personal data, only ids and references --------------------------------
# Every handler redacts private links (common.logging); Celery's own handlers get the same filter
# (config/celery.py) and so does gunicorn's access log (config/gunicorn.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_private_links": {"()": "common.logging.RedactPrivateLinks"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_private_links"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # In place of Django's default "django" handlers (its DEBUG console prints paths unredacted).
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- REST framework --------------------------------------------------------------------
# https://www.django-rest-framework.org/api-guide/settings/ ; the shared pieces are in config/api.py.
# Staff sign in with their session (browser, CSRF enforced on writes) or a token (integrations:
# "Authorization: Token <key>", issued in the admin). Public endpoints say AllowAny themselves.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "common.api.defaults.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # ?format= is the catalog's filter (in_person, virtual), as on /presentations/, not a renderer.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_PARSER_CLASSES": ["common.api.defaults.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "common.api.defaults.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # One budget per endpoint (the view's throttle_scope), counted in the default cache (Redis in
    # production). Anonymous clients are told apart by address, the same one django-ratelimit uses.
    # Submitting a request has no rate here: it shares REQUEST_RATE_LIMIT with the web form.
    "DEFAULT_THROTTLE_CLASSES": ["common.api.defaults.ScopedThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "presentations": "300/min",
        "requester": "60/min",
        "staff_requests": "600/min",
        "staff_actions": "120/min",
        "staff_presenters": "300/min",
        "staff_bookings": "300/min",
        "staff_blackouts": "300/min",
        "staff_notifications": "300/min",
    },
    # REMOTE_ADDR already holds the client's address (TRUSTED_PROXY_COUNT); DRF must not read X-Forwarded-For again.
    "NUM_PROXIES": 0,
}

# https://drf-spectacular.readthedocs.io/en/latest/settings.html ; served at /api/schema/ and
# /api/docs/ (Swagger UI from drf-spectacular-sidecar's static files: nothing loads from a CDN).
SPECTACULAR_SETTINGS = {
    "TITLE": "Outreach Scheduler API",
    "DESCRIPTION": (
        "Requests for anti-trafficking education presentations, their scheduling and notifications.\n\n"
        "Public endpoints (the catalog, submitting a request, the requester's own request by its private "
        "token) need no credentials. Staff endpoints (`/api/v1/staff/`) need a staff user's token "
        "(`Authorization: Token <key>`) or session.\n\n"
        'Every 4xx answer has one shape: `{"code": ..., "message": ..., "fields": {...}}`. '
        "Datetimes are ISO 8601; without an offset they are read in America/Chicago."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No validator badge: Swagger UI would fetch it from validator.swagger.io, naming our schema's URL.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "GET_LIB_DOC_EXCLUDES": "common.api.generics.doc_excludes",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.errors.postprocess_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RequestStatusEnum": "outreach.enums.RequestStatus",
        "FormatEnum": "outreach.enums.Format",
        "CountyEnum": "outreach.enums.COUNTY_CHOICES",
        "NotificationStatusEnum": "scheduling.models.outbox.NotificationStatus",
        "NotificationKindEnum": "scheduling.models.outbox.NotificationKind",
        "ProposalStateEnum": "scheduling.models.bookings.ProposalState",
    },
}

# --- Outcomes: host evaluations, the audience survey and reach reports -----------------
# The thank-you email links to the host's evaluation; one reminder goes this many days after
# the presentation was marked completed if no answer came back.
EVALUATION_REMINDER_AFTER_DAYS = env.int("EVALUATION_REMINDER_AFTER_DAYS", default=7)
# The audience survey (the QR code on the last slide) takes answers until this many days after the end.
SURVEY_OPEN_DAYS = env.int("SURVEY_OPEN_DAYS", default=30)
# django-ratelimit rate for survey answers per client address and survey. A school's audience may
# share one address, so it is generous; it stops floods, not classrooms.
SURVEY_RATE_LIMIT = env("SURVEY_RATE_LIMIT", default="300/h")
# Reach reports: the grant year starts on the first of this month (7: July to June) and quarters
# start on the first of this month and every third after it (1: calendar quarters).
REPORT_GRANT_YEAR_START_MONTH = env.int("REPORT_GRANT_YEAR_START_MONTH", default=7)
REPORT_QUARTER_START_MONTH = env.int("REPORT_QUARTER_START_MONTH", default=1)
CELERY_BEAT_SCHEDULE["evaluation-reminders"] = {
    "task": "outcomes.send_evaluation_reminders",
    "schedule": crontab(minute="23"),
}

# --- Retention: how long personal data is kept (README, "What we keep, for how long, and why") ---
# A closed request (completed, declined, withdrawn, expired, cancelled) keeps its requester's personal
# data this many days after it closed; then the daily task erases it, keeping what reach reports count.
RETENTION_DAYS = env.int("RETENTION_DAYS", default=730)
# A sent email's text, HTML and invite are kept this many days after sending (who it went to, the
# subject and when stay until the request itself is erased).
OUTBOX_RETENTION_DAYS = env.int("OUTBOX_RETENTION_DAYS", default=90)
# Requests erased per transaction by the daily task (it goes on until none is left).
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
CELERY_BEAT_SCHEDULE["retention"] = {"task": "scheduling.apply_retention", "schedule": crontab(hour="3", minute="41")}
