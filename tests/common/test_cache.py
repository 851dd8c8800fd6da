"""The cache backend when Redis is unreachable: misses and a warning, never an error, and quickly.

These talk to real sockets: a port nobody listens on (refused at once) and a listening socket
that never answers (a hung server). The last test uses the Redis that REDIS_URL names.
"""

import logging
import re
import socket
import time

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from common.cache import outages
from common.pagecache import recent
from outreach.models import PresentationRequest
from tests.api.conftest import request_body
from tests.factories import PresentationFactory

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_cache_at(settings, url: str) -> None:
    """The production cache configuration (backend, timeouts), pointed at ``url``."""
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": url, "KEY_PREFIX": "cache-tests"}}


@pytest.fixture(autouse=True)
def _no_remembered_outage():
    outages.clear()
    yield
    outages.clear()


@pytest.fixture
def refused(settings):
    """The cache points at a loopback port where nothing listens: every connection is refused."""
    redis_cache_at(settings, f"redis://127.0.0.1:{free_port()}/0")


@pytest.fixture
def hung(settings):
    """The cache points at a socket that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        redis_cache_at(settings, f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
        yield


def cache_warnings(caplog) -> list[str]:
    return [f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.name == "common.cache"]


def test_unreachable_cache_reads_as_misses_with_one_warning(refused, caplog):
    with caplog.at_level(logging.WARNING):
        answers = (
            cache.get("count", "default"),
            cache.add("count", 1, 60),
            cache.set("count", 1, 60),
            cache.get_many(["count"]),
            cache.has_key("count"),
            cache.delete("count"),
        )
        with pytest.raises(ValueError):
            cache.incr("count")

    assert answers == ("default", False, None, {}, False, False)
    assert cache_warnings(caplog) == [
        "WARNING Cache unreachable (ConnectionError on get): treated as a miss; Redis is tried again in 5 s."
    ]


def test_hung_cache_costs_one_timeout_then_nothing(hung, settings):
    started = time.monotonic()
    first = cache.get("count", "default")
    first_seconds = time.monotonic() - started
    started = time.monotonic()
    again = [cache.add("count", 1, 60), cache.get("count", "default")]
    again_seconds = time.monotonic() - started

    assert (first, again) == ("default", [False, "default"])
    assert settings.CACHE_TIMEOUT_SECONDS <= first_seconds < settings.CACHE_TIMEOUT_SECONDS + 0.5
    assert again_seconds < 0.05


def test_form_and_api_answer_when_the_cache_is_unreachable(refused, client, presentation, audience, form_data, caplog):
    url = reverse("outreach:request_create", kwargs={"slug": presentation.slug})
    with caplog.at_level(logging.WARNING):
        by_form = client.post(url, {**form_data, "step": "confirm"})
        by_api = APIClient().post("/api/v1/requests/", request_body(presentation, audience))
        catalog = APIClient().get("/api/v1/presentations/")

    assert (by_form.status_code, by_api.status_code, catalog.status_code) == (302, 201, 200)
    assert PresentationRequest.objects.count() == 2
    assert cache_warnings(caplog) == [
        "WARNING Cache unreachable (ConnectionError on add): treated as a miss; Redis is tried again in 5 s."
    ]
    assert "127.0.0.1" not in caplog.text


def test_hung_cache_does_not_hold_the_catalog(hung, db):
    PresentationFactory()
    started = time.monotonic()
    answers = [APIClient().get("/api/v1/presentations/").status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert time.monotonic() - started < 1.5


@pytest.mark.redis
def test_reachable_cache_counts_as_usual(settings, redis_url):
    redis_cache_at(settings, redis_url)
    cache.delete("count")

    assert cache.add("count", 1, 60) is True
    assert cache.incr("count") == 2
    assert cache.get("count") == 2
    cache.delete("count")


def test_public_pages_answer_when_the_cache_is_unreachable(refused, client, presentation, caplog):
    with caplog.at_level(logging.WARNING):
        answers = [
            client.get(url)
            for url in (
                "/",
                "/presentations/",
                f"/presentations/{presentation.slug}/",
                "/events/",
                "/calendar/public.ics",
            )
        ]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 200]
    assert presentation.title in answers[1].content.decode()
    assert cache_warnings(caplog) == [
        "WARNING Cache unreachable (ConnectionError on get): treated as a miss; Redis is tried again in 5 s."
    ]


def test_hung_cache_does_not_hold_the_public_pages(hung, client, presentation):
    started = time.monotonic()
    answers = [client.get(url).status_code for url in ("/", "/presentations/", "/events/", "/presentations/")]

    assert answers == [200, 200, 200, 200]
    assert time.monotonic() - started < 1.5


# --- The API throttle's count -------------------------------------------------------------------


def catalog_rate(settings, rate: str) -> None:
    config = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {
        **config,
        "DEFAULT_THROTTLE_RATES": {**config["DEFAULT_THROTTLE_RATES"], "presentations": rate},
    }


def test_api_throttle_lets_requests_through_when_the_cache_is_unreachable(refused, settings, presentation, caplog):
    catalog_rate(settings, "2/min")
    with caplog.at_level(logging.WARNING):
        answers = [APIClient().get("/api/v1/presentations/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 200]
    assert len(cache_warnings(caplog)) == 1


@pytest.mark.redis
def test_api_throttle_counts_in_redis_and_says_when_to_come_back(settings, redis_url, presentation):
    redis_cache_at(settings, redis_url)
    catalog_rate(settings, "2/s")
    server = redis.Redis.from_url(redis_url)
    server.delete(*server.keys("cache-tests:*") or ["-"])
    client = APIClient()
    made_up = "/api/v1/presentations/?audience=nobody"  # answered from the database, so counted
    try:
        answers = [client.get(made_up) for _ in range(3)]
        time.sleep(1.1)
        after_the_window = client.get(made_up)
    finally:
        server.delete(*server.keys("cache-tests:*") or ["-"])

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2].json()["code"] == "throttled"
    assert answers[2]["Retry-After"] == "1"
    assert after_the_window.status_code == 200


@pytest.mark.redis
def test_api_throttle_costs_one_round_trip_and_a_stored_answer_none(settings, redis_url, presentation, monkeypatch):
    """An answer built from the database is counted in one command (the script, by its digest),
    beside the one read that finds no stored copy; a warm catalog request is answered from the copy
    in the process's memory without asking Redis."""
    redis_cache_at(settings, redis_url)
    server = redis.Redis.from_url(redis_url)
    server.delete(*server.keys("cache-tests:*") or ["-"])
    client = APIClient()
    trips = []
    real_command, real_pipeline = redis.Redis.execute_command, redis.client.Pipeline.execute
    try:
        assert client.get("/api/v1/presentations/").status_code == 200
        monkeypatch.setattr(redis.Redis, "execute_command", lambda *a, **k: trips.append(a[1]) or real_command(*a, **k))
        monkeypatch.setattr(
            redis.client.Pipeline, "execute", lambda *a, **k: trips.append("pipeline") or real_pipeline(*a, **k)
        )
        warm = client.get("/api/v1/presentations/")
        warm_trips = list(trips)
        built = client.get("/api/v1/presentations/?audience=nobody")
        monkeypatch.undo()
        counted = server.get("cache-tests:1:throttle_presentations.PresentationListView_127.0.0.1:n")
    finally:
        monkeypatch.undo()
        server.delete(*server.keys("cache-tests:*") or ["-"])

    assert (warm.status_code, built.status_code) == (200, 200)
    assert presentation.title in warm.content.decode()
    assert warm_trips == []
    assert trips == ["GET", "EVALSHA"]
    assert counted == b"2"


