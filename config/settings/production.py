"""Production settings: everything from the environment, secrets without defaults.

Start-up fails (ImproperlyConfigured) when SECRET_KEY, ALLOWED_HOSTS or SITE_URL is missing.
"""

from config.site_url import site_url_required

from .base import *  # noqa: F403
from .base import TRUSTED_PROXY_COUNT, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# The public address every emailed link, calendar invite and feed points at. No default: the
# development one (http://127.0.0.1:8000) would send requesters links that lead nowhere.
SITE_URL = site_url_required(env("SITE_URL", default=""))

# --- HTTPS (https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/) ---------
# X-Forwarded-Proto is believed only when a proxy in front sets it (TRUSTED_PROXY_COUNT); else anyone could send it.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
