"""The staff endpoints: the queue, actions and their conflicts, presenters, bookings, blackout
periods and notifications."""

import pytest
from django.utils import timezone

from outreach.enums import RequestStatus
from scheduling.api.filters import MSG_RANGE_TOO_LONG
from scheduling.models import Blackout, Notification, NotificationStatus, Presenter
from scheduling.services.availability import MSG_CONFLICT
from scheduling.services.delivery import MSG_NOT_FAILED
from scheduling.services.review import MSG_LOCATION_REQUIRED, MSG_REASON_REQUIRED, Plan, request_approve
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db


def approve_at_first_window(staff, request, presenter, **extra):
    return staff.post(
        f"/api/v1/staff/requests/{request.pk}/approve/", {"window": 1, "lead_presenter": presenter.pk, **extra}
    )


# --- The queue -----------------------------------------------------------------------------


def test_queue_filters_searches_and_orders(staff, presentation):
    first = PresentationRequestFactory(presentation=presentation, organization_name="Anoka Middle School")
    second = PresentationRequestFactory(presentation=presentation, organization_name="Roosevelt High", city="Duluth")
    withdrawn = PresentationRequestFactory(presentation=presentation, status=RequestStatus.WITHDRAWN)

    def refs(**params):
        return [r["reference"] for r in staff.get("/api/v1/staff/requests/", params).json()["results"]]

    assert refs() == [first.reference, second.reference, withdrawn.reference]
    assert refs(status="submitted") == [first.reference, second.reference]
    assert refs(search="duluth roosevelt") == [second.reference]
    assert refs(ordering="-organization_name", status="submitted") == [second.reference, first.reference]
    assert refs(date_from=days_ahead(31).isoformat()) == []
    assert refs(date_from=days_ahead(29).isoformat(), date_to=days_ahead(31).isoformat(), status="submitted") == [
        first.reference,
        second.reference,
    ]


def test_queue_refuses_unknown_filter_values(staff):
    response = staff.get("/api/v1/staff/requests/", {"status": "lost", "presentation": "x", "ordering": "secret"})

    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert sorted(response.json()["fields"]) == ["ordering", "presentation", "status"]


def test_detail_carries_audit_trail_and_notifications(staff, submitted, presenter):
    approve_at_first_window(staff, submitted, presenter)

    detail = staff.get(f"/api/v1/staff/requests/{submitted.pk}/").json()

    assert [(e["actor"], e["by"], e["action"], e["from_status"], e["to_status"]) for e in detail["audit_trail"]] == [
        ("staff", "jordan", "approve", "submitted", "scheduled")
    ]
    assert [(n["kind"], n["recipient"], n["status"]) for n in detail["notifications"]] == [
        ("booking_confirmed", "dana@example.net", "pending"),
        ("presenter_assigned", "ana.ruiz@example.org", "pending"),
    ]
    assert detail["staff_url"] == f"https://outreach.test/staff/requests/{submitted.pk}/"
    assert "token_hash" not in detail
    assert "token_salt" not in detail


# --- Actions and their conflicts -----------------------------------------------------------


def test_approving_a_booked_presenter_is_a_booking_conflict(staff, presentation, presenter):
    taken = PresentationRequestFactory(presentation=presentation)
    wanted = PresentationRequestFactory(presentation=presentation)
    approve_at_first_window(staff, taken, presenter)

    response = approve_at_first_window(staff, wanted, presenter)

    assert response.status_code == 409
    when = f"{timezone.localtime(days_ahead(30, 10)):%b. %-d, %Y}, 10:00 AM–11:00 AM"
    assert response.json() == {
        "code": "booking_conflict",
        "message": MSG_CONFLICT
        % {
            "presenter": "Ana Ruiz",
            "reference": taken.reference,
            "title": presentation.title,
            "organization": taken.organization_name,
            "when": when,
        },
        "fields": {},
    }
    wanted.refresh_from_db()
    assert wanted.status == RequestStatus.SUBMITTED


def test_approving_during_a_blackout_is_a_booking_conflict(staff, submitted, presenter):
    staff.post(
        "/api/v1/staff/blackouts/",
        {"presenter": presenter.pk, "start": days_ahead(30, 0).isoformat(), "end": days_ahead(31, 0).isoformat()},
    )

    response = approve_at_first_window(staff, submitted, presenter)

    assert response.status_code == 409
    assert response.json()["code"] == "booking_conflict"
    assert response.json()["message"].startswith("Ana Ruiz is unavailable from ")


