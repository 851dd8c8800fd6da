"""A request's whole life over the API alone: submitted by a partner, scheduled, changed and
cancelled by a staff tool, or scheduled from a proposal the requester accepts by token."""

import pytest

from scheduling.models import Booking, Notification
from tests.api.conftest import request_body
from tests.factories import days_ahead

pytestmark = pytest.mark.django_db


def token_from(created: dict) -> str:
    return created["api_url"].rstrip("/").rsplit("/", 1)[1]


def kinds(detail: dict) -> list[tuple[str, str, int]]:
    return [(n["kind"], n["recipient"], n["sequence"]) for n in detail["notifications"]]


def test_submit_approve_reschedule_cancel(anonymous, staff, presentation, audience):
    created = anonymous.post("/api/v1/requests/", request_body(presentation, audience))
    assert created.status_code == 201
    token = token_from(created.json())
    assert created.json()["status_url"] == f"https://outreach.test/requests/{token}/"
    assert created.json()["status"] == "submitted"

    queue = staff.get("/api/v1/staff/requests/", {"status": "submitted"}).json()
    assert [r["reference"] for r in queue["results"]] == [created.json()["reference"]]
    pk = queue["results"][0]["id"]

    hired = staff.post(
        "/api/v1/staff/presenters/",
        {"name": "Ana Ruiz", "email": "ana@example.org", "languages": ["en"], "presentations": [presentation.slug]},
    )
    assert hired.status_code == 201
    ana = hired.json()["id"]

    approved = staff.post(f"/api/v1/staff/requests/{pk}/approve/", {"window": 1, "lead_presenter": ana})
    assert approved.status_code == 200
    booking = approved.json()["booking"]
    assert approved.json()["status"] == "scheduled"
    assert (booking["start"], booking["end"]) == (days_ahead(30, 9).isoformat(), days_ahead(30, 10, 30).isoformat())
    assert booking["location"] == "4029 28th Ave S, Minneapolis"
    assert booking["lead_presenter"] == {"id": ana, "name": "Ana Ruiz"}
    assert booking["sequence"] == 0
    assert kinds(approved.json())[2:] == [
        ("booking_confirmed", "maria.lopez@example.edu", 0),
        ("presenter_assigned", "ana@example.org", 0),
    ]

    moved = staff.post(
        f"/api/v1/staff/requests/{pk}/reschedule/",
        {
            "start": days_ahead(31, 13).isoformat(),
            "end": days_ahead(31, 14).isoformat(),
            "lead_presenter": ana,
            "co_presenters": [],
            "location": "4029 28th Ave S, room 112",
        },
    )
    assert moved.status_code == 200
    assert moved.json()["booking"]["start"] == days_ahead(31, 13).isoformat()
    assert moved.json()["booking"]["sequence"] == 1
    assert moved.json()["booking"]["uid"] == booking["uid"]
    assert kinds(moved.json())[4:] == [
        ("booking_updated", "maria.lopez@example.edu", 1),
        ("presenter_updated", "ana@example.org", 1),
    ]

    cancelled = staff.post(f"/api/v1/staff/requests/{pk}/cancel/", {"reason": "The presenter is ill."})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["booking"]["cancel_reason"] == "The presenter is ill."
    assert cancelled.json()["booking"]["sequence"] == 2
    assert [e["action"] for e in cancelled.json()["audit_trail"]] == ["submit", "approve", "reschedule", "cancel"]
    seen_by_requester = anonymous.get(f"/api/v1/requests/{token}/").json()
    assert seen_by_requester["status"] == "cancelled"
    assert seen_by_requester["booking"]["cancelled_at"] is not None


def test_propose_then_requester_accepts_by_token(anonymous, staff, presentation, audience, presenter):
    created = anonymous.post("/api/v1/requests/", request_body(presentation, audience)).json()
    token = token_from(created)
    pk = staff.get("/api/v1/staff/requests/").json()["results"][0]["id"]

    proposed = staff.post(
        f"/api/v1/staff/requests/{pk}/propose/",
        {
            "times": [
                {"start": days_ahead(35, 9).isoformat(), "end": days_ahead(35, 10).isoformat()},
                {"start": days_ahead(36, 13).isoformat(), "end": days_ahead(36, 14).isoformat()},
            ],
            "lead_presenter": presenter.pk,
            "message": "Would one of these work?",
        },
    )
    assert proposed.status_code == 200
    assert proposed.json()["status"] == "submitted"
    assert proposed.json()["proposals"][0]["state"] == "open"

    seen = anonymous.get(f"/api/v1/requests/{token}/").json()
    assert seen["proposal"]["message"] == "Would one of these work?"
    assert seen["actions"] == {
        "withdraw": True,
        "accept_proposal": True,
        "decline_proposal": True,
        "cancel": False,
        "update_details": True,
        "cancel_until": None,
    }
    second = seen["proposal"]["times"][1]

    accepted = anonymous.post(f"/api/v1/requests/{token}/accept-proposal/", {"proposed_time": second["id"]})

    assert accepted.status_code == 200
    assert accepted.json()["status"] == "scheduled"
    assert accepted.json()["proposal"] is None
    assert accepted.json()["booking"]["start"] == days_ahead(36, 13).isoformat()
    assert accepted.json()["booking"]["presenters"] == ["Ana Ruiz"]
    assert accepted.json()["actions"]["cancel"] is True
    booking = Booking.objects.get()
    assert (booking.lead_presenter, booking.location) == (presenter, "4029 28th Ave S, Minneapolis")
    assert list(Notification.objects.filter(booking=booking).values_list("kind", "recipient")) == [
        ("booking_confirmed", "maria.lopez@example.edu"),
        ("presenter_assigned", "ana.ruiz@example.org"),
        ("staff_proposal_accepted", "staff@outreach.test"),
    ]


def test_requester_cancels_by_token_before_the_cut_off(anonymous, staff, submitted, presenter):
    approved = staff.post(
        f"/api/v1/staff/requests/{submitted.pk}/approve/", {"window": 1, "lead_presenter": presenter.pk}
    )
    assert approved.status_code == 200

    cancelled = anonymous.post(f"/api/v1/requests/{submitted.token}/cancel/", {"reason": "Snow day."})

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["booking"]["cancel_reason"] == "Snow day."
    audit = staff.get(f"/api/v1/staff/requests/{submitted.pk}/").json()["audit_trail"]
    assert [(e["actor"], e["action"], e["by"]) for e in audit] == [
        ("staff", "approve", "jordan"),
        ("requester", "cancel", None),
    ]
