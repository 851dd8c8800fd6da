"""The site's public address as production requires it: every emailed link, calendar invite and feed
points at SITE_URL, so production refuses to start without a usable one (config.settings.production)."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

MSG_SITE_URL_MISSING = (
    "Set the SITE_URL environment variable to the site's public address, for example "
    "SITE_URL=https://outreach.example.org: every link in emails and calendar invites points there."
)
MSG_SITE_URL_INVALID = (
    "SITE_URL must be the site's public address with its scheme and host and nothing after them, "
    "for example https://outreach.example.org (it is %r)."
)


def site_url_required(value: str) -> str:
    """``value`` without a trailing slash; ImproperlyConfigured if it is empty or not http(s)://host[:port]."""
    site_url = value.strip().rstrip("/")
    if not site_url:
        raise ImproperlyConfigured(MSG_SITE_URL_MISSING)
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(MSG_SITE_URL_INVALID % site_url)
    return site_url
