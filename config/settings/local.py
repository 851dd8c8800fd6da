"""Settings for ``make run``: a development server on the embedded defaults."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files from the app directories without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The SQLite database and the .eml files live here; a fresh clone does not have it yet.
VAR_DIR.mkdir(exist_ok=True)  # noqa: F405

# Example contact details, so that the pages and emails show where they go; set real ones in production.
PROGRAM_CONTACT_EMAIL = env("PROGRAM_CONTACT_EMAIL", default="outreach@example.org")
PROGRAM_CONTACT_PHONE = env("PROGRAM_CONTACT_PHONE", default="651-555-0100")
PROGRAM_CONTACT_HOURS = env("PROGRAM_CONTACT_HOURS", default="Monday to Friday, 9 AM to 5 PM")
