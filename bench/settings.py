"""Settings for the benchmarks: the production settings, changed only where a loopback run needs it.

DEBUG stays off and every production middleware stays on. What differs: plain HTTP on 127.0.0.1
(no HTTPS redirect, the loopback host names), a bench-only secret and address when none is given, the static
files collected into a temporary directory (BENCH_STATIC_ROOT), the API catalog's throttle rate (below),
and one more URL, the minimal view the pages are compared with (bench/urls.py). DATABASE_URL, REDIS_URL
and EMAIL_URL come from the environment the bench scripts set up; without EMAIL_URL nothing is sent anywhere.
"""

import os

# Production refuses to start without these; set them before it is read.
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")

from config.settings.production import *  # noqa: F403
from config.settings.production import DATABASES, EMAIL_URL, REST_FRAMEWORK, STATIC_ROOT, env

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
STATIC_ROOT = env.path("BENCH_STATIC_ROOT", default=str(STATIC_ROOT))
# The database connection as in production (CONN_MAX_AGE=60 on PostgreSQL, config/settings/base.py);
# bench.pages --conn-max-age N measures another value.
if env("BENCH_CONN_MAX_AGE", default=""):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("BENCH_CONN_MAX_AGE")
# The load generator is one client address: the API catalog's throttle (300 a minute per client in
# production) would refuse it after 300 requests. It still counts every request in Redis (one
# counter per window, one round trip per request), with a rate it never reaches.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {**REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "presentations": "1000000/s"},
}

if not EMAIL_URL:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
