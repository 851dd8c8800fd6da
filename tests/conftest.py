"""Test-wide fixtures and the rule for tests that need PostgreSQL or Redis.

Such tests carry the ``postgres`` or ``redis`` marker. Without the service they skip with
the reason; with REQUIRE_SERVICES=1 (as in CI) they fail instead, so nothing skips silently.
"""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from outreach.api.examples import REQUEST as REQUEST_EXAMPLE
from tests.factories import AudienceFactory, LanguageFactory, PresentationFactory, example_window

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing_service(item) -> str | None:
    if (
        item.get_closest_marker("postgres")
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://..."
    if item.get_closest_marker("browser") and not os.path.exists(CHROMIUM_PATH):
        return f"needs Chromium at {CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)"
    return None


def pytest_runtest_setup(item):
    reason = _missing_service(item)
    if reason is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_url() -> str:
    return os.environ["REDIS_URL"]


@pytest.fixture
def celery_broker():
    """Point the Celery app at a real broker URL (tasks published, not run in-process), then restore it."""
    from config import celery_app

    saved = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}

    def _reset_pools():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    def use(url: str) -> None:
        celery_app.conf.broker_url = url
        celery_app.conf.task_always_eager = False
        _reset_pools()

    yield use
    celery_app.conf.update(saved)
    _reset_pools()


@pytest.fixture
def audience(db):
    return AudienceFactory(name="Educators and school staff", slug="educators")


@pytest.fixture
def presentation(db, audience):
    return PresentationFactory(
        title="Recognizing and Responding: Schools",
        slug="recognize-respond-schools",
        audiences=[audience],
        languages=[LanguageFactory(code="en", name="English"), LanguageFactory(code="es", name="Spanish")],
    )


@pytest.fixture
def window_day():
    """A date comfortably past the lead time."""
    return timezone.localdate() + timedelta(days=30)


@pytest.fixture
def form_data(presentation, audience, window_day):
    """The example request (outreach.api.examples.REQUEST) as the request form submits it, on ``window_day``."""
    english = presentation.languages.get(code=REQUEST_EXAMPLE["language"])
    start, end = example_window(window_day)
    excluded = ("presentation", "audience", "language")
    return {
        **{name: value for name, value in REQUEST_EXAMPLE.items() if isinstance(value, str) and name not in excluded},
        **{name: "on" for name, value in REQUEST_EXAMPLE.items() if value is True},
        "audience": str(audience.pk),
        "audience_size": str(REQUEST_EXAMPLE["audience_size"]),
        "language": str(english.pk),
        "window_1_date": window_day.isoformat(),
        "window_1_start": start.strftime("%H:%M"),
        "window_1_end": end.strftime("%H:%M"),
        **{f"window_{n}_{part}": "" for n in (2, 3) for part in ("date", "start", "end")},
        "website": "",
    }
