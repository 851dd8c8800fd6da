"""The API's date-times at the clock changes of 2027 and 2028 and far away: naive times are read in
America/Chicago as the schema says, offsets name the instant, nothing answers 500."""

import zoneinfo
from datetime import UTC, datetime

import pytest

from common.times import API_DESCRIPTION, MSG_DATE_RANGE
from outreach.models import PresentationRequest
from outreach.services import MSG_WINDOW_TOO_LONG
from scheduling.models import Blackout, Booking
from scheduling.services.review import MSG_TOO_LONG, Plan, request_approve
from tests.api.conftest import request_body
from tests.factories import PresentationRequestFactory

pytestmark = pytest.mark.django_db

CENTRAL = zoneinfo.ZoneInfo("America/Chicago")
SPRING_FORWARD = [("2027-03-14", "March 14, 2027"), ("2028-03-12", "March 12, 2028")]
FALL_BACK = ["2027-11-07", "2028-11-05"]


@pytest.fixture(autouse=True)
def _january_2027(clock):
    clock(datetime(2027, 1, 4, 18, 0, tzinfo=UTC))


def invalid(fields: dict) -> dict:
    return {"code": "validation_error", "message": "Some values are not valid; see fields.", "fields": fields}


def utc(day: str, clock_time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock_time}:00+00:00")


def submit(anonymous, presentation, audience, start: str, end: str):
    body = request_body(presentation, audience, windows=[{"start": start, "end": end}])
    return anonymous.post("/api/v1/requests/", body)


def saved_window() -> tuple[datetime, datetime]:
    window = PresentationRequest.objects.get().windows.get()
    return window.start, window.end


@pytest.fixture
def booking(submitted, presenter, staff_user) -> Booking:
    start = datetime(2027, 2, 10, 10, 0, tzinfo=CENTRAL)
    plan = Plan(start, start.replace(hour=11), presenter, [], submitted.format, "Room 4")
    return request_approve(request=submitted, by=staff_user, plan=plan)


def reschedule(staff, booking, presenter, start: str, end: str):
    return staff.post(
        f"/api/v1/staff/requests/{booking.request_id}/reschedule/",
        {"start": start, "end": end, "lead_presenter": presenter.pk, "co_presenters": [], "location": "Room 4"},
    )


# --- A new request --------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_a_naive_time_the_clocks_skip_is_a_400_naming_the_field(anonymous, presentation, audience, day, written):
    response = submit(anonymous, presentation, audience, f"{day}T02:30:00", f"{day}T04:00:00")

    assert response.status_code == 400
    assert response.json() == invalid(
        {"windows.0.start": [f"2:30 AM does not exist on {written}: clocks go forward at 2:00 AM."]}
    )
    assert PresentationRequest.objects.count() == 0


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_an_offset_names_the_instant_even_in_the_skipped_hour(anonymous, presentation, audience, day, written):
    # 2:30 AM at UTC-6 is 8:30 UTC, which Chicago's clocks show as 3:30 AM daylight time.
    response = submit(anonymous, presentation, audience, f"{day}T02:30:00-06:00", f"{day}T04:00:00-05:00")

    assert response.status_code == 201
    assert saved_window() == (utc(day, "08:30"), utc(day, "09:00"))


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_a_window_across_spring_forward_counts_real_hours(anonymous, presentation, audience, day, written):
    response = submit(anonymous, presentation, audience, f"{day}T00:00:00", f"{day}T09:00:00")

    assert response.status_code == 201
    assert saved_window() == (utc(day, "06:00"), utc(day, "14:00"))


@pytest.mark.parametrize("day", FALL_BACK)
def test_a_naive_repeated_time_means_the_first_one(anonymous, presentation, audience, day):
    response = submit(anonymous, presentation, audience, f"{day}T01:30:00", f"{day}T02:00:00")

    assert response.status_code == 201
    assert saved_window() == (utc(day, "06:30"), utc(day, "08:00"))


@pytest.mark.parametrize("day", FALL_BACK)
def test_an_offset_chooses_the_second_of_a_repeated_time(anonymous, presentation, audience, day):
    response = submit(anonymous, presentation, audience, f"{day}T01:30:00-06:00", f"{day}T02:30:00")

    assert response.status_code == 201
    assert saved_window() == (utc(day, "07:30"), utc(day, "08:30"))


