"""PATCH /api/v1/requests/<token>/: the requester's optional details, until the talk is confirmed;
PATCH /api/v1/staff/requests/<id>/: the same details changed by staff, also after confirmation."""

from datetime import timedelta

import pytest

from outreach.api.examples import DETAILS_CHANGE
from outreach.services import MSG_DETAILS_CLOSED, MSG_DETAILS_CONFIRMED, MSG_REGISTRATION_URL, MSG_VENUE_REQUIRED
from scheduling.api.examples import DETAILS_CHANGE as STAFF_CHANGE
from scheduling.models import AuditEntry
from scheduling.services import review
from tests.factories import days_ahead

pytestmark = pytest.mark.django_db


def url(request) -> str:
    return f"/api/v1/requests/{request.token}/"


def test_patch_changes_the_details_sent_and_answers_the_request(anonymous, submitted):
    submitted.notes = "Keep me"
    submitted.save()

    answer = anonymous.patch(url(submitted), DETAILS_CHANGE, format="json")

    submitted.refresh_from_db()
    assert answer.status_code == 200
    body = answer.json()
    assert {name: body[name] for name in DETAILS_CHANGE} == DETAILS_CHANGE
    assert (body["notes"], body["no_registration_needed"], body["actions"]["update_details"]) == (
        "Keep me",
        False,
        True,
    )
    assert submitted.registration_url == DETAILS_CHANGE["registration_url"]
    assert AuditEntry.objects.get(request=submitted, action="details_update").note == (
        "Changed by the requester: open to the public, may be listed publicly, venue, registration link."
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"registration_url": "ftp://example.org/list"}, "registration_url", str(MSG_REGISTRATION_URL)),
        ({"registration_url": "not a link"}, "registration_url", str(MSG_REGISTRATION_URL)),
        ({"is_open_to_public": True, "may_list_publicly": True}, "venue", str(MSG_VENUE_REQUIRED)),
        ({"notes": "x" * 4001}, "notes", "Ensure this field has no more than 4000 characters."),
        ({"av_available": "maybe"}, "av_available", "Must be a valid boolean."),
    ],
)
def test_patch_with_a_bad_value_answers_400_with_the_field_error(anonymous, submitted, change, field, message):
    answer = anonymous.patch(url(submitted), change, format="json")

    submitted.refresh_from_db()
    assert answer.status_code == 400
    assert answer.json()["code"] == "validation_error"
    assert answer.json()["fields"] == {field: [message]}
    assert (submitted.registration_url, submitted.is_open_to_public) == ("", False)


def test_patch_after_confirmation_answers_409(anonymous, submitted, presenter, staff_user):
    start = days_ahead(30, 10)
    plan = review.Plan(start, start + timedelta(hours=1), presenter, [], "in_person", "Room 4")
    review.request_approve(request=submitted, by=staff_user, plan=plan)

    answer = anonymous.patch(url(submitted), {"notes": "One more thing"}, format="json")

    submitted.refresh_from_db()
    assert answer.status_code == 409
    assert answer.json() == {"code": "details_locked", "message": str(MSG_DETAILS_CONFIRMED), "fields": {}}
    assert submitted.notes == ""
    assert anonymous.get(url(submitted)).json()["actions"]["update_details"] is False


def test_patch_with_an_unknown_token_answers_404(anonymous, db):
    answer = anonymous.patch("/api/v1/requests/not-a-real-token/", {"notes": "x"}, format="json")

    assert answer.status_code == 404


def schedule(request, presenter, staff_user) -> None:
    start = days_ahead(30, 10)
    plan = review.Plan(start, start + timedelta(hours=1), presenter, [], "in_person", "Room 4")
    review.request_approve(request=request, by=staff_user, plan=plan)


def test_staff_patch_changes_the_link_of_a_confirmed_talk(staff, anonymous, submitted, presenter, staff_user):
    schedule(submitted, presenter, staff_user)

    answer = staff.patch(f"/api/v1/staff/requests/{submitted.pk}/", STAFF_CHANGE, format="json")

    submitted.refresh_from_db()
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["registration_url"]) == (
        "scheduled",
        STAFF_CHANGE["registration_url"],
    )
    assert answer.json()["audit_trail"][-1]["note"] == "Changed by staff (jordan): registration link."
    assert submitted.registration_url == STAFF_CHANGE["registration_url"]
    assert anonymous.patch(url(submitted), STAFF_CHANGE, format="json").status_code == 409


def test_staff_patch_with_a_bad_link_answers_400_next_to_the_field(staff, submitted):
    answer = staff.patch(f"/api/v1/staff/requests/{submitted.pk}/", {"registration_url": "not a link"}, format="json")

    assert answer.status_code == 400
    assert answer.json()["fields"] == {"registration_url": [str(MSG_REGISTRATION_URL)]}


def test_staff_patch_on_a_closed_request_answers_409(staff, submitted):
    review.request_withdraw(request=submitted, note="")

    answer = staff.patch(f"/api/v1/staff/requests/{submitted.pk}/", {"notes": "Too late"}, format="json")

    submitted.refresh_from_db()
    assert answer.status_code == 409
    assert answer.json() == {"code": "details_locked", "message": str(MSG_DETAILS_CLOSED), "fields": {}}
    assert submitted.notes == ""
