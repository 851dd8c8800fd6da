"""The public endpoints: the catalog, a new request under the web form's rules, and the
requester's self-service by token."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from common.validators import MSG_PHONE_INVALID, MSG_ZIP_INVALID
from outreach.enums import RequestStatus
from outreach.models import PresentationRequest
from outreach.services import (
    MSG_FORMAT_NOT_OFFERED,
    MSG_LANGUAGE_NOT_OFFERED,
    MSG_PLATFORM_REQUIRED,
    MSG_WINDOWS_REQUIRED,
    MSG_WINDOWS_TOO_MANY,
    window_too_soon_message,
)
from outreach.throttling import MSG_RATE_LIMITED, MSG_SPAM
from scheduling.models import Booking
from scheduling.services.review import MSG_CANCEL_TOO_LATE, MSG_TRANSITION_REFUSED, Plan, request_approve
from tests.api.conftest import request_body
from tests.factories import AudienceFactory, LanguageFactory, PresentationFactory, days_ahead

pytestmark = pytest.mark.django_db


def invalid(fields: dict) -> dict:
    return {"code": "validation_error", "message": "Some values are not valid; see fields.", "fields": fields}


# --- The catalog -------------------------------------------------------------------------


def test_catalog_lists_active_presentations_filtered_like_the_page(anonymous, presentation, audience):
    parents = AudienceFactory(name="Parents and caregivers", slug="parents")
    PresentationFactory(title="Online Recruitment", slug="online", audiences=[parents], offers_in_person=False)
    PresentationFactory(title="Retired", slug="retired", is_active=False)

    every = anonymous.get("/api/v1/presentations/").json()
    by_audience = anonymous.get("/api/v1/presentations/", {"audience": "parents"}).json()
    by_format = anonymous.get("/api/v1/presentations/", {"format": "in_person"}).json()

    assert [p["slug"] for p in every["results"]] == ["online", "recognize-respond-schools"]
    assert [p["slug"] for p in by_audience["results"]] == ["online"]
    assert [p["slug"] for p in by_format["results"]] == ["recognize-respond-schools"]
    assert every["count"] == 2
    assert every["results"][1] == {
        "slug": "recognize-respond-schools",
        "title": "Recognizing and Responding: Schools",
        "summary": "A summary.",
        "description": "A description.",
        "duration_minutes": 60,
        "formats": ["in_person", "virtual"],
        "audiences": [{"slug": "educators", "name": "Educators and school staff"}],
        "languages": [{"code": "en", "name": "English"}, {"code": "es", "name": "Spanish"}],
        "url": "https://outreach.test/presentations/recognize-respond-schools/",
    }


def test_catalog_refuses_an_unknown_format(anonymous, presentation):
    response = anonymous.get("/api/v1/presentations/", {"format": "hologram"})

    assert response.status_code == 400
    assert response.json() == invalid(
        {"format": ["Select a valid choice. hologram is not one of the available choices."]}
    )


def test_inactive_presentation_is_not_found(anonymous):
    PresentationFactory(slug="retired", is_active=False)

    response = anonymous.get("/api/v1/presentations/retired/")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "No such presentation.", "fields": {}}


# --- Submitting a request ------------------------------------------------------------------


def test_submission_saves_the_request_like_the_form(anonymous, presentation, audience):
    body = request_body(
        presentation,
        audience,
        organization_name="  Roosevelt\x00 High\tSchool  ",
        notes="Line one\r\nLine\x07 two",
        contact_phone="(612) 555-0123",
    )

    response = anonymous.post("/api/v1/requests/", body)

    assert response.status_code == 201
    saved = PresentationRequest.objects.get()
    token = response.json()["status_url"].split("/")[-2]
    assert response.json() == {
        "reference": saved.reference,
        "status": "submitted",
        "status_url": f"https://outreach.test/requests/{token}/",
        "api_url": f"https://outreach.test/api/v1/requests/{token}/",
    }
    assert anonymous.get(f"/api/v1/requests/{token}/").json()["reference"] == saved.reference
    assert saved.organization_name == "Roosevelt High School"
    assert saved.notes == "Line one\nLine two"
    assert saved.contact_phone == "+1 612-555-0123"
    assert [(w.position, w.start, w.end) for w in saved.windows.all()] == [
        (1, days_ahead(30, 9), days_ahead(30, 10, 30))
    ]
    assert list(saved.notifications.values_list("kind", flat=True)) == ["request_received", "staff_new_request"]


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"contact_phone": "12"}, {"contact_phone": [str(MSG_PHONE_INVALID)]}),
        ({"zip_code": "5510"}, {"zip_code": [str(MSG_ZIP_INVALID)]}),
        ({"zip_code": "٥٥١٠١"}, {"zip_code": [str(MSG_ZIP_INVALID)]}),
        ({"contact_email": "maria@"}, {"contact_email": ["Enter a valid email address."]}),
        ({"audience_size": 5001}, {"audience_size": ["Enter a number of people between 1 and 5,000."]}),
        (
            {"organization_name": "x" * 201},
            {"organization_name": ["Ensure this field has no more than 200 characters."]},
        ),
        ({"organization_name": "\x00\x01"}, {"organization_name": ["This field may not be blank."]}),
        ({"windows": []}, {"windows": [str(MSG_WINDOWS_REQUIRED)]}),
        (
            {"windows": [{"start": days_ahead(30, 9).isoformat(), "end": days_ahead(30, 10).isoformat()}] * 4},
            {"windows": [str(MSG_WINDOWS_TOO_MANY)]},
        ),
        (
            {"windows": [{"start": days_ahead(3, 9).isoformat(), "end": days_ahead(3, 10).isoformat()}]},
            {"windows.0.start": [window_too_soon_message()]},
        ),
        (
            {"windows": [{"start": days_ahead(30, 9).isoformat(), "end": days_ahead(30, 18).isoformat()}]},
            {"windows.0.end": ["A window can last at most 8 hours."]},
        ),
        ({"language": "so"}, {"language": [str(MSG_LANGUAGE_NOT_OFFERED)]}),
        ({"format": "virtual"}, {"virtual_platform": [str(MSG_PLATFORM_REQUIRED)]}),
        (
            {"presentation": "no such"},
            {"presentation": ["Enter a valid identifier (letters, digits, hyphens and underscores)."]},
        ),
    ],
)
def test_submission_applies_the_form_rules(anonymous, presentation, audience, overrides, fields):
    LanguageFactory(code="so", name="Somali")

    response = anonymous.post("/api/v1/requests/", request_body(presentation, audience, **overrides))

    assert response.status_code == 400
    assert response.json() == invalid(fields)
    assert PresentationRequest.objects.count() == 0


def test_submission_in_a_format_not_offered(anonymous, audience):
    online = PresentationFactory(slug="online", audiences=[audience], offers_in_person=False)

    response = anonymous.post("/api/v1/requests/", request_body(online, audience))

    assert response.json() == invalid({"format": [str(MSG_FORMAT_NOT_OFFERED)]})


def test_submission_filling_the_honeypot_is_refused(anonymous, presentation, audience):
    response = anonymous.post("/api/v1/requests/", request_body(presentation, audience, website="http://spam.example"))

    assert response.status_code == 400
    assert response.json() == {"code": "spam", "message": str(MSG_SPAM), "fields": {}}
    assert PresentationRequest.objects.count() == 0


@override_settings(REQUEST_RATE_LIMIT="2/h")
def test_submissions_share_the_web_forms_limit(client, anonymous, presentation, audience, form_data):
    by_form = client.post(
        reverse("outreach:request_create", kwargs={"slug": presentation.slug}), {**form_data, "step": "confirm"}
    )
    by_api = anonymous.post("/api/v1/requests/", request_body(presentation, audience))

    over = anonymous.post("/api/v1/requests/", request_body(presentation, audience))

    assert (by_form.status_code, by_api.status_code) == (302, 201)
    assert over.status_code == 429
    assert over.json() == {"code": "throttled", "message": str(MSG_RATE_LIMITED), "fields": {}}
    assert PresentationRequest.objects.count() == 2


@override_settings(REQUEST_RATE_LIMIT="1/h")
def test_only_submissions_count_against_the_one_limit_not_attempts(anonymous, presentation, audience):
    """REQUEST_RATE_LIMIT is the API's only limit on submitting, as on the web form: a client may
    correct its body as often as it needs (no fixed API rate of its own counts the attempts)."""
    corrections = [
        anonymous.post("/api/v1/requests/", request_body(presentation, audience, windows=[])) for _ in range(31)
    ]

    accepted = anonymous.post("/api/v1/requests/", request_body(presentation, audience))
    over = anonymous.post("/api/v1/requests/", request_body(presentation, audience))

    assert {a.status_code for a in corrections} == {400}
    assert (accepted.status_code, over.status_code) == (201, 429)
    assert PresentationRequest.objects.count() == 1


# --- The requester's self-service ----------------------------------------------------------


def test_requester_reads_their_request_by_token(anonymous, submitted):
    response = anonymous.get(f"/api/v1/requests/{submitted.token}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["status"], body["booking"], body["proposal"]) == (
        submitted.reference,
        "submitted",
        None,
        None,
    )
    assert body["status_url"] == f"https://outreach.test/requests/{submitted.token}/"
    assert body["windows"] == [
        {"position": 1, "start": days_ahead(30, 10).isoformat(), "end": days_ahead(30, 11).isoformat()}
    ]


@pytest.mark.parametrize("token", ["1", "x" * 43, "y" * 100])
def test_no_request_without_its_token(anonymous, submitted, token):
    response = anonymous.get(f"/api/v1/requests/{token}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_requester_withdraws(anonymous, submitted):
    response = anonymous.post(f"/api/v1/requests/{submitted.token}/withdraw/", {"reason": "Moved to spring."})

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["actions"]["withdraw"] is False
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.WITHDRAWN
    assert submitted.audit_entries.get().note == "Moved to spring."


def test_withdrawing_twice_is_a_conflict(anonymous, submitted):
    anonymous.post(f"/api/v1/requests/{submitted.token}/withdraw/", {})

    again = anonymous.post(f"/api/v1/requests/{submitted.token}/withdraw/", {})

    assert again.status_code == 409
    assert again.json() == {
        "code": "invalid_transition",
        "message": MSG_TRANSITION_REFUSED % {"status": "withdrawn", "action": "withdrawn"},
        "fields": {},
    }


def test_requester_cannot_cancel_after_the_cut_off(anonymous, submitted, presenter, staff_user):
    soon = timezone.now() + timedelta(hours=30)
    request_approve(
        request=submitted,
        by=staff_user,
        plan=Plan(soon, soon + timedelta(hours=1), presenter, location="Gym"),
    )

    shown = anonymous.get(f"/api/v1/requests/{submitted.token}/").json()
    response = anonymous.post(f"/api/v1/requests/{submitted.token}/cancel/", {"reason": "Snow day."})

    assert shown["actions"]["cancel"] is False
    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": MSG_CANCEL_TOO_LATE % {"hours": 48},
        "fields": {},
    }
    assert Booking.objects.get().cancelled_at is None
