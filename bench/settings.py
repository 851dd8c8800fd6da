"""Settings for the benchmarks: the production settings, changed only where a loopback run needs it.

DEBUG stays off and every production middleware stays on. What differs: plain HTTP on 127.0.0.1
(no HTTPS redirect, the loopback host names), a bench-only secret and address when none is given, the static
files collected into a temporary directory (BENCH_STATIC_ROOT), and one more URL, the minimal view
the pages are compared with (bench/urls.py). DATABASE_URL, REDIS_URL and EMAIL_URL come from the
environment the bench scripts set up; without EMAIL_URL nothing is sent anywhere.
"""

import os

# Production refuses to start without these; set them before it is read.
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")

from config.settings.production import *  # noqa: F403
from config.settings.production import DATABASES, EMAIL_URL, STATIC_ROOT, env

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
STATIC_ROOT = env.path("BENCH_STATIC_ROOT", default=str(STATIC_ROOT))
# Production keeps Django's default (0: a new database connection per request); bench.pages
# --conn-max-age measures the difference persistent connections make.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("BENCH_CONN_MAX_AGE", default=0)

if not EMAIL_URL:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