def test_approving_twice_is_an_invalid_transition(staff, submitted, presenter):
    approve_at_first_window(staff, submitted, presenter)

    again = approve_at_first_window(staff, submitted, presenter)

    assert again.status_code == 409
    assert again.json() == {
        "code": "invalid_transition",
        "message": "This request is scheduled, so it cannot be approved.",
        "fields": {},
    }


def test_service_field_errors_keep_their_names(staff, submitted, presenter):
    response = approve_at_first_window(staff, submitted, presenter, location="")

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "message": "Some values are not valid; see fields.",
        "fields": {"location": [str(MSG_LOCATION_REQUIRED)]},
    }


def test_decline_needs_a_reason_and_tells_the_requester(staff, submitted):
    blank = staff.post(f"/api/v1/staff/requests/{submitted.pk}/decline/", {"reason": "  "})
    declined = staff.post(f"/api/v1/staff/requests/{submitted.pk}/decline/", {"reason": "No presenter that week."})

    assert blank.json()["fields"] == {"reason": [str(MSG_REASON_REQUIRED)]}
    assert declined.status_code == 200
    assert (declined.json()["status"], declined.json()["decision_note"]) == ("declined", "No presenter that week.")
    assert [n["kind"] for n in declined.json()["notifications"]] == ["request_declined"]


def test_complete_only_after_the_presentation(staff, submitted, presenter, staff_user):
    approve_at_first_window(staff, submitted, presenter)

    early = staff.post(f"/api/v1/staff/requests/{submitted.pk}/complete/", {"attendance": 40})

    assert early.status_code == 409
    assert early.json()["message"] == "The presentation has not ended yet, so it cannot be marked completed."


# --- Presenters ----------------------------------------------------------------------------