@pytest.mark.parametrize("day", FALL_BACK)
def test_a_window_across_fall_back_counts_real_hours(anonymous, presentation, audience, day):
    response = submit(anonymous, presentation, audience, f"{day}T00:00:00", f"{day}T08:00:00")

    assert response.status_code == 400
    assert response.json() == invalid({"windows.0.end": [MSG_WINDOW_TOO_LONG % {"hours": 8}]})


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("9999-12-31T23:00:00", "9999-12-31T23:30:00"),
        ("9999-12-31T23:00:00-12:00", "9999-12-31T23:30:00-12:00"),
        ("2200-01-01T09:00:00Z", "2200-01-01T10:00:00Z"),
        ("0001-01-01T00:00:00", "0001-01-01T01:00:00"),
    ],
)
def test_a_far_date_is_a_400_naming_the_field(anonymous, presentation, audience, start, end):
    response = submit(anonymous, presentation, audience, start, end)

    assert response.status_code == 400
    assert response.json() == invalid(
        {"windows.0.start": [str(MSG_DATE_RANGE)], "windows.0.end": [str(MSG_DATE_RANGE)]}
    )
    assert PresentationRequest.objects.count() == 0


def test_the_last_evening_of_the_range_is_accepted(anonymous, presentation, audience):
    response = submit(anonymous, presentation, audience, "2199-12-31T22:00:00", "2199-12-31T23:30:00")

    assert response.status_code == 201
    assert saved_window() == (utc("2200-01-01", "04:00"), utc("2200-01-01", "05:30"))


def test_the_schema_says_how_date_times_are_read(anonymous):
    schema = anonymous.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    window = schema["components"]["schemas"]["WindowRequest"]["properties"]
    assert window["start"]["description"] == API_DESCRIPTION
    assert window["end"]["description"] == API_DESCRIPTION
    approve = schema["components"]["schemas"]["ApproveRequest"]["properties"]
    assert approve["start"]["description"] == f"Or an agreed other time: start and end. {API_DESCRIPTION}"


# --- Staff actions, blackouts and lists ------------------------------------------------------------


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_staff_approve_at_a_skipped_time_is_a_400(staff, submitted, presenter, day, written):
    response = staff.post(
        f"/api/v1/staff/requests/{submitted.pk}/approve/",
        {"start": f"{day}T02:00:00", "end": f"{day}T03:00:00", "lead_presenter": presenter.pk},
    )

    assert response.status_code == 400
    assert response.json() == invalid(
        {"start": [f"2:00 AM does not exist on {written}: clocks go forward at 2:00 AM."]}
    )
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("day", FALL_BACK)
def test_staff_reschedule_in_the_repeated_hour_and_across_it(staff, booking, presenter, day):
    too_long = reschedule(staff, booking, presenter, f"{day}T00:00:00", f"{day}T08:00:00")
    moved = reschedule(staff, booking, presenter, f"{day}T01:30:00", f"{day}T02:00:00")

    assert too_long.status_code == 400
    assert too_long.json() == invalid({"end": [MSG_TOO_LONG % {"hours": 8}]})
    assert moved.status_code == 200
    booking.refresh_from_db()
    assert (booking.start, booking.end, booking.sequence) == (utc(day, "06:30"), utc(day, "08:00"), 1)


@pytest.mark.parametrize("day", ["9999-12-31", "2200-01-01"])
def test_staff_reschedule_and_blackouts_refuse_far_dates(staff, booking, presenter, day):
    moved = reschedule(staff, booking, presenter, f"{day}T09:00:00", f"{day}T10:00:00")
    blackout = staff.post(
        "/api/v1/staff/blackouts/", {"presenter": presenter.pk, "start": f"{day}T00:00:00", "end": f"{day}T23:00:00"}
    )

    far = {"start": [str(MSG_DATE_RANGE)], "end": [str(MSG_DATE_RANGE)]}
    assert (moved.status_code, moved.json()) == (400, invalid(far))
    assert (blackout.status_code, blackout.json()) == (400, invalid(far))
    assert Blackout.objects.count() == 0
    booking.refresh_from_db()
    assert booking.sequence == 0


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "9999-12-31T23:00:00", "end": "9999-12-31T23:30:00"}, "start", str(MSG_DATE_RANGE)),
        (
            {"start": "2027-03-14T02:30:00", "end": "2027-03-15T00:00:00"},
            "start",
            "2:30 AM does not exist on March 14, 2027: clocks go forward at 2:00 AM.",
        ),
    ],
)
def test_list_filters_read_times_the_same_way(staff, params, field, message):
    response = staff.get("/api/v1/staff/bookings/", params)

    assert response.status_code == 400
    assert response.json()["fields"][field] == [message]


def test_the_queue_filter_takes_the_repeated_hour_as_the_first(staff, presentation):
    PresentationRequestFactory(presentation=presentation)

    response = staff.get("/api/v1/staff/requests/", {"date_from": "2027-11-07T01:30:00"})

    assert response.status_code == 200
    assert response.json()["results"] == []
