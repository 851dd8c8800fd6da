"""Public pages served from their stored copy: a copy never outlives a change, nor a day, and is never personal.

Each case changes one thing a page shows the way staff or the admin would (a model save, an m2m
change, a lifecycle service), then asks for the page again with the old ETag: the answer must be
200, a new ETag, and the new text. The keys of the stored copies are read from the test cache
(local memory) itself.
"""

import gzip
import re
from datetime import timedelta

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from calendars.selectors import public_events_page
from common.links import link_find
from common.models import LinkPurpose
from common.pagecache import page_cached
from common.versions import CATALOG
from outreach.models import Audience, Language
from scheduling.services.review import booking_cancel
from tests.calendars.test_feeds import presenter_url, schedule, staff_url
from tests.changes import reschedule, save_with
from tests.factories import AudienceFactory, LanguageFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

KEY = re.compile(r"^:1:stored:((page|feed):[0-9a-f]{64}(:head)?|gzip:[0-9a-f]{40})$")


def stored_keys() -> list[str]:
    """The keys of the stored pages and feeds in the test cache (local memory), each copy's body and
    its head (the validators without the body) alike."""
    return sorted(key for key in cache._cache if ":stored:" in key)


def stored_copies() -> list[str]:
    return [key for key in stored_keys() if not key.endswith(":head")]


def body_of(response) -> str:
    """The body as the client reads it: gunzipped when it came compressed."""
    content = response.content
    return (gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content).decode()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body_of(response)))


def _audience(b) -> Audience:
    return b["presentation"].audiences.get()


def _language(b) -> Language:
    return b["presentation"].languages.get(code="es")


DETAIL = "/presentations/recognize-respond-schools/"
API_DETAIL = "/api/v1/presentations/recognize-respond-schools/"

# (page, what is changed, how, the text the page shows afterwards)
CHANGES = {
    "home: presentation title": (
        "/",
        lambda b: save_with(b["presentation"], title_en="Safe Harbor, revised"),
        "Safe Harbor, revised",
    ),
    "catalog: presentation title": (
        "/presentations/",
        lambda b: save_with(b["presentation"], title_en="Safe Harbor, revised"),
        "Safe Harbor, revised",
    ),
    "catalog: summary": (
        "/presentations/",
        lambda b: save_with(b["presentation"], summary_en="A new summary for the catalog."),
        "A new summary for the catalog.",
    ),
    "catalog: audience's name": (
        "/presentations/",
        lambda b: save_with(_audience(b), name_en="Teachers and school staff"),
        "Teachers and school staff",
    ),
    "catalog: a new audience (m2m)": (
        "/presentations/",
        lambda b: b["presentation"].audiences.add(AudienceFactory(name="Parents and caregivers", slug="parents")),
        "Parents and caregivers",
    ),
    "catalog: duration": ("/presentations/", lambda b: save_with(b["presentation"], duration_minutes=75), "75 minutes"),
    "catalog filtered: retired": (
        "/presentations/?format=in_person",
        lambda b: save_with(b["presentation"], is_active=False),
        "0 presentations",
    ),
    "detail: description": (
        DETAIL,
        lambda b: save_with(b["presentation"], description_en="What the law says since 2009."),
        "What the law says since 2009.",
    ),
    "detail: language's name": (
        DETAIL,
        lambda b: save_with(_language(b), name_en="Spanish (Latin America)"),
        "Latin America",
    ),
    "detail: a new language (m2m)": (
        DETAIL,
        lambda b: b["presentation"].languages.add(LanguageFactory(code="so", name="Somali")),
        "Somali",
    ),
    "detail: formats": (
        DETAIL,
        lambda b: save_with(b["presentation"], offers_virtual=False),
        "Formats In person Languages",
    ),
    "events: presentation title": (
        "/events/",
        lambda b: save_with(b["presentation"], title_en="Safe Harbor, revised"),
        "Safe Harbor, revised",
    ),
    "events: organization name": (
        "/events/",
        lambda b: save_with(b["booking"].request, organization_name="Northfield Community Church of Christ"),
        "Northfield Community Church of Christ",
    ),
    "events: venue": (
        "/events/",
        lambda b: save_with(b["booking"].request, venue="Northfield Public Library, Room 2"),
        "Northfield Public Library, Room 2",
    ),
    "events: no longer open to the public": (
        "/events/",
        lambda b: save_with(b["booking"].request, is_open_to_public=False),
        "Not open to the public",
    ),
    "events: registration link": (
        "/events/",
        lambda b: save_with(b["booking"].request, registration_url="https://northfield.example.org/register"),
        "Register",
    ),
    "events: booking time": (
        "/events/",
        lambda b: reschedule(b, start=days_ahead(45, 13), end=days_ahead(45, 14)),
        "1:00 PM",
    ),
    "events: cancellation": (
        "/events/",
        lambda b: booking_cancel(request=b["booking"].request, by=b["staff"], reason="Snow"),
        "Cancelled: Recognizing and Responding: Schools",
    ),
    "events: consent withdrawn": (
        "/events/",
        lambda b: save_with(b["booking"].request, may_list_publicly=False),
        "0 presentations from today",
    ),
    "api catalog: title": (
        "/api/v1/presentations/",
        lambda b: save_with(b["presentation"], title_en="Safe Harbor, revised"),
        '"title":"Safe Harbor, revised"',
    ),
    "api catalog: audience's name": (
        "/api/v1/presentations/",
        lambda b: save_with(_audience(b), name_en="Teachers and school staff"),
        '"name":"Teachers and school staff"',
    ),
    "api detail: language's name": (
        API_DETAIL,
        lambda b: save_with(_language(b), name_en="Spanish (Latin America)"),
        '"name":"Spanish (Latin America)"',
    ),
}


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_stored_page_follows_each_field_it_shows(booked, change, encoding):
    client = Client(HTTP_ACCEPT_ENCODING=encoding)
    url, apply, shown = CHANGES[change]
    first = client.get(url)
    assert first.status_code == 200
    assert first.get("Content-Encoding") == (encoding if encoding == "gzip" else None)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert shown not in text_of(first)

    apply(booked)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert shown in (body_of(again) if url.startswith("/api/") else text_of(again))
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_stored_page_is_the_page_as_built(client, booked, django_assert_num_queries):
    first = client.get("/events/")

    with django_assert_num_queries(1):  # the data versions
        again = client.get("/events/")

    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{40}"', first["ETag"])
    assert again["Content-Type"] == "text/html; charset=utf-8"