def test_presenter_create_update_deactivate(staff, presentation):
    created = staff.post(
        "/api/v1/staff/presenters/",
        {
            "name": "Lee Vang",
            "email": "lee@example.org",
            "phone": "651 555 0199",
            "languages": ["en", "es"],
            "presentations": [presentation.slug],
        },
    )
    pk = created.json()["id"]
    patched = staff.patch(f"/api/v1/staff/presenters/{pk}/", {"languages": ["es"], "name": "Lee  Vang\x00"})
    duplicate = staff.post(
        "/api/v1/staff/presenters/", {"name": "X", "email": "lee@example.org", "languages": [], "presentations": []}
    )
    deactivated = staff.post(f"/api/v1/staff/presenters/{pk}/deactivate/")

    assert created.status_code == 201
    assert created.json() == {
        "id": pk,
        "name": "Lee Vang",
        "email": "lee@example.org",
        "phone": "+1 651-555-0199",
        "user": None,
        "languages": ["en", "es"],
        "presentations": [presentation.slug],
        "is_active": True,
        "has_feed": False,
        "upcoming": 0,
        "created_at": created.json()["created_at"],
    }
    assert (patched.json()["name"], patched.json()["languages"], patched.json()["phone"]) == (
        "Lee Vang",
        ["es"],
        "+1 651-555-0199",
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["fields"] == {"email": ["Presenter with this Email already exists."]}
    assert deactivated.json()["is_active"] is False
    assert Presenter.objects.get(pk=pk).is_active is False


def test_suggestions_list_free_qualified_presenters(staff, submitted, presenter, presentation):
    busy = PresenterFactory(name="Busy Bee", presentations=[presentation])
    PresenterFactory(name="Not Trained")
    other = PresentationRequestFactory(presentation=presentation)
    approve_at_first_window(staff, other, busy)

    response = staff.get(
        "/api/v1/staff/presenters/suggestions/",
        {"request": submitted.pk, "start": days_ahead(30, 10).isoformat(), "end": days_ahead(30, 11).isoformat()},
    )

    assert response.status_code == 200
    assert [(p["name"], p["month_load"]) for p in response.json()["results"]] == [("Ana Ruiz", 0)]


def test_feed_token_rotation_gives_a_working_private_link(staff, presenter, client):
    response = staff.post(f"/api/v1/staff/presenters/{presenter.pk}/feed-token/")

    feed_url = response.json()["feed_url"]
    assert response.status_code == 200
    assert feed_url.startswith("https://outreach.test/calendar/presenter/")
    assert client.get(feed_url.removeprefix("https://outreach.test")).status_code == 200
    again = staff.post(f"/api/v1/staff/presenters/{presenter.pk}/feed-token/").json()["feed_url"]
    assert client.get(feed_url.removeprefix("https://outreach.test")).status_code == 404
    assert again != feed_url


# --- Bookings, blackouts and notifications -------------------------------------------------


def test_bookings_by_date_range(staff, presentation, presenter, staff_user):
    inside = PresentationRequestFactory(presentation=presentation)
    request_approve(
        request=inside, by=staff_user, plan=Plan(days_ahead(30, 10), days_ahead(30, 11), presenter, location="Gym")
    )

    listed = staff.get(
        "/api/v1/staff/bookings/", {"start": days_ahead(30, 0).isoformat(), "end": days_ahead(31, 0).isoformat()}
    )
    outside = staff.get(
        "/api/v1/staff/bookings/", {"start": days_ahead(31, 0).isoformat(), "end": days_ahead(32, 0).isoformat()}
    )
    missing = staff.get("/api/v1/staff/bookings/")
    too_long = staff.get(
        "/api/v1/staff/bookings/", {"start": days_ahead(1).isoformat(), "end": days_ahead(500).isoformat()}
    )

    assert [b["request"]["reference"] for b in listed.json()["results"]] == [inside.reference]
    assert listed.json()["results"][0]["lead_presenter"] == {"id": presenter.pk, "name": "Ana Ruiz"}
    assert outside.json()["results"] == []
    assert missing.status_code == 400
    assert missing.json()["fields"] == {"start": ["This field is required."], "end": ["This field is required."]}
    assert too_long.json()["fields"] == {"end": [str(MSG_RANGE_TOO_LONG)]}


def test_blackout_create_change_delete(staff, presenter):
    closure = staff.post(
        "/api/v1/staff/blackouts/",
        {"start": days_ahead(40, 0).isoformat(), "end": days_ahead(42, 0).isoformat(), "reason": "Holidays"},
    )
    away = staff.post(
        "/api/v1/staff/blackouts/",
        {"presenter": presenter.pk, "start": days_ahead(50, 0).isoformat(), "end": days_ahead(51, 0).isoformat()},
    )
    backwards = staff.patch(f"/api/v1/staff/blackouts/{away.json()['id']}/", {"end": days_ahead(49, 0).isoformat()})
    longer = staff.patch(f"/api/v1/staff/blackouts/{away.json()['id']}/", {"end": days_ahead(53, 0).isoformat()})
    closures = staff.get("/api/v1/staff/blackouts/", {"closures": "true"}).json()["results"]
    deleted = staff.delete(f"/api/v1/staff/blackouts/{closure.json()['id']}/")

    assert closure.status_code == 201
    assert closure.json()["is_closure"] is True
    assert away.json()["presenter"] == {"id": presenter.pk, "name": "Ana Ruiz"}
    assert backwards.json()["fields"] == {"end": ["The end must be after the start."]}
    assert longer.json()["end"] == days_ahead(53, 0).isoformat()
    assert [b["reason"] for b in closures] == ["Holidays"]
    assert deleted.status_code == 204
    assert list(Blackout.objects.values_list("presenter", flat=True)) == [presenter.pk]


def test_resend_puts_a_failed_notification_back_in_the_queue(staff, submitted):
    failed = Notification.objects.create(
        request=submitted, kind="request_received", recipient="dana@example.net", subject="s", body_text="t",
        body_html="h", status=NotificationStatus.FAILED, attempts=10, last_error="550",
    )  # fmt: skip
    sent = Notification.objects.create(
        request=submitted, kind="staff_new_request", recipient="staff@outreach.test", subject="s", body_text="t",
        body_html="h", status=NotificationStatus.SENT,
    )  # fmt: skip

    listed = staff.get("/api/v1/staff/notifications/", {"status": "failed"}).json()["results"]
    resent = staff.post(f"/api/v1/staff/notifications/{failed.pk}/resend/")
    refused = staff.post(f"/api/v1/staff/notifications/{sent.pk}/resend/")

    assert [n["id"] for n in listed] == [failed.pk]
    assert (resent.status_code, resent.json()["status"], resent.json()["attempts"]) == (200, "pending", 0)
    assert refused.status_code == 409
    assert refused.json() == {"code": "invalid_transition", "message": str(MSG_NOT_FAILED), "fields": {}}
