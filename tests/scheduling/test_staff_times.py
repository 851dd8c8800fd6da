"""The staff forms (approve at another time, reschedule) and the lifecycle services at the clock
changes of 2027 and 2028, and with dates far away."""

import html
import zoneinfo
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from common.times import AMBIGUOUS_RULE, MSG_DATE_RANGE
from outreach.enums import Format, RequestStatus
from scheduling.models import Blackout, Booking
from scheduling.services import review
from scheduling.services.people import blackout_create
from tests.factories import PresentationRequestFactory, PresenterFactory

pytestmark = pytest.mark.django_db

CENTRAL = zoneinfo.ZoneInfo("America/Chicago")
SPRING_FORWARD = [("2027-03-14", "March 14, 2027"), ("2028-03-12", "March 12, 2028")]
FALL_BACK = ["2027-11-07", "2028-11-05"]
ROOM = "Room 12, 100 Division St S, Northfield"


@pytest.fixture(autouse=True)
def _january_2027(clock):
    clock(datetime(2027, 1, 4, 18, 0, tzinfo=UTC))


@pytest.fixture
def lead(presentation):
    return PresenterFactory(name="Ana Lindqvist", email="ana@example.org", presentations=[presentation])


@pytest.fixture
def submitted(presentation):
    return PresentationRequestFactory(presentation=presentation, organization_name="Roosevelt High School")


@pytest.fixture
def booking(submitted, lead, staff_user) -> Booking:
    """A booking on February 10, 2027, 10:00 to 11:00 AM, made through the service."""
    start = datetime(2027, 2, 10, 10, 0, tzinfo=CENTRAL)
    plan = review.Plan(start, start.replace(hour=11), lead, [], Format.IN_PERSON, ROOM)
    return review.request_approve(request=submitted, by=staff_user, plan=plan)


def utc(day: str, clock_time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock_time}:00+00:00")


def error_of(page: str, field: str) -> str:
    marker = f'<small class="error" id="id_{field}_error">'
    assert marker in page, f"no error next to {field}"
    return html.unescape(page.split(marker, 1)[1].split("</small>", 1)[0])


def approve(client, request, lead, day: str, start: str, end: str):
    return client.post(
        f"/staff/requests/{request.pk}/approve/",
        {
            "approve-when": "other",
            "approve-date": day,
            "approve-start_time": start,
            "approve-end_time": end,
            "approve-lead_presenter": str(lead.pk),
            "approve-location": ROOM,
        },
    )


def reschedule(client, booking, lead, day: str, start: str, end: str):
    return client.post(
        f"/staff/requests/{booking.request_id}/reschedule/",
        {
            "reschedule-date": day,
            "reschedule-start_time": start,
            "reschedule-end_time": end,
            "reschedule-lead_presenter": str(lead.pk),
            "reschedule-location": ROOM,
        },
    )


# --- Spring forward ---------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
@pytest.mark.parametrize(
    ("start", "end", "part", "said"),
    [("02:00", "03:00", "start_time", "2:00 AM"), ("01:30", "02:30", "end_time", "2:30 AM")],
)
def test_approve_at_a_skipped_time_is_refused_next_to_the_input(
    staff_client, submitted, lead, day, written, start, end, part, said
):
    response = approve(staff_client, submitted, lead, day, start, end)

    assert response.status_code == 400
    assert error_of(response.text, f"approve-{part}") == (
        f"{said} does not exist on {written}: clocks go forward at 2:00 AM."
    )
    assert Booking.objects.count() == 0
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_reschedule_to_a_skipped_time_is_refused_and_changes_nothing(staff_client, booking, lead, day, written):
    response = reschedule(staff_client, booking, lead, day, "02:00", "03:00")

    assert response.status_code == 400
    assert error_of(response.text, "reschedule-start_time") == (
        f"2:00 AM does not exist on {written}: clocks go forward at 2:00 AM."
    )
    booking.refresh_from_db()
    assert (booking.start, booking.sequence) == (datetime(2027, 2, 10, 16, 0, tzinfo=UTC), 0)


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_approve_across_spring_forward_counts_real_hours(staff_client, submitted, lead, day, written):
    # Midnight to 9:00 AM: nine hours on the clock, eight in fact, within the limit.
    response = approve(staff_client, submitted, lead, day, "00:00", "09:00")

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.start, booking.end) == (utc(day, "06:00"), utc(day, "14:00"))


# --- Fall back ---------------------------------------------------------------------------------


def test_the_staff_forms_show_how_the_repeated_hour_is_read(staff_client, submitted):
    page = staff_client.get(f"/staff/requests/{submitted.pk}/")

    rule = html.escape(str(AMBIGUOUS_RULE))
    assert f'<small id="id_approve-start_time_helptext">{rule}</small>' in page.text
    assert f'<small id="id_propose-time_1_start_time_helptext">{rule}</small>' in page.text


@pytest.mark.parametrize("day", FALL_BACK)
def test_reschedule_into_the_repeated_hour_means_the_first_one(staff_client, booking, lead, day):
    response = reschedule(staff_client, booking, lead, day, "01:30", "02:00")

    assert response.status_code == 302
    booking.refresh_from_db()
    # 1:30 AM daylight time (UTC-5) until 2:00 AM standard time (UTC-6).
    assert (booking.start, booking.end, booking.sequence) == (utc(day, "06:30"), utc(day, "08:00"), 1)


