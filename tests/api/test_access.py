"""Who may call what (anonymous, requester token, presenter, staff), CSRF on session writes,
throttling, and the one error shape on every 4xx."""

import re

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import override_settings
from rest_framework.test import APIClient

from scheduling.models import Blackout, Notification
from tests.api.conftest import client_with_token, request_body
from tests.factories import PresentationRequestFactory, days_ahead

pytestmark = pytest.mark.django_db

UNKNOWN_TOKEN = "A" * 43


@pytest.fixture
def world(presentation, presenter, submitted, staff_user):
    """One of everything an endpoint can name."""
    blackout = Blackout.objects.create(presenter=presenter, start=days_ahead(60), end=days_ahead(61))
    notification = Notification.objects.create(
        request=submitted, kind="request_received", recipient="dana@example.net", subject="s", body_text="t"
    )
    return {
        "slug": presentation.slug,
        "token": submitted.token,
        "request": submitted.pk,
        "presenter": presenter.pk,
        "blackout": blackout.pk,
        "notification": notification.pk,
    }


def requester_client(token: str) -> APIClient:
    """A requester has only their status token; offered as credentials it is no staff token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# (method, path, body, what staff get) for every staff endpoint; anonymous and requester callers
# get 401, presenters 403.
RANGE = f"start={days_ahead(1).isoformat().replace('+', '%2B')}&end={days_ahead(90).isoformat().replace('+', '%2B')}"
STAFF_ENDPOINTS = [
    ("get", "/api/v1/staff/requests/", None, 200),
    ("get", "/api/v1/staff/requests/{request}/", None, 200),
    ("patch", "/api/v1/staff/requests/{request}/", {"notes": "Side door."}, 200),
    ("post", "/api/v1/staff/requests/{request}/approve/", {}, 400),
    ("post", "/api/v1/staff/requests/{request}/propose/", {}, 400),
    ("post", "/api/v1/staff/requests/{request}/decline/", {}, 400),
    ("post", "/api/v1/staff/requests/{request}/reschedule/", {}, 400),
    ("post", "/api/v1/staff/requests/{request}/cancel/", {"reason": "r"}, 409),
    ("post", "/api/v1/staff/requests/{request}/complete/", {"attendance": 1}, 409),
    ("get", "/api/v1/staff/presenters/", None, 200),
    ("post", "/api/v1/staff/presenters/", {}, 400),
    ("get", "/api/v1/staff/presenters/{presenter}/", None, 200),
    ("put", "/api/v1/staff/presenters/{presenter}/", {}, 400),
    ("patch", "/api/v1/staff/presenters/{presenter}/", {"name": "Ana M. Ruiz"}, 200),
    ("post", "/api/v1/staff/presenters/{presenter}/deactivate/", None, 200),
    ("post", "/api/v1/staff/presenters/{presenter}/feed-token/", None, 200),
    ("get", "/api/v1/staff/presenters/suggestions/?request={request}&" + RANGE, None, 200),
    ("get", "/api/v1/staff/bookings/?" + RANGE, None, 200),
    ("get", "/api/v1/staff/blackouts/", None, 200),
    ("post", "/api/v1/staff/blackouts/", {}, 400),
    ("get", "/api/v1/staff/blackouts/{blackout}/", None, 200),
    ("put", "/api/v1/staff/blackouts/{blackout}/", {}, 400),
    ("patch", "/api/v1/staff/blackouts/{blackout}/", {"reason": "Away"}, 200),
    ("delete", "/api/v1/staff/blackouts/{blackout}/", None, 204),
    ("get", "/api/v1/staff/notifications/", None, 200),
    ("get", "/api/v1/staff/notifications/{notification}/", None, 200),
    ("post", "/api/v1/staff/notifications/{notification}/resend/", None, 409),
]
# Public endpoints answer everyone alike; the requester's token is in the path, and without it
# (here: a well-formed unknown token) there is nothing to see.
PUBLIC_ENDPOINTS = [
    ("get", "/api/v1/presentations/", None, 200),
    ("get", "/api/v1/presentations/{slug}/", None, 200),
    ("post", "/api/v1/requests/", {}, 400),
]
REQUESTER_ENDPOINTS = [
    ("get", "/api/v1/requests/{token}/", None, 200),
    ("post", "/api/v1/requests/{token}/accept-proposal/", {"proposed_time": 1}, 409),
    ("post", "/api/v1/requests/{token}/decline-proposal/", {}, 409),
    ("post", "/api/v1/requests/{token}/cancel/", {}, 409),
    ("post", "/api/v1/requests/{token}/withdraw/", {}, 200),
]


def call(client, method: str, path: str, body, world: dict):
    return getattr(client, method)(path.format(**world), body, format="json")


@pytest.mark.parametrize(("method", "path", "body", "expected"), STAFF_ENDPOINTS)
def test_staff_endpoints_by_caller(method, path, body, expected, world, anonymous, presenter_client, staff):
    assert call(anonymous, method, path, body, world).json() == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "fields": {},
    }
    as_requester = call(requester_client(world["token"]), method, path, body, world)
    as_presenter = call(presenter_client, method, path, body, world)
    as_staff = call(staff, method, path, body, world)

    assert call(anonymous, method, path, body, world).status_code == 401
    assert (as_requester.status_code, as_requester.json()["code"]) == (401, "authentication_failed")
    assert as_requester["WWW-Authenticate"] == "Token"
    assert (as_presenter.status_code, as_presenter.json()["code"]) == (403, "permission_denied")
    assert as_staff.status_code == expected


@pytest.mark.parametrize(("method", "path", "body", "expected"), PUBLIC_ENDPOINTS)
def test_public_endpoints_answer_everyone_alike(method, path, body, expected, world, presenter_client, staff):
    callers = [APIClient(), requester_client(world["token"]), presenter_client, staff]

    assert [call(c, method, path, body, world).status_code for c in callers] == [expected] * 4


@pytest.mark.parametrize(("method", "path", "body", "expected"), REQUESTER_ENDPOINTS)
def test_requester_endpoints_need_the_token_in_the_path(method, path, body, expected, world, presenter_client, staff):
    without = {**world, "token": UNKNOWN_TOKEN}
    by_id = {**world, "token": str(world["request"])}

    assert call(APIClient(), method, path, body, world).status_code == expected
    for client in (APIClient(), presenter_client, staff):
        assert call(client, method, path, body, without).status_code == 404
        assert call(client, method, path, body, by_id).status_code == 404


# --- Sessions and CSRF ---------------------------------------------------------------------


def test_session_writes_need_the_csrf_token(staff_user, submitted):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(staff_user)
    path = f"/api/v1/staff/requests/{submitted.pk}/decline/"

    read = browser.get(f"/api/v1/staff/requests/{submitted.pk}/")
    forged = browser.post(path, {"reason": "No presenter."}, format="json")
    browser.get("/staff/")  # any page that sets the CSRF cookie
    csrf = browser.cookies[settings.CSRF_COOKIE_NAME].value
    genuine = browser.post(path, {"reason": "No presenter."}, format="json", HTTP_X_CSRFTOKEN=csrf)

    assert read.status_code == 200
    assert forged.status_code == 403
    assert forged.json() == {
        "code": "permission_denied",
        "message": "CSRF Failed: CSRF cookie not set.",
        "fields": {},
    }
    assert genuine.status_code == 200


def test_public_endpoints_ignore_a_session_and_need_no_csrf(staff_user, presentation, audience):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(staff_user)

    response = browser.post("/api/v1/requests/", request_body(presentation, audience), format="json")

    assert response.status_code == 201


# --- Throttling ----------------------------------------------------------------------------


def throttled(**rates):
    config = {**settings.REST_FRAMEWORK}
    config["DEFAULT_THROTTLE_RATES"] = {**config["DEFAULT_THROTTLE_RATES"], **rates}
    return override_settings(REST_FRAMEWORK=config)


def test_public_endpoint_throttles_per_client_with_the_error_shape(anonymous, presentation):
    with throttled(presentations="2/min"):
        # Each made-up filter is answered from the database (a stored answer is not counted).
        answers = [anonymous.get(f"/api/v1/presentations/?audience=nobody-{n}") for n in range(3)]
        other_endpoint = anonymous.get(f"/api/v1/requests/{UNKNOWN_TOKEN}/")
        other_client = APIClient(REMOTE_ADDR="10.0.0.9").get("/api/v1/presentations/")

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].json() == {
        "code": "throttled",
        "message": "Request was throttled. Expected available in 60 seconds.",
        "fields": {},
    }
    assert answers[2]["Retry-After"] == "60"
    assert other_endpoint.status_code == 404
    assert other_client.status_code == 200


def test_staff_endpoint_throttles_per_user_and_endpoint(staff, submitted):
    colleague = client_with_token(get_user_model().objects.create_user("sam", is_staff=True))
    with throttled(staff_requests="1/min"):
        first, second = staff.get("/api/v1/staff/requests/"), staff.get("/api/v1/staff/requests/")
        other_user = colleague.get("/api/v1/staff/requests/")
        other_endpoint = staff.get(f"/api/v1/staff/requests/{submitted.pk}/")
        other_scope = staff.get("/api/v1/staff/presenters/")

    assert (first.status_code, second.status_code) == (200, 429)
    assert second.json()["code"] == "throttled"
    assert (other_user.status_code, other_endpoint.status_code, other_scope.status_code) == (200, 200, 200)


# --- The one error shape -------------------------------------------------------------------


def shape(response) -> tuple[int, str]:
    body = response.json()
    assert sorted(body) == ["code", "fields", "message"]
    assert isinstance(body["message"], str)
    assert body["message"]
    return response.status_code, body["code"]


def test_every_4xx_has_the_one_shape(anonymous, staff, presentation, submitted):
    assert shape(anonymous.get("/api/v1/no-such-thing/")) == (404, "not_found")
    assert shape(anonymous.get("/api/v1/presentations")) == (404, "not_found")
    assert shape(anonymous.delete("/api/v1/presentations/")) == (405, "method_not_allowed")
    assert shape(anonymous.post("/api/v1/requests/", "x=1", content_type="text/plain")) == (
        415,
        "unsupported_media_type",
    )
    assert shape(anonymous.post("/api/v1/requests/", "{not json", content_type="application/json")) == (
        400,
        "parse_error",
    )
    assert shape(anonymous.post("/api/v1/requests/", "[1, 2]", content_type="application/json")) == (
        400,
        "validation_error",
    )
    assert shape(anonymous.post("/api/v1/requests/", "{}", content_type="application/json; charset=nope")) == (
        400,
        "validation_error",
    )
    deep = "[" * 100_000 + "]" * 100_000
    assert shape(anonymous.post("/api/v1/requests/", deep, content_type="application/json")) == (400, "parse_error")
    assert shape(anonymous.get("/api/v1/presentations/", HTTP_ACCEPT="text/html")) == (406, "not_acceptable")
    assert shape(anonymous.get("/api/v1/presentations/", {"page": 99})) == (404, "not_found")
    assert shape(staff.get("/api/v1/staff/requests/99999999999999999999/")) == (404, "not_found")
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100):
        assert shape(anonymous.post("/api/v1/requests/", {"notes": "x" * 200})) == (413, "request_too_large")


def test_odd_credentials_are_refused_not_looked_up(anonymous):
    for header in ("Token \x00" + "a" * 39, "Token " + "é" * 40, "Token a b", "Token", "Bearer xyz"):
        response = anonymous.get("/api/v1/staff/requests/", HTTP_AUTHORIZATION=header)
        assert shape(response)[0] == 401


def test_requests_by_others_do_not_leak_into_the_requesters_view(anonymous, submitted, presentation):
    PresentationRequestFactory(presentation=presentation, organization_name="Someone Else")

    body = anonymous.get(f"/api/v1/requests/{submitted.token}/").json()

    assert body["organization_name"] == "Northfield Community Church"
    assert "id" not in body


@pytest.mark.redis
def test_throttle_counts_live_in_redis_when_configured(anonymous, presentation, redis_url):
    url = redis_url.rsplit("/", 1)[0] + "/11"
    prefix = "api-throttle-test"
    cache = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
    }
    server = redis.Redis.from_url(url)
    server.delete(*server.keys(f"{prefix}:*") or ["-"])
    try:
        with override_settings(CACHES=cache), throttled(presentations="2/min"):
            urls = [
                "/api/v1/presentations/",
                "/api/v1/presentations/?audience=nobody",
                "/api/v1/presentations/?audience=no",
            ]
            answers = [anonymous.get(url).status_code for url in [*urls, "/api/v1/presentations/"]]
            keys = [k.decode() for k in server.keys(f"{prefix}:*")]
            counted = server.get(f"{prefix}:1:throttle_presentations.PresentationListView_127.0.0.1:n")
    finally:
        server.delete(*server.keys(f"{prefix}:*") or ["-"])

    assert answers == [200, 200, 429, 200]  # the last one from the stored copy, not counted
    assert counted == b"3"
    throttle_key = f"{prefix}:1:throttle_presentations.PresentationListView_127.0.0.1:n"
    assert throttle_key in keys
    # The other keys are the catalog's stored copy and its head: hashed, holding no address.
    assert sorted(re.sub(r"[0-9a-f]{64}", "<sha256>", key) for key in keys if key != throttle_key) == [
        f"{prefix}:1:stored:page:<sha256>",
        f"{prefix}:1:stored:page:<sha256>:head",
    ]
