"""Answers with personal data tell browsers and proxies not to keep them: staff pages, the staff
API (session or token), presenters' pages, the requester's status page and its API."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import request_body
from tests.factories import PresentationRequestFactory, PresenterFactory

pytestmark = pytest.mark.django_db

NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.fixture
def submitted():
    return PresentationRequestFactory()


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def staff_paths(request) -> list[str]:
    return [
        "/staff/",
        f"/staff/requests/{request.pk}/",
        "/staff/calendar/",
        "/staff/calendar/events.json?start=2026-01-01T00:00:00Z&end=2026-02-01T00:00:00Z",
        "/staff/presenters/",
        "/staff/feeds/",
        "/staff/reports/",
        "/admin/outreach/presentationrequest/",
    ]


def staff_api_paths(request) -> list[str]:
    return [
        "/api/v1/staff/requests/",
        f"/api/v1/staff/requests/{request.pk}/",
        "/api/v1/staff/presenters/",
        "/api/v1/staff/bookings/?start=2026-01-01&end=2026-02-01",
        "/api/v1/staff/notifications/",
    ]


def test_staff_pages_are_not_stored(staff_client, staff_user, submitted):
    staff_user.is_superuser = True
    staff_user.save()
    answers = {path: staff_client.get(path) for path in staff_paths(submitted)}

    assert {path: (r.status_code, r["Cache-Control"]) for path, r in answers.items()} == {
        path: (200, NO_STORE) for path in answers
    }


def test_staff_api_is_not_stored_with_a_session_or_a_token(staff_client, staff_user, submitted):
    token_client = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user).key}")
    by_session = {path: staff_client.get(path) for path in staff_api_paths(submitted)}
    by_token = {path: token_client.get(path) for path in staff_api_paths(submitted)}

    assert {p: (r.status_code, r["Cache-Control"]) for p, r in by_session.items()} == {
        p: (200, NO_STORE) for p in by_session
    }
    assert {p: (r.status_code, r["Cache-Control"]) for p, r in by_token.items()} == {
        p: (200, NO_STORE) for p in by_token
    }


def test_presenter_schedule_is_not_stored(client):
    user = get_user_model().objects.create_user("ana", "ana@example.org", "pw")
    PresenterFactory(user=user)
    client.force_login(user)

    response = client.get("/my/schedule/")

    assert (response.status_code, response["Cache-Control"]) == (200, NO_STORE)


def test_requester_status_page_and_its_api_are_not_stored(client, submitted):
    page = client.get(f"/requests/{submitted.token}/")
    api = APIClient().get(f"/api/v1/requests/{submitted.token}/")

    assert (page.status_code, page["Cache-Control"]) == (200, NO_STORE)
    assert (api.status_code, api["Cache-Control"]) == (200, NO_STORE)
    assert api.json()["contact_name"] == "Dana Whitfield"


def test_new_request_answer_through_the_api_is_not_stored(presentation, audience):
    response = APIClient().post("/api/v1/requests/", request_body(presentation, audience), format="json")

    assert (response.status_code, response["Cache-Control"]) == (201, NO_STORE)


def test_public_catalog_keeps_no_private_cache_header(client, submitted):
    response = client.get("/presentations/")

    assert (response.status_code, response.has_header("Cache-Control")) == (200, False)