def test_stored_page_is_kept_per_language(client, booked, translated):
    english = client.get(DETAIL, HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.get(DETAIL, HTTP_ACCEPT_LANGUAGE="es")
    by_query = client.get(DETAIL + "?lang=es", HTTP_ACCEPT_LANGUAGE="en")

    assert english["ETag"] != spanish["ETag"]
    assert '<html lang="es">' in spanish.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="es">' in by_query.content.decode()
    assert client.get(DETAIL, HTTP_ACCEPT_LANGUAGE="es", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200


@pytest.fixture
def translated(settings):
    settings.PUBLIC_LANGUAGES = ["en", "es"]


# --- Time alone ------------------------------------------------------------------------------


def test_events_page_drops_an_event_once_it_ends(client, booked, clock):
    booking = booked["booking"]
    first = client.get("/events/")

    clock(booking.end + timedelta(seconds=1))
    again = client.get("/events/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert "Northfield Community Church" in text_of(first)
    assert again.status_code == 200
    assert "Northfield Community Church" not in text_of(again)


def test_events_page_takes_in_the_next_day_at_midnight(client, booked, staff, clock):
    """An event just past the first page's period moves onto it when the date changes, with no write."""
    today = timezone.localdate()
    last_day = public_events_page(number=1, now=timezone.now()).last_day
    late = schedule(
        by=staff,
        presenter=booked["lead"],
        start=days_ahead((last_day - today).days + 2, 10),
        organization_name="Bemidji Public Library",
        may_list_publicly=True,
    )
    first = client.get("/events/")
    assert "Bemidji Public Library" not in text_of(first)
    assert "1 later presentation" in text_of(first)

    clock(timezone.now() + timedelta(days=10))
    again = client.get("/events/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert "Bemidji Public Library" in text_of(again)
    assert late.start > timezone.now()


# --- The horizon of /events/ -----------------------------------------------------------------


@pytest.fixture
def spread(staff, presentation):
    """Public events 20 days, about five months and about eight months ahead."""
    lead = PresenterFactory(presentations=[presentation])
    return [
        schedule(by=staff, presenter=lead, start=days_ahead(days, 10), organization_name=name, may_list_publicly=True)
        for days, name in ((20, "Winona Rotary"), (150, "Moorhead Clinic"), (240, "Duluth Youth Center"))
    ]


def test_events_page_lists_three_months_and_links_the_later_ones(client, spread):
    first, second, third = (client.get("/events/", {"page": n} if n > 1 else {}) for n in (1, 2, 3))

    assert first.status_code == second.status_code == third.status_code == 200
    assert "Winona Rotary" in text_of(first) and "Moorhead Clinic" not in text_of(first)
    assert re.search(r"1 presentation from today to \w+ \d+, \d{4}", text_of(first))
    assert '<a href="/events/?page=2" rel="next">2 later presentations</a>' in first.content.decode()
    assert "Moorhead Clinic" in text_of(second) and "Duluth Youth Center" not in text_of(second)
    assert re.search(r"1 presentation from \w+ \d+, \d{4} to \w+ \d+, \d{4}", text_of(second))
    assert '<a href="/events/" rel="prev">Earlier presentations</a>' in second.content.decode()
    assert '<a href="/events/?page=3" rel="next">1 later presentation</a>' in second.content.decode()
    assert "Duluth Youth Center" in text_of(third)
    assert 'rel="next"' not in third.content.decode()
    assert '<a href="/events/?page=2" rel="prev">' in third.content.decode()


@pytest.mark.parametrize("page", ["4", "0", "-1", "two", "1000", ""])
def test_events_page_past_the_last_event_answers_404(client, spread, page):
    response = client.get("/events/", {"page": page})

    assert response.status_code == 404
    assert "There is no such page of upcoming presentations." in response.content.decode()


def test_events_page_answers_in_a_constant_number_of_queries(client, spread, staff, django_assert_num_queries):
    lead = PresenterFactory(presentations=[spread[0].request.presentation])
    for n in range(6):
        schedule(by=staff, presenter=lead, start=days_ahead(25 + n, 10), may_list_publicly=True)

    with django_assert_num_queries(3):  # the data versions, the page's events, the later ones and the next change
        page = client.get("/events/")

    assert text_of(page).count("Not open to the public") == 7


# --- Nothing personal --------------------------------------------------------------------------


def test_stored_keys_hold_no_address_token_or_name(client, booked, staff):
    presenter_feed, staff_feed = presenter_url(booked["lead"]), staff_url(staff)
    for url in ("/", "/presentations/?audience=educators", DETAIL, "/events/", "/api/v1/presentations/", API_DETAIL):
        assert client.get(url).status_code == 200
    for url in ("/calendar/public.ics", presenter_feed, staff_feed, staff_feed + "?tentative=1"):
        assert client.get(url).status_code == 200

    keys = stored_keys()
    assert len(stored_copies()) == 10
    assert [key for key in keys if not KEY.match(key)] == []
    secrets = [presenter_feed.split("/")[-1][:-4], staff_feed.split("/")[-1][:-4], "Ruth", "educators", "recognize"]
    assert [key for key in keys for secret in secrets if secret.lower() in key.lower()] == []
    assert link_find(purpose=LinkPurpose.PRESENTER_FEED, token=presenter_feed.split("/")[-1][:-4]) is not None


def test_presenter_feed_is_stored_once_whatever_its_link(client, booked):
    """Keyed by the presenter's row, not the token: a rotated link finds the same stored copy."""
    first_link = presenter_url(booked["lead"])
    first = client.get(first_link)
    keys = stored_keys()

    second_link = presenter_url(booked["lead"])  # rotated: the first link stops working
    again = client.get(second_link)

    assert client.get(first_link).status_code == 404
    assert again.content == first.content
    assert stored_keys() == keys


def test_signed_in_staff_neither_get_nor_make_a_stored_page(client, booked, staff):
    staff_client = Client()
    staff_client.force_login(staff)

    for_staff = staff_client.get("/presentations/")
    assert stored_keys() == []
    public = client.get("/presentations/")
    for_staff_again = staff_client.get("/presentations/")

    assert 'href="/staff/"' in for_staff.content.decode()
    assert 'href="/staff/"' in for_staff_again.content.decode()
    assert 'href="/staff/"' not in public.content.decode()
    assert len(stored_copies()) == 1
    assert for_staff_again["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "ETag" not in for_staff_again


def test_a_page_with_a_message_waiting_is_neither_stored_nor_served_stored(rf, booked):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    @page_cached(CATALOG)
    def page(request):
        return HttpResponse(" | ".join(str(m) for m in messages.get_messages(request)) or "no message")

    def visit(message: str | None) -> HttpResponse:
        request = rf.get("/a-page/")
        request.session = SessionStore()
        request._messages = FallbackStorage(request)
        if message:
            messages.success(request, message)
        return page(request)

    assert visit(None).content == b"no message"
    assert visit("Your request has been withdrawn.").content == b"Your request has been withdrawn."
    assert visit(None).content == b"no message"


def test_public_pages_carry_no_csrf_token_and_set_no_cookie(client, booked):
    for url in ("/", "/presentations/", DETAIL, "/events/"):
        response = client.get(url)

        assert "csrfmiddlewaretoken" not in response.content.decode(), url
        assert response.cookies == {}, url
    assert len(stored_copies()) == 4


def test_language_switcher_works_without_a_token(booked):
    browser = Client(enforce_csrf_checks=True)

    page = browser.get("/presentations/", HTTP_ACCEPT_LANGUAGE="en")
    switched = browser.post("/i18n/setlang/", {"language": "es", "next": "/presentations/"})

    assert 'action="/i18n/setlang/"' in page.content.decode()
    assert switched.status_code == 302
    assert '<html lang="es">' in browser.get("/presentations/").content.decode()


def test_a_page_that_used_the_csrf_token_or_set_a_cookie_is_not_stored(rf, db):
    from django.middleware.csrf import get_token

    @page_cached(CATALOG)
    def with_token(request):
        return HttpResponse(get_token(request))

    @page_cached(CATALOG)
    def with_cookie(request):
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    first, second = with_token(rf.get("/form/")), with_token(rf.get("/form/"))
    with_cookie(rf.get("/cookie/"))

    assert first.content != second.content
    assert stored_keys() == []


@pytest.mark.parametrize(
    "query",
    [
        "?utm_source=flyer",
        "?audience=nobody-by-this-name",
        "?format=carrier-pigeon",
        "?audience=a&audience=b",
        "?lang=fr",
    ],
)
def test_catalog_for_a_made_up_query_is_answered_not_stored(client, booked, query):
    response = client.get("/presentations/" + query)

    assert response.status_code == 200
    assert "Recognizing and Responding: Schools" in response.content.decode()
    assert stored_keys() == []


@pytest.mark.parametrize("query", ["?audience=nobody-by-this-name", "?page_size=10&utm=1"])
def test_api_catalog_for_a_made_up_query_is_answered_not_stored(client, booked, query):
    response = client.get("/api/v1/presentations/" + query)

    assert response.status_code == 200
    assert stored_keys() == []


def test_api_catalog_answers_304_and_counts_only_what_it_builds(client, booked, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "presentations": "1/min"},
    }
    first = client.get("/api/v1/presentations/")
    again = client.get("/api/v1/presentations/", HTTP_IF_NONE_MATCH=first["ETag"])
    stored = client.get("/api/v1/presentations/")
    built = client.get("/api/v1/presentations/?audience=nobody-by-this-name")

    assert (first.status_code, again.status_code, stored.status_code, built.status_code) == (200, 304, 200, 429)
    assert stored.json() == first.json()
    assert first["Content-Type"] == "application/json"


# --- The process's own copies ------------------------------------------------------------------


def test_process_serves_its_recent_copies_without_the_cache_until_the_data_changes(
    client, booked, django_assert_num_queries
):
    first = client.get("/presentations/")
    cache.clear()  # what Redis held is gone; this process still has the copy it built

    with django_assert_num_queries(1):  # the data versions
        again = client.get("/presentations/")
    save_with(booked["presentation"], title_en="Safe Harbor, revised")
    changed = client.get("/presentations/")

    assert again.content == first.content
    assert "Safe Harbor, revised" in text_of(changed)
    assert stored_copies() != []  # the rebuilt copy went to the cache too


def test_process_keeps_no_copy_larger_than_an_eighth_of_its_budget(client, booked, settings, django_assert_num_queries):
    settings.PAGE_CACHE_PROCESS_BYTES = 8 * 1024  # the catalog page is about 10 KiB
    client.get("/presentations/")
    cache.clear()

    with django_assert_num_queries(5):  # built again: the versions and the page's four queries
        client.get("/presentations/")
