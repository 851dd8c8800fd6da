"""Test-wide fixtures and the rule for tests that need PostgreSQL or Redis.

Such tests carry the ``postgres`` or ``redis`` marker. Without the service they skip with
the reason; with REQUIRE_SERVICES=1 (as in CI) they fail instead, so nothing skips silently.
"""

import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from calendars.selectors.links import feed_owners
from common.cache import outages as cache_outages
from common.pagecache import recent as recent_stored_copies
from outreach.api.examples import REQUEST as REQUEST_EXAMPLE
from outreach.enums import Format, RequestStatus
from outreach.models import Audience, Language, Presentation
from scheduling.models import Booking
from scheduling.services import review
from scheduling.services.delivery import broker_outages
from tests.factories import (
    AudienceFactory,
    LanguageFactory,
    PresentationFactory,
    PresentationRequestFactory,
    PresenterFactory,
    days_ahead,
    example_window,
)
from tests.languages import ALL_LANGUAGES, AUDIENCE_NAMES, DESCRIPTIONS, LANGUAGE_NAMES, SUMMARIES, TITLES, translated

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
    """Rate-limit counters and stored pages live in the cache (stored pages, and whose feed a link
    opens, also in the process's memory); every test starts with none, and with no outage of the
    cache or the broker remembered from another test."""
    cache.clear()
    recent_stored_copies.clear()
    feed_owners.clear()
    cache_outages.clear()
    broker_outages.clear()
    yield
    cache.clear()
    recent_stored_copies.clear()
    feed_owners.clear()
    cache_outages.clear()
    broker_outages.clear()


@pytest.fixture
def clock(monkeypatch):
    """``clock(moment)``: from then on the application's clock (``django.utils.timezone.now``) reads
    ``moment``, so that tests about fixed dates (the clock changes of 2027 and 2028) keep their lead time."""

    def set_to(moment) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


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
    excluded = ("presentation", "audience", "language", "requester_language")
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


# --- Languages: every language offered, and a catalog translated into each ----------------------------


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """``run_on_commit(change)``: run a change and send what it queued, as the worker would after commit
    (mail.outbox then holds only that change's messages)."""

    def run(change):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


@pytest.fixture
def all_languages_public():
    with override_settings(PUBLIC_LANGUAGES=ALL_LANGUAGES):
        yield ALL_LANGUAGES


@pytest.fixture
def parents(db) -> Audience:
    audience = AudienceFactory(slug="parents")
    Audience.objects.filter(pk=audience.pk).update(**translated("name", AUDIENCE_NAMES))
    return Audience.objects.get(pk=audience.pk)


@pytest.fixture
def translated_presentation(db, parents) -> Presentation:
    """A presentation whose title, summary and description, audience and languages exist in every language."""
    languages = []
    for code, names in LANGUAGE_NAMES.items():
        language = LanguageFactory(code=code, name=names["en"])
        Language.objects.filter(pk=language.pk).update(**translated("name", names))
        languages.append(language)
    presentation = PresentationFactory(slug="online-recruitment", audiences=[parents], languages=languages)
    Presentation.objects.filter(pk=presentation.pk).update(
        **translated("title", TITLES), **translated("summary", SUMMARIES), **translated("description", DESCRIPTIONS)
    )
    return Presentation.objects.get(pk=presentation.pk)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("sam", "sam@outreach.test", "pw", is_staff=True)


@pytest.fixture
def staff_client(staff_user) -> Client:
    """A browser signed in as the staff user."""
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def lead(translated_presentation):
    return PresenterFactory(name="Ana Lindqvist", presentations=[translated_presentation])


def plan(lead, *, start=None, fmt=Format.IN_PERSON):
    start = start or days_ahead(30, 10)
    return review.Plan(start, start + timedelta(hours=1), lead, [], fmt, "Room 4, 100 Division St S, Northfield")


@pytest.fixture
def request_in(translated_presentation, lead, staff_user):
    """``request_in(state)``: a request in that state, as its status page shows it (each on its own day)."""
    days = iter(range(30, 60))

    def make(state: str):
        day = next(days)
        request = PresentationRequestFactory(
            presentation=translated_presentation, organization_name="Roosevelt High School", may_list_publicly=True
        )
        if state == "proposal":
            review.request_propose(
                request=request,
                by=staff_user,
                times=[(days_ahead(35, 13), days_ahead(35, 14))],
                lead_presenter=lead,
                location="Gym",
                message="",
            )
        elif state in ("scheduled", "cancelled", "completed"):
            review.request_approve(request=request, by=staff_user, plan=plan(lead, start=days_ahead(day, 10)))
            if state == "cancelled":
                review.booking_cancel(request=request, by=staff_user, reason="The room flooded.")
            if state == "completed":
                past = timezone.now() - timedelta(days=2)
                Booking.objects.filter(request=request).update(start=past - timedelta(hours=1), end=past)
                review.booking_complete(request=request, by=staff_user, attendance=20)
        elif state == "declined":
            review.request_decline(request=request, by=staff_user, reason="Fully booked.")
        elif state in (RequestStatus.EXPIRED, RequestStatus.WITHDRAWN):
            type(request).objects.filter(pk=request.pk).update(status=state)
        request.refresh_from_db()
        return request

    return make