@pytest.mark.redis
def test_api_throttle_counts_after_redis_forgets_its_script(settings, redis_url, presentation):
    """After a restart (or SCRIPT FLUSH) Redis no longer knows the counting script by its digest:
    the script is sent again, and the request counted, not refused or failed."""
    redis_cache_at(settings, redis_url)
    server = redis.Redis.from_url(redis_url)
    server.delete(*server.keys("cache-tests:*") or ["-"])
    client = APIClient()
    key = "cache-tests:1:throttle_presentations.PresentationListView_127.0.0.1:n"
    made_up = "/api/v1/presentations/?audience=nobody"  # answered from the database, so counted
    try:
        first = client.get(made_up)
        server.script_flush()
        second = client.get(made_up)
        counted, left_ms = server.get(key), server.pttl(key)
    finally:
        server.delete(*server.keys("cache-tests:*") or ["-"])

    assert (first.status_code, second.status_code) == (200, 200)
    assert counted == b"2"
    assert 0 < left_ms <= 60_000


@pytest.mark.redis
def test_every_key_the_cache_writes_expires(settings, redis_url, client, presentation, audience, form_data):
    """Redis is also Celery's broker, whose queues never expire: with `maxmemory-policy volatile-lru`
    (README, docker-compose.yml) a full Redis evicts only keys that expire, so every key the cache
    writes must expire for it to give way before a queued task does."""
    redis_cache_at(settings, redis_url)
    server = redis.Redis.from_url(redis_url)
    server.delete(*server.keys("cache-tests:*") or ["-"])
    recent.clear()
    try:
        client.get("/presentations/")  # a stored page and its head
        client.get("/presentations/", HTTP_ACCEPT_ENCODING="gzip")  # its compressed copy
        client.get("/calendar/public.ics")  # a stored feed
        APIClient().get("/api/v1/presentations/?audience=nobody")  # a throttle window
        url = reverse("outreach:request_create", kwargs={"slug": presentation.slug})
        submitted = client.post(url, {**form_data, "step": "confirm"})  # the submission rate limit
        ttls = {key.decode().split(":", 2)[2]: server.ttl(key) for key in server.keys("cache-tests:*")}
    finally:
        server.delete(*server.keys("cache-tests:*") or ["-"])
        recent.clear()

    assert submitted.status_code == 302
    kinds = {_kind_of(key) for key in ttls}
    assert kinds == {
        "stored:page",
        "stored:page:head",
        "stored:gzip",
        "stored:feed",
        "stored:feed:head",
        "throttle",
        "rl",
    }
    assert [key for key, seconds in ttls.items() if seconds <= 0] == []


def _kind_of(key: str) -> str:
    """A cache key without its hashes and the client it counts for."""
    if key.startswith(("throttle_", "rl:")):
        return key.split(":")[0].split("_")[0]
    return ":".join(part for part in key.split(":") if not re.fullmatch(r"[0-9a-f]{40,64}", part))