@pytest.mark.parametrize("day", FALL_BACK)
def test_reschedule_across_fall_back_counts_real_hours(staff_client, booking, lead, day):
    # Midnight to 8:00 AM: eight hours on the clock, nine in fact, over the limit.
    response = reschedule(staff_client, booking, lead, day, "00:00", "08:00")

    assert response.status_code == 400
    assert error_of(response.text, "reschedule-end_time") == review.MSG_TOO_LONG % {"hours": 8}
    booking.refresh_from_db()
    assert booking.sequence == 0


@pytest.mark.parametrize("day", FALL_BACK)
def test_the_service_compares_instants_not_wall_clocks(submitted, lead, staff_user, day):
    # The second 1:30 AM (standard time) is after the first 1:45 AM (daylight time).
    on = datetime.fromisoformat(day)
    start = on.replace(hour=1, minute=30, tzinfo=CENTRAL, fold=1)
    end = on.replace(hour=1, minute=45, tzinfo=CENTRAL, fold=0)

    with pytest.raises(ValidationError) as refused:
        review.request_approve(
            request=submitted, by=staff_user, plan=review.Plan(start, end, lead, [], Format.IN_PERSON, ROOM)
        )

    assert refused.value.message_dict == {"end": [str(review.MSG_END_BEFORE_START)]}
    assert Booking.objects.count() == 0


# --- Dates far away ----------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "2200-01-01", "1999-12-31"])
def test_approve_and_reschedule_refuse_a_far_date_next_to_the_date(staff_client, submitted, booking, lead, day):
    other = PresentationRequestFactory(presentation=submitted.presentation)

    approved = approve(staff_client, other, lead, day, "09:00", "10:00")
    moved = reschedule(staff_client, booking, lead, day, "09:00", "10:00")

    assert (approved.status_code, moved.status_code) == (400, 400)
    assert error_of(approved.text, "approve-date") == str(MSG_DATE_RANGE)
    assert error_of(moved.text, "reschedule-date") == str(MSG_DATE_RANGE)
    assert Booking.objects.count() == 1


def test_a_date_late_in_the_range_is_accepted(staff_client, booking, lead):
    response = reschedule(staff_client, booking, lead, "2150-06-01", "09:00", "10:00")

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.start == utc("2150-06-01", "14:00")


@pytest.mark.parametrize("start", [datetime(9999, 12, 31, 20, 0, tzinfo=UTC), datetime(2200, 1, 1, 6, 0, tzinfo=UTC)])
def test_the_services_refuse_far_dates(submitted, lead, staff_user, start):
    plan = review.Plan(start, start.replace(hour=21), lead, [], Format.IN_PERSON, ROOM)

    with pytest.raises(ValidationError) as approving:
        review.request_approve(request=submitted, by=staff_user, plan=plan)
    with pytest.raises(ValidationError) as blacking_out:
        blackout_create(start=start, end=start.replace(hour=21), presenter=lead)

    assert approving.value.message_dict == {"start": [str(MSG_DATE_RANGE)], "end": [str(MSG_DATE_RANGE)]}
    assert blacking_out.value.message_dict == {"start": [str(MSG_DATE_RANGE)], "end": [str(MSG_DATE_RANGE)]}
    assert (Booking.objects.count(), Blackout.objects.count()) == (0, 0)


# --- The admin's blackout periods and the propose form read times the same way -------------------


@pytest.fixture
def admin_client(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    return client


def blackout_in_admin(client, day: str, start: str, end: str):
    return client.post(
        "/admin/scheduling/blackout/add/",
        {"start_0": day, "start_1": start, "end_0": day, "end_1": end, "reason": "Closed"},
    )


def admin_error(page: str, field: str) -> str:
    marker = f'<ul class="errorlist" id="id_{field}_error"><li>'
    assert marker in page, f"no error next to {field}"
    return html.unescape(page.split(marker, 1)[1].split("</li>", 1)[0])


def test_admin_blackout_far_away_is_refused_next_to_the_inputs(admin_client):
    response = blackout_in_admin(admin_client, "9999-12-31", "23:00", "23:59")

    assert response.status_code == 200
    assert (admin_error(response.text, "start"), admin_error(response.text, "end")) == (
        str(MSG_DATE_RANGE),
        str(MSG_DATE_RANGE),
    )
    assert Blackout.objects.count() == 0


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_admin_blackout_at_a_skipped_time_is_refused(admin_client, day, written):
    response = blackout_in_admin(admin_client, day, "02:30", "05:00")

    assert response.status_code == 200
    assert admin_error(response.text, "start") == f"2:30 AM does not exist on {written}: clocks go forward at 2:00 AM."
    assert Blackout.objects.count() == 0


@pytest.mark.parametrize("day", FALL_BACK)
def test_admin_blackout_in_the_repeated_hour_means_the_first_one(admin_client, day):
    response = blackout_in_admin(admin_client, day, "01:30", "02:00")

    assert response.status_code == 302
    assert list(Blackout.objects.values_list("start", "end")) == [(utc(day, "06:30"), utc(day, "08:00"))]


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_propose_a_skipped_time_is_refused_next_to_that_time(staff_client, submitted, lead, day, written):
    response = staff_client.post(
        f"/staff/requests/{submitted.pk}/propose/",
        {
            "propose-time_1_date": "2027-02-10",
            "propose-time_1_start_time": "10:00",
            "propose-time_1_end_time": "11:00",
            "propose-time_2_date": day,
            "propose-time_2_start_time": "01:00",
            "propose-time_2_end_time": "02:45",
            "propose-lead_presenter": str(lead.pk),
            "propose-location": ROOM,
        },
    )

    assert response.status_code == 400
    assert error_of(response.text, "propose-time_2_end_time") == (
        f"2:45 AM does not exist on {written}: clocks go forward at 2:00 AM."
    )
    assert submitted.proposals.count() == 0
