"""The staff pages through the test client: permissions, the queue, each action, the calendar,
presenters, the presenter's own schedule and the admin."""

import html
import json
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from outreach.enums import Format, RequestStatus
from outreach.models import PresentationRequest, RequestWindow
from scheduling.forms.actions import MSG_TIME_INCOMPLETE
from scheduling.forms.filters import MSG_DATE_RANGE
from scheduling.models import AuditEntry, Booking, Notification, NotificationKind, NotificationStatus, Proposal
from scheduling.models.bookings import ProposalState
from scheduling.services import review
from scheduling.services.availability import BookingConflict, booking_conflicts
from scheduling.services.delivery import MSG_NOT_FAILED
from scheduling.views.staff import (
    MSG_APPROVED,
    MSG_CALENDAR_RANGE,
    MSG_CANCELLED,
    MSG_COMPLETED,
    MSG_DECLINED,
    MSG_PROPOSED,
    MSG_RESCHEDULED,
    MSG_RESENT,
)
from tests.factories import PresentationFactory, PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

ALERT = re.compile(r'<div class="notice notice-error action-error" role="alert" id="action-error">(.*?)</div>', re.S)


# --- Arrange helpers --------------------------------------------------------------------------


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "sam", "sam@example.org", "pw", is_staff=True, first_name="Sam", last_name="Ortiz"
    )


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def lead(presentation):
    return PresenterFactory(name="Ana Lindqvist", email="ana@example.org", presentations=[presentation])


@pytest.fixture
def co(presentation):
    return PresenterFactory(name="Ben Okafor", email="ben@example.org", presentations=[presentation])


@pytest.fixture
def submitted(presentation):
    return PresentationRequestFactory(presentation=presentation, organization_name="Roosevelt High School")


def staff_url(request: PresentationRequest, action: str = "") -> str:
    return f"/staff/requests/{request.pk}/" + (f"{action}/" if action else "")


def schedule(request: PresentationRequest, lead, by, *, start=None, end=None, co_presenters=()) -> Booking:
    """A scheduled booking made the way staff make one (through the service)."""
    plan = review.Plan(
        start=start or days_ahead(30, 10),
        end=end or days_ahead(30, 11),
        lead_presenter=lead,
        co_presenters=list(co_presenters),
        format=request.format,
        location="100 Division St S, Northfield",
    )
    return review.request_approve(request=request, by=by, plan=plan)


def move_booking(booking: Booking, *, start, end) -> None:
    """Put a booking at another time (the clock cannot be run forward in a test)."""
    Booking.objects.filter(pk=booking.pk).update(start=start, end=end)


def alert_text(response) -> str:
    match = ALERT.search(response.text)
    assert match, "the page shows the refusal in a role=alert block"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def approve_data(window, lead, **extra) -> dict:
    return {
        "approve-when": str(window.pk),
        "approve-lead_presenter": str(lead.pk),
        "approve-location": "100 Division St S, Northfield",
        "approve-note": "",
        **extra,
    }


def reschedule_data(lead, *, days: int, start: str, end: str, location: str, **extra) -> dict:
    """The reschedule form as posted: the date ``days`` ahead, from ``start`` until ``end``."""
    return {
        "reschedule-date": days_ahead(days).date().isoformat(),
        "reschedule-start_time": start,
        "reschedule-end_time": end,
        "reschedule-lead_presenter": str(lead.pk),
        "reschedule-location": location,
        **extra,
    }


def failed_notification(request: PresentationRequest) -> Notification:
    return Notification.objects.create(
        request=request,
        kind=NotificationKind.REQUEST_RECEIVED,
        recipient=request.contact_email,
        subject="We received your presentation request",
        body_text="Hello",
        body_html="<p>Hello</p>",
        status=NotificationStatus.FAILED,
        attempts=10,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


# --- Permissions ------------------------------------------------------------------------------

PAGES = [
    "/staff/",
    "/staff/requests/{pk}/",
    "/staff/calendar/",
    "/staff/calendar/events.json?start=2030-01-01&end=2030-01-08",
    "/staff/presenters/",
]
ACTIONS = [
    ("/staff/requests/{pk}/approve/", 400),
    ("/staff/requests/{pk}/propose/", 400),
    ("/staff/requests/{pk}/decline/", 400),
    ("/staff/requests/{pk}/reschedule/", 400),
    ("/staff/requests/{pk}/cancel/", 400),
    ("/staff/requests/{pk}/complete/", 400),
    ("/staff/requests/{pk}/notifications/{notification}/resend/", 302),
]
ACTION_URLS = [url for url, _ in ACTIONS]


@pytest.fixture
def urls_for(submitted):
    notification = failed_notification(submitted)
    return lambda template: template.format(pk=submitted.pk, notification=notification.pk)


@pytest.fixture
def presenter_user(django_user_model, presentation):
    user = django_user_model.objects.create_user("pat", "pat@example.org", "pw")
    PresenterFactory(name="Pat Presenter", email="pat@example.org", user=user, presentations=[presentation])
    return user


@pytest.mark.parametrize("template", PAGES + ACTION_URLS)
def test_staff_urls_send_anonymous_visitors_to_login(client, urls_for, template):
    path = urls_for(template)

    response = client.post(path) if template in ACTION_URLS else client.get(path)

    assert response.status_code == 302
    assert response.url == "/accounts/login/?" + urlencode({"next": path}, safe="/")


@pytest.mark.parametrize("template", PAGES)
def test_staff_pages_refuse_signed_in_non_staff(client, django_user_model, urls_for, template):
    client.force_login(django_user_model.objects.create_user("visitor", "v@example.org", "pw"))

    response = client.get(urls_for(template))

    assert response.status_code == 403
    assert "This page is for staff" in response.text


@pytest.mark.parametrize(("template", "_"), ACTIONS)
def test_staff_actions_refuse_signed_in_non_staff_and_change_nothing(client, django_user_model, urls_for, template, _):
    client.force_login(django_user_model.objects.create_user("visitor", "v@example.org", "pw"))

    response = client.post(urls_for(template), {"decline-reason": "No."})

    assert response.status_code == 403
    assert PresentationRequest.objects.get().status == RequestStatus.SUBMITTED
    assert AuditEntry.objects.count() == 0
    assert Notification.objects.get().status == NotificationStatus.FAILED


@pytest.mark.parametrize("template", PAGES + ACTION_URLS)
def test_staff_urls_refuse_presenters(client, presenter_user, urls_for, template):
    client.force_login(presenter_user)
    path = urls_for(template)

    response = client.post(path) if template in ACTION_URLS else client.get(path)

    assert response.status_code == 403
    assert 'href="/my/schedule/">My schedule</a>' in response.text


@pytest.mark.parametrize("template", PAGES)
def test_staff_pages_open_for_staff(staff_client, urls_for, template):
    assert staff_client.get(urls_for(template)).status_code == 200


@pytest.mark.parametrize(("template", "expected"), ACTIONS)
def test_staff_actions_answer_staff_without_data(staff_client, urls_for, template, expected):
    response = staff_client.post(urls_for(template), {})

    assert response.status_code == expected


def test_request_page_unknown_id_is_404(staff_client):
    assert staff_client.get("/staff/requests/987654/").status_code == 404
    assert staff_client.post("/staff/requests/987654/approve/", {}).status_code == 404


def test_actions_need_post(staff_client, submitted):
    assert staff_client.get(staff_url(submitted, "approve")).status_code == 405


# --- The queue --------------------------------------------------------------------------------


def test_queue_lists_waiting_requests_oldest_first_and_marks_stale(staff_client, presentation, settings):
    newer = PresentationRequestFactory(presentation=presentation, organization_name="Newer Org")
    older = PresentationRequestFactory(presentation=presentation, organization_name="Older Org")
    PresentationRequest.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now() - timedelta(days=settings.STALE_REQUEST_DAYS + 2)
    )
    PresentationRequestFactory(presentation=presentation, organization_name="Done Org", status=RequestStatus.DECLINED)

    response = staff_client.get("/staff/")

    assert response.status_code == 200
    rows = re.findall(r'<tr( class="stale")?>\s*<th scope="row"><a href="/staff/requests/(\d+)/">', response.text)
    assert rows == [(' class="stale"', str(older.pk)), ("", str(newer.pk))]
    assert "Done Org" not in response.text
    assert "2 requests, oldest first." in response.text
    assert response.text.count(f'<strong class="stale-mark">waiting over {settings.STALE_REQUEST_DAYS} days') == 1


def test_queue_filters_by_status_presentation_county_audience_and_dates(staff_client, presentation, audience):
    other_presentation = PresentationFactory(title="Online Recruitment")
    wanted = PresentationRequestFactory(presentation=presentation, county="hennepin", organization_name="Wanted")
    PresentationRequestFactory(presentation=other_presentation, county="hennepin", organization_name="Other talk")
    PresentationRequestFactory(presentation=presentation, county="ramsey", organization_name="Other county")
    PresentationRequestFactory(
        presentation=presentation, county="hennepin", organization_name="Later", windows=[]
    ).windows.create(position=1, start=days_ahead(60, 10), end=days_ahead(60, 11))
    day = days_ahead(30).date()

    response = staff_client.get(
        "/staff/",
        {
            "status": "submitted",
            "presentation": presentation.pk,
            "county": "hennepin",
            "audience": audience.pk,
            "date_from": day.isoformat(),
            "date_to": day.isoformat(),
        },
    )

    assert response.status_code == 200
    assert re.findall(r'<th scope="row"><a href="/staff/requests/(\d+)/">', response.text) == [str(wanted.pk)]


def test_queue_any_status_shows_every_request(staff_client, presentation):
    PresentationRequestFactory(presentation=presentation)
    PresentationRequestFactory(presentation=presentation, status=RequestStatus.CANCELLED)

    response = staff_client.get("/staff/", {"status": "any"})

    assert "2 requests, oldest first." in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"presentation": "abc"},
        {"presentation": "999999"},
        {"county": "atlantis"},
        {"audience": "-1"},
        {"date_from": "2025-13-45"},
        {"date_to": "yesterday"},
        {"date_from": "9999-12-31", "date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
    ],
)
def test_queue_invalid_filters_answer_200_with_the_error_and_ignore_the_value(staff_client, submitted, params):
    response = staff_client.get("/staff/", params)

    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert f'href="/staff/requests/{submitted.pk}/"' in response.text


def test_queue_unknown_page_number_shows_the_first_page(staff_client, submitted):
    response = staff_client.get("/staff/", {"page": "zzz"})

    assert response.status_code == 200
    assert f'href="/staff/requests/{submitted.pk}/"' in response.text


def test_queue_date_range_backwards_is_reported(staff_client, submitted):
    response = staff_client.get("/staff/", {"date_from": "2030-02-01", "date_to": "2030-01-01"})

    assert response.status_code == 200
    assert str(MSG_DATE_RANGE) in html.unescape(response.text)


def test_queue_pages_keep_the_order_oldest_first_ties_by_number(staff_client, presentation, monkeypatch):
    monkeypatch.setattr("scheduling.views.staff.QUEUE_PAGE_SIZE", 2)
    made = [PresentationRequestFactory(presentation=presentation) for _ in range(5)]
    now = timezone.now()
    ages = [3, 5, 5, 1, 4]  # days waiting: two submitted at the same moment
    for request, days in zip(made, ages, strict=True):
        PresentationRequest.objects.filter(pk=request.pk).update(submitted_at=now - timedelta(days=days))
    PresentationRequestFactory(presentation=presentation, status=RequestStatus.DECLINED)

    pages = [staff_client.get("/staff/", {"page": n}) for n in (1, 2, 3)]

    shown = [re.findall(r'<th scope="row"><a href="/staff/requests/(\d+)/">', page.text) for page in pages]
    oldest_first = sorted(made, key=lambda r: (-ages[made.index(r)], r.pk))
    assert shown == [
        [str(r.pk) for r in oldest_first[0:2]],
        [str(r.pk) for r in oldest_first[2:4]],
        [str(r.pk) for r in oldest_first[4:5]],
    ]
    assert ["5 requests, oldest first." in page.text for page in pages] == [True, True, True]
    assert ["Page 3 of 3" in page.text for page in pages] == [False, False, True]


@pytest.mark.parametrize("rows", [1, 6])
def test_queue_query_count_does_not_grow_with_rows(staff_client, presentation, django_assert_num_queries, rows):
    for _ in range(rows):
        failed_notification(PresentationRequestFactory(presentation=presentation))

    # session, user, nav presenter link, failed notifications, count, the page's ids, its requests,
    # their windows, presentation and audience choices, and the requests a presenter declined
    with django_assert_num_queries(11):
        response = staff_client.get("/staff/", {"status": "submitted", "county": "rice"})

    assert response.text.count('<tr class="failed-notification">') == rows
    assert response.text.count('<th scope="row">') == rows * 2


# --- The request page -------------------------------------------------------------------------


def test_request_page_shows_every_detail_and_suggested_presenters(staff_client, submitted, lead, co, staff_user):
    busy_request = PresentationRequestFactory(presentation=submitted.presentation)
    schedule(busy_request, co, staff_user, start=days_ahead(30, 10), end=days_ahead(30, 11))

    response = staff_client.get(staff_url(submitted))

    text = html.unescape(response.text)
    assert response.status_code == 200
    for expected in [
        "Roosevelt High School (Faith community)",
        "100 Division St S, Northfield 55057 · Rice",
        "Dana Whitfield, Youth director",
        "dana@example.net",
        "+1 507-555-0142",
        "about 40 people",
    ]:
        assert expected in text
    suggestions = re.search(r"<ul class=\"plain suggested\">(.*?)</ul>", response.text, re.S).group(1)
    assert re.findall(r"<li>([^<]+) <small>", suggestions) == ["Ana Lindqvist"]
    others = re.search(r"<ul class=\"plain not-suggested\">(.*?)</ul>", response.text, re.S).group(1)
    assert re.findall(r"<li>([^<]+)</li>", others) == ["Ben Okafor: already booked then"]
    assert 'value="100 Division St S, Northfield"' in response.text
    assert '<label for="id_approve-lead_presenter">Lead presenter' in response.text


def test_approve_creates_booking_moves_status_and_records_audit(staff_client, staff_user, submitted, lead, co):
    window = submitted.windows.get()

    response = staff_client.post(
        staff_url(submitted, "approve"), approve_data(window, lead, **{"approve-co_presenters": [str(co.pk)]})
    )

    assert response.status_code == 302
    assert response.url == staff_url(submitted)
    booking = Booking.objects.get()
    assert (booking.request_id, booking.start, booking.end, booking.format, booking.location, booking.sequence) == (
        submitted.pk,
        days_ahead(30, 10),
        days_ahead(30, 11),
        Format.IN_PERSON,
        "100 Division St S, Northfield",
        0,
    )
    assert booking.presenters() == [lead, co]
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SCHEDULED
    entry = AuditEntry.objects.get()
    assert (entry.by, entry.actor, entry.action, entry.from_status, entry.to_status) == (
        staff_user,
        "staff",
        "approve",
        "submitted",
        "scheduled",
    )
    page = staff_client.get(response.url)
    assert str(MSG_APPROVED) in html.unescape(page.text)
    assert "Ana Lindqvist (lead), Ben Okafor" in page.text


def test_approve_at_another_agreed_time(staff_client, submitted, lead):
    day = days_ahead(40).date()

    response = staff_client.post(
        staff_url(submitted, "approve"),
        {
            "approve-when": "other",
            "approve-date": day.isoformat(),
            "approve-start_time": "13:30",
            "approve-end_time": "15:00",
            "approve-lead_presenter": str(lead.pk),
            "approve-location": "Room 12, 100 Division St S, Northfield",
        },
    )

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.start, booking.end, booking.location) == (
        days_ahead(40, 13, 30),
        days_ahead(40, 15),
        "Room 12, 100 Division St S, Northfield",
    )


@pytest.mark.parametrize(
    "data",
    [
        {"approve-when": "garbage", "approve-lead_presenter": "1"},
        {"approve-when": "other", "approve-date": "2025-13-45", "approve-start_time": "25:99"},
        {"approve-when": "other", "approve-date": "'; DROP TABLE", "approve-lead_presenter": "abc"},
        {"approve-when": "other", "approve-lead_presenter": "999999", "approve-co_presenters": ["x", "888888"]},
        {"approve-lead_presenter": "\x00"},
        {},
    ],
)
def test_approve_bad_input_answers_400_and_keeps_typing(staff_client, submitted, lead, data):
    response = staff_client.post(staff_url(submitted, "approve"), data)

    assert response.status_code == 400
    assert 'class="error-summary" role="alert"' in response.text
    assert Booking.objects.count() == 0
    if data.get("approve-date"):
        assert f'value="{html.escape(data["approve-date"], quote=True)}"' in response.text


def test_approve_other_time_incomplete_points_at_the_missing_input(staff_client, submitted, lead):
    response = staff_client.post(
        staff_url(submitted, "approve"),
        {"approve-when": "other", "approve-date": days_ahead(40).date().isoformat(), "approve-start_time": "09:00"},
    )

    assert response.status_code == 400
    assert f'<small class="error" id="id_approve-end_time_error">{MSG_TIME_INCOMPLETE}</small>' in html.unescape(
        response.text
    )
    assert 'aria-describedby="id_approve-end_time_error"' in response.text
    assert f'value="{days_ahead(40).date().isoformat()}"' in response.text


def test_approve_past_window_shows_the_service_error_on_the_choice(staff_client, submitted, lead):
    RequestWindow.objects.filter(request=submitted).update(start=days_ahead(-2, 10), end=days_ahead(-2, 11))

    response = staff_client.post(staff_url(submitted, "approve"), approve_data(submitted.windows.get(), lead))

    assert response.status_code == 400
    assert f'<small class="error" id="id_approve-when_error">{review.MSG_IN_THE_PAST}</small>' in response.text


def test_approve_conflict_names_the_colliding_booking(staff_client, staff_user, presentation, submitted, lead):
    first = PresentationRequestFactory(presentation=presentation, organization_name="First Org")
    schedule(first, lead, staff_user)
    expected = BookingConflict(
        booking_conflicts(presenters=[lead], start=days_ahead(30, 10), end=days_ahead(30, 11), fmt=Format.IN_PERSON)
    ).message

    response = staff_client.post(staff_url(submitted, "approve"), approve_data(submitted.windows.get(), lead))

    assert response.status_code == 409
    assert alert_text(response) == f"Not done: {expected}"
    assert f"Ana Lindqvist is already booked for {first.reference} (" in expected
    assert 'value="100 Division St S, Northfield"' in response.text
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED


def test_approve_twice_answers_409(staff_client, staff_user, submitted, lead):
    schedule(submitted, lead, staff_user)

    response = staff_client.post(staff_url(submitted, "approve"), approve_data(submitted.windows.get(), lead))

    assert response.status_code == 409
    assert alert_text(response) == "Not done: This request is scheduled, so it cannot be approved."


def test_decline_with_reason_tells_the_requester(staff_client, submitted):
    response = staff_client.post(staff_url(submitted, "decline"), {"decline-reason": "We have no presenter in May."})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decision_note) == (RequestStatus.DECLINED, "We have no presenter in May.")
    assert list(Notification.objects.values_list("kind", flat=True)) == [NotificationKind.REQUEST_DECLINED]
    assert str(MSG_DECLINED) in staff_client.get(response.url).text


@pytest.mark.parametrize("reason", ["", "   ", "\x00\x01"])
def test_decline_without_reason_answers_400(staff_client, submitted, reason):
    response = staff_client.post(staff_url(submitted, "decline"), {"decline-reason": reason})

    assert response.status_code == 400
    assert f'<small class="error" id="id_decline-reason_error">{review.MSG_REASON_REQUIRED}</small>' in response.text
    assert '<details open id="decline">' in response.text
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED


def propose_data(lead, *days, **extra) -> dict:
    data = {
        "propose-lead_presenter": str(lead.pk),
        "propose-location": "100 Division St S, Northfield",
        "propose-message": "Would an afternoon work?",
    }
    for n, day in enumerate(days, start=1):
        data |= {
            f"propose-time_{n}_date": days_ahead(day).date().isoformat(),
            f"propose-time_{n}_start_time": "13:00",
            f"propose-time_{n}_end_time": "14:00",
        }
    return data | extra


def test_propose_then_requester_accepts_schedules_it(staff_client, submitted, lead):
    response = staff_client.post(staff_url(submitted, "propose"), propose_data(lead, 35, 36))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    second = proposal.times.get(position=2)
    requester = Client()

    status_page = requester.get(f"/requests/{submitted.token}/")
    accepted = requester.post(f"/requests/{submitted.token}/proposal/accept/", {"proposed_time": second.pk})

    assert status_page.text.count(">Accept this time</button>") == 2
    assert accepted.status_code == 302
    submitted.refresh_from_db()
    booking = Booking.objects.get()
    assert (submitted.status, booking.start, booking.end, booking.lead_presenter) == (
        RequestStatus.SCHEDULED,
        days_ahead(36, 13),
        days_ahead(36, 14),
        lead,
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    assert list(AuditEntry.objects.values_list("actor", "action")) == [
        ("staff", "propose"),
        ("requester", "accept_proposal"),
    ]


def test_propose_then_requester_declines_goes_back_to_staff(staff_client, submitted, lead):
    staff_client.post(staff_url(submitted, "propose"), propose_data(lead, 35))
    requester = Client()

    response = requester.post(f"/requests/{submitted.token}/proposal/decline/", {"note": "Mornings only, please."})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED
    proposal = Proposal.objects.get()
    assert (proposal.state, proposal.requester_note) == (ProposalState.DECLINED, "Mornings only, please.")
    page = staff_client.get(staff_url(submitted))
    assert "Declined by the requester" in page.text
    assert "Requester's note:" in html.unescape(page.text)
    assert "Mornings only, please." in page.text
    assert f'action="/staff/requests/{submitted.pk}/approve/"' in page.text


def test_propose_success_message_and_open_proposal_shown(staff_client, submitted, lead):
    response = staff_client.post(staff_url(submitted, "propose"), propose_data(lead, 35), follow=True)

    assert response.status_code == 200
    assert str(MSG_PROPOSED) in response.text
    assert "Waiting for the requester:" in response.text


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"propose-time_1_date": ""}, "time_1_date"),
        ({"propose-time_1_end_time": "12:00"}, "time_1_end_time"),
        ({"propose-time_1_date": "not a date"}, "time_1_date"),
        ({"propose-lead_presenter": "77777"}, "lead_presenter"),
        ({"propose-time_2_date": "2031-01-01"}, "time_2_start_time"),
    ],
)
def test_propose_bad_input_answers_400_next_to_the_field(staff_client, submitted, lead, extra, field):
    response = staff_client.post(staff_url(submitted, "propose"), propose_data(lead, 35, **extra))

    assert response.status_code == 400
    assert f'id="id_propose-{field}_error"' in response.text
    assert Proposal.objects.count() == 0


def test_reschedule_changes_time_and_raises_sequence(staff_client, staff_user, submitted, lead):
    booking = schedule(submitted, lead, staff_user)

    response = staff_client.post(
        staff_url(submitted, "reschedule"),
        reschedule_data(
            lead,
            days=31,
            start="09:00",
            end="10:00",
            location="100 Division St S, Northfield",
            **{"reschedule-note": "Moved at the school's request."},
        ),
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.start, booking.end, booking.sequence) == (days_ahead(31, 9), days_ahead(31, 10), 1)
    assert list(AuditEntry.objects.values_list("action", "note")) == [
        ("approve", ""),
        ("reschedule", "Moved at the school's request."),
    ]
    assert str(MSG_RESCHEDULED) in html.unescape(staff_client.get(response.url).text)


def test_reschedule_form_is_prefilled_and_nothing_changed_answers_400(staff_client, staff_user, submitted, lead):
    schedule(submitted, lead, staff_user)
    page = staff_client.get(staff_url(submitted))
    assert f'name="reschedule-date" value="{days_ahead(30).date().isoformat()}"' in page.text

    response = staff_client.post(
        staff_url(submitted, "reschedule"),
        reschedule_data(lead, days=30, start="10:00", end="11:00", location="100 Division St S, Northfield"),
    )

    assert response.status_code == 400
    assert html.escape(str(review.MSG_NOTHING_CHANGED)) in response.text
    assert Booking.objects.get().sequence == 0


def test_reschedule_submitted_request_answers_409(staff_client, submitted, lead):
    response = staff_client.post(
        staff_url(submitted, "reschedule"),
        reschedule_data(lead, days=31, start="09:00", end="10:00", location="Somewhere"),
    )

    assert response.status_code == 409
    assert alert_text(response) == "Not done: This request is submitted, so it cannot be rescheduled."


def test_staff_cancel_needs_a_reason_and_then_cancels(staff_client, staff_user, submitted, lead):
    schedule(submitted, lead, staff_user)

    without = staff_client.post(staff_url(submitted, "cancel"), {"cancel-reason": ""})
    response = staff_client.post(staff_url(submitted, "cancel"), {"cancel-reason": "The presenter is ill."})

    assert without.status_code == 400
    assert f'<small class="error" id="id_cancel-reason_error">{review.MSG_REASON_REQUIRED}</small>' in without.text
    assert response.status_code == 302
    submitted.refresh_from_db()
    booking = Booking.objects.get()
    assert (submitted.status, booking.cancel_reason, booking.sequence) == (
        RequestStatus.CANCELLED,
        "The presenter is ill.",
        1,
    )
    assert booking.cancelled_at is not None
    entry = AuditEntry.objects.last()
    assert (entry.by, entry.actor, entry.action, entry.note) == (staff_user, "staff", "cancel", "The presenter is ill.")
    assert str(MSG_CANCELLED) in html.unescape(staff_client.get(response.url).text)


def test_complete_before_the_end_answers_409(staff_client, staff_user, submitted, lead):
    schedule(submitted, lead, staff_user)

    response = staff_client.post(staff_url(submitted, "complete"), {"complete-attendance": "30"})

    assert response.status_code == 409
    assert alert_text(response) == f"Not done: {review.MSG_NOT_OVER_YET}"
    assert "It can be marked completed after it ends" in response.text
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SCHEDULED


def test_complete_after_the_end_records_attendance(staff_client, staff_user, submitted, lead):
    booking = schedule(submitted, lead, staff_user)
    move_booking(booking, start=timezone.now() - timedelta(hours=3), end=timezone.now() - timedelta(hours=2))
    assert f'action="/staff/requests/{submitted.pk}/complete/"' in staff_client.get(staff_url(submitted)).text

    response = staff_client.post(
        staff_url(submitted, "complete"), {"complete-attendance": "35", "complete-notes": "Good questions."}
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    submitted.refresh_from_db()
    assert (submitted.status, booking.actual_attendance, booking.presenter_notes) == (
        RequestStatus.COMPLETED,
        35,
        "Good questions.",
    )
    assert str(MSG_COMPLETED) in staff_client.get(response.url).text


@pytest.mark.parametrize("attendance", ["", "lots", "-1", "100001", "1e9"])
def test_complete_bad_attendance_answers_400(staff_client, staff_user, submitted, lead, attendance):
    booking = schedule(submitted, lead, staff_user)
    move_booking(booking, start=timezone.now() - timedelta(hours=3), end=timezone.now() - timedelta(hours=2))

    response = staff_client.post(staff_url(submitted, "complete"), {"complete-attendance": attendance})

    assert response.status_code == 400
    assert 'id="id_complete-attendance_error"' in response.text


def test_audit_trail_and_notifications_are_listed_in_order(staff_client, staff_user, submitted, lead):
    schedule(submitted, lead, staff_user)
    review.booking_cancel(request=submitted, by=staff_user, reason="Snow day.")

    response = staff_client.get(staff_url(submitted))

    audit = re.search(r'id="h-audit".*?<tbody>(.*?)</tbody>', response.text, re.S).group(1)
    rows = re.findall(r"<tr><td>[^<]+</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>", audit)
    assert rows == [
        ("Sam Ortiz", "approve", "Submitted", "Scheduled"),
        ("Sam Ortiz", "cancel", "Scheduled", "Cancelled"),
    ]
    assert "Snow day." in audit
    notifications = re.search(r'id="h-notifications".*?<tbody>(.*?)</tbody>', response.text, re.S).group(1)
    kinds = re.findall(r"</td><td>([^<]+)</td><td>([^<@]+@[^<]+)</td>", notifications)
    assert kinds == [
        ("Confirmation with invite (requester)", "dana@example.net"),
        ("Assignment with invite (presenter)", "ana@example.org"),
        ("Cancellation (requester)", "dana@example.net"),
        ("Cancellation (presenter)", "ana@example.org"),
        ("Cancellation (staff)", "staff@outreach.test"),
    ]


def test_resend_puts_a_failed_notification_back_in_the_queue(staff_client, submitted):
    notification = failed_notification(submitted)
    page = staff_client.get(staff_url(submitted))
    assert f'action="/staff/requests/{submitted.pk}/notifications/{notification.pk}/resend/"' in page.text
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in page.text

    response = staff_client.post(f"/staff/requests/{submitted.pk}/notifications/{notification.pk}/resend/")

    assert response.status_code == 302
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (NotificationStatus.PENDING, 0, "")
    assert str(MSG_RESENT) in staff_client.get(response.url).text


def test_resend_refuses_a_notification_that_did_not_fail(staff_client, submitted):
    notification = failed_notification(submitted)
    Notification.objects.filter(pk=notification.pk).update(status=NotificationStatus.SENT)

    response = staff_client.post(f"/staff/requests/{submitted.pk}/notifications/{notification.pk}/resend/")

    assert response.status_code == 409
    assert alert_text(response) == f"Not done: {MSG_NOT_FAILED}"


def test_resend_of_another_requests_notification_is_404(staff_client, submitted, presentation):
    other = failed_notification(PresentationRequestFactory(presentation=presentation))

    response = staff_client.post(f"/staff/requests/{submitted.pk}/notifications/{other.pk}/resend/")

    assert response.status_code == 404


# --- The calendar -----------------------------------------------------------------------------


def calendar_url(start: str, end: str) -> str:
    return "/staff/calendar/events.json?" + urlencode({"start": start, "end": end})


def test_calendar_page_loads_vendored_fullcalendar(staff_client):
    response = staff_client.get("/staff/calendar/")

    assert response.status_code == 200
    assert '<script src="/static/vendor/fullcalendar-6.1.21/index.global.min.js" defer></script>' in response.text
    assert 'data-events-url="/staff/calendar/events.json"' in response.text
    assert 'data-time-zone="America/Chicago"' in response.text


def test_calendar_events_show_bookings_and_tentative_windows(staff_client, staff_user, presentation, submitted, lead):
    booked = PresentationRequestFactory(presentation=presentation, organization_name="Booked Org", windows=[])
    schedule(booked, lead, staff_user, start=days_ahead(30, 13), end=days_ahead(30, 14))
    day = days_ahead(30)
    start = (day - timedelta(days=day.weekday())).date()

    response = staff_client.get(calendar_url(f"{start}T00:00:00", f"{start + timedelta(days=7)}T00:00:00"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    day_text = day.date().isoformat()
    assert json.loads(response.content) == [
        {
            "id": f"booking-{booked.booking.pk}",
            "title": f"{booked.reference} Booked Org: {presentation.title}",
            "start": f"{day_text}T13:00:00",
            "end": f"{day_text}T14:00:00",
            "url": f"/staff/requests/{booked.pk}/",
            "classNames": ["event-booking", "event-scheduled"],
            "extendedProps": {"status": "scheduled", "presenters": ["Ana Lindqvist"], "format": "in_person"},
        },
        {
            "id": f"window-{submitted.windows.get().pk}",
            "title": f"Tentative: {submitted.reference} Roosevelt High School: {presentation.title}",
            "start": f"{day_text}T10:00:00",
            "end": f"{day_text}T11:00:00",
            "url": f"/staff/requests/{submitted.pk}/",
            "classNames": ["event-tentative"],
            "extendedProps": {"status": "tentative"},
        },
    ]


def test_calendar_accepts_offsets_and_excludes_events_outside_the_range(staff_client, submitted):
    far = days_ahead(200).date()

    with_offset = staff_client.get(calendar_url(f"{far}T00:00:00-06:00", f"{far + timedelta(days=7)}T00:00:00-06:00"))
    plus_as_space = staff_client.get(
        f"/staff/calendar/events.json?start={far}T00:00:00+00:00&end={far + timedelta(days=7)}T00:00:00+00:00"
    )

    assert (with_offset.status_code, json.loads(with_offset.content)) == (200, [])
    assert (plus_as_space.status_code, json.loads(plus_as_space.content)) == (200, [])


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?start=2030-01-01",
        "?start=garbage&end=2030-01-08",
        "?start=2030-01-08&end=2030-01-01",
        "?start=2030-01-01&end=2031-01-01",
        "?start=2030-02-30&end=2030-03-05",
        "?start=" + "9" * 500 + "&end=2030-01-01",
        "?start=2030-01-01T00:00:00%2B99:00&end=2030-01-08",
    ],
)
def test_calendar_bad_range_answers_400_json(staff_client, query):
    response = staff_client.get("/staff/calendar/events.json" + query)

    assert response.status_code == 400
    assert json.loads(response.content) == {"error": str(MSG_CALENDAR_RANGE)}


def test_calendar_shows_four_tentative_times_a_day_then_one_marker_with_the_rest(staff_client, presentation):
    day = days_ahead(40).date()
    requests = []
    for hour in (15, 9, 10, 11, 12, 13, 14):
        request = PresentationRequestFactory(presentation=presentation, windows=[])
        request.windows.create(position=1, start=days_ahead(40, hour), end=days_ahead(40, hour, 30))
        requests.append((hour, request))
    other_day = PresentationRequestFactory(presentation=presentation, windows=[])
    other_day.windows.create(position=1, start=days_ahead(41, 9), end=days_ahead(41, 10))

    response = staff_client.get(calendar_url(f"{day}T00:00:00", f"{day + timedelta(days=7)}T00:00:00"))

    events = json.loads(response.content)
    earliest = [request for hour, request in sorted(requests, key=lambda pair: pair[0])[:4]]
    assert [(e["id"], e["start"]) for e in events] == [
        *[(f"window-{r.windows.get().pk}", f"{day}T{9 + n:02d}:00:00") for n, r in enumerate(earliest)],
        (f"more-{day}", str(day)),
        (f"window-{other_day.windows.get().pk}", f"{day + timedelta(days=1)}T09:00:00"),
    ]
    marker = events[4]
    assert marker == {
        "id": f"more-{day}",
        "title": "+3 more tentative: open the queue for this day",
        "start": str(day),
        "allDay": True,
        "url": f"/staff/?status=submitted&date_from={day}&date_to={day}",
        "classNames": ["event-more", "event-tentative"],
        "extendedProps": {"status": "more", "count": 3},
    }
    queue = staff_client.get(marker["url"])
    assert len(re.findall(r'<th scope="row"><a href="/staff/requests/', queue.text)) == 7


def test_calendar_counts_proposed_times_with_the_windows_of_their_day(staff_client, staff_user, presentation, lead):
    day = days_ahead(40).date()
    for hour in (9, 10, 11):
        request = PresentationRequestFactory(presentation=presentation, windows=[])
        request.windows.create(position=1, start=days_ahead(40, hour), end=days_ahead(40, hour, 30))
    proposed = PresentationRequestFactory(presentation=presentation)
    review.request_propose(
        request=proposed,
        by=staff_user,
        lead_presenter=lead,
        co_presenters=[],
        times=[(days_ahead(40, 8), days_ahead(40, 9)), (days_ahead(40, 16), days_ahead(40, 17))],
        message="",
    )

    response = staff_client.get(calendar_url(f"{day}T00:00:00", f"{day + timedelta(days=1)}T00:00:00"))

    events = json.loads(response.content)
    assert [e["id"].split("-")[0] for e in events] == ["proposed", "window", "window", "window", "more"]
    assert events[-1]["extendedProps"] == {"status": "more", "count": 1}


def test_calendar_caps_bookings_with_a_marker_on_the_first_day_left_out(
    staff_client, staff_user, presentation, lead, monkeypatch
):
    monkeypatch.setattr("scheduling.views.staff.CALENDAR_BOOKINGS_MAX", 2)
    for days in (30, 31, 32):
        schedule(
            PresentationRequestFactory(presentation=presentation, windows=[]),
            lead,
            staff_user,
            start=days_ahead(days, 13),
            end=days_ahead(days, 14),
        )
    start = days_ahead(29).date()

    response = staff_client.get(calendar_url(str(start), str(start + timedelta(days=7))))

    events = json.loads(response.content)
    third = days_ahead(32).date()
    assert [e["id"].split("-")[0] for e in events] == ["booking", "booking", "more"]
    assert events[-1]["start"] == str(third)
    assert events[-1]["url"] == f"/staff/?status=scheduled&date_from={third}&date_to={third}"
    assert events[-1]["title"] == "More presentations than the calendar shows at once: choose a shorter range"


def test_calendar_answer_stays_small_whatever_the_pending_requests(
    staff_client, presentation, django_assert_num_queries
):
    day = days_ahead(40).date()
    RequestWindow.objects.bulk_create(
        RequestWindow(request=request, position=1, start=days_ahead(40 + n % 3, 9), end=days_ahead(40 + n % 3, 10))
        for n, request in enumerate(PresentationRequestFactory.create_batch(60, presentation=presentation, windows=[]))
    )

    # session, user, bookings, the windows shown each day (ids), those windows, proposed times (none to load)
    with django_assert_num_queries(6):
        response = staff_client.get(calendar_url(str(day), str(day + timedelta(days=7))))

    events = json.loads(response.content)
    assert [e["extendedProps"].get("count") for e in events if e["id"].startswith("more-")] == [16, 16, 16]
    assert len(events) == 3 * 5


@pytest.mark.parametrize("rows", [1, 5])
def test_calendar_query_count_does_not_grow(
    staff_client, staff_user, presentation, lead, co, django_assert_num_queries, rows
):
    for n in range(rows):
        request = PresentationRequestFactory(presentation=presentation)
        schedule(request, lead, staff_user, start=days_ahead(30, 8 + 2 * n), end=days_ahead(30, 9 + 2 * n))
        PresentationRequestFactory(presentation=presentation)
    start = days_ahead(25).date()

    # session, user, bookings, their co-presenters, the windows shown each day (ids), those windows,
    # proposed times (none to load)
    with django_assert_num_queries(7):
        response = staff_client.get(calendar_url(str(start), str(start + timedelta(days=14))))

    assert len(json.loads(response.content)) == 2 * rows


# --- Presenters -------------------------------------------------------------------------------


def test_presenter_list_shows_languages_presentations_and_upcoming_count(
    staff_client, staff_user, presentation, submitted, lead, co
):
    schedule(submitted, lead, staff_user, co_presenters=[co])
    PresenterFactory(name="Cleo Retired", is_active=False)

    response = staff_client.get("/staff/presenters/")

    rows = re.findall(
        r'<th scope="row"><a href="/admin/scheduling/presenter/\d+/change/">([^<]+)</a></th>\s*'
        r"<td>.*?</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*<td>(\w+)</td>\s*<td>(\d+)</td>",
        response.text,
    )
    assert rows == [
        ("Ana Lindqvist", "English", presentation.title, "yes", "1"),
        ("Ben Okafor", "English", presentation.title, "yes", "1"),
        ("Cleo Retired", "English", "—", "no", "0"),
    ]
    assert 'href="/admin/scheduling/presenter/add/"' in response.text


@pytest.mark.parametrize("rows", [1, 6])
def test_presenter_list_query_count_does_not_grow(staff_client, presentation, django_assert_num_queries, rows):
    for _ in range(rows):
        PresenterFactory(presentations=[presentation])

    # session, user, nav presenter link, presenters, their languages, their presentations
    with django_assert_num_queries(6):
        response = staff_client.get("/staff/presenters/")

    assert response.text.count('<th scope="row">') == rows


# --- A presenter's own schedule ---------------------------------------------------------------


def test_my_schedule_lists_only_the_presenters_own_upcoming_bookings(
    client, staff_user, presenter_user, presentation, lead
):
    me = presenter_user.presenter
    as_lead = PresentationRequestFactory(presentation=presentation, organization_name="Lead Org")
    schedule(as_lead, me, staff_user, start=days_ahead(30, 9), end=days_ahead(30, 10))
    as_co = PresentationRequestFactory(presentation=presentation, organization_name="Co Org", contact_name="Li Wu")
    schedule(as_co, lead, staff_user, start=days_ahead(31, 9), end=days_ahead(31, 10), co_presenters=[me])
    not_mine = PresentationRequestFactory(presentation=presentation, organization_name="Not Mine Org")
    schedule(not_mine, lead, staff_user, start=days_ahead(32, 9), end=days_ahead(32, 10))
    past = PresentationRequestFactory(presentation=presentation, organization_name="Past Org")
    move_booking(
        schedule(past, me, staff_user, start=days_ahead(33, 9), end=days_ahead(33, 10)),
        start=timezone.now() - timedelta(days=2, hours=1),
        end=timezone.now() - timedelta(days=2),
    )
    client.force_login(presenter_user)

    response = client.get("/my/schedule/")

    assert response.status_code == 200
    assert re.findall(r"<p>[^<]+ · ([^<]+)</p>\s*</header>", html.unescape(response.text)) == ["Lead Org", "Co Org"]
    assert "Not Mine Org" not in response.text
    assert "Past Org" not in response.text
    assert "Li Wu, Youth director" in response.text
    assert "Ana Lindqvist (lead), Pat Presenter" in response.text
    assert "<dt>Location</dt><dd>100 Division St S, Northfield</dd>" in response.text


def test_my_schedule_needs_a_login(client):
    response = client.get("/my/schedule/")

    assert (response.status_code, response.url) == (302, "/accounts/login/?next=/my/schedule/")


def test_my_schedule_refuses_users_without_an_active_presenter(client, django_user_model, presenter_user):
    client.force_login(django_user_model.objects.create_user("visitor", "v@example.org", "pw"))
    no_presenter = client.get("/my/schedule/")
    presenter_user.presenter.is_active = False
    presenter_user.presenter.save()
    client.force_login(presenter_user)

    inactive = client.get("/my/schedule/")

    assert (no_presenter.status_code, inactive.status_code) == (403, 403)
    assert "not linked to an active presenter" in no_presenter.text


# --- Login and navigation ---------------------------------------------------------------------


def test_login_page_is_labelled_and_keeps_next(client):
    response = client.get("/accounts/login/?next=/staff/calendar/")

    assert response.status_code == 200
    assert '<label for="id_username">Username' in response.text
    assert '<label for="id_password">Password' in response.text
    assert '<input type="hidden" name="next" value="/staff/calendar/">' in response.text


def test_login_with_next_lands_on_the_staff_page(client, staff_user):
    response = client.post("/accounts/login/", {"username": "sam", "password": "pw", "next": "/staff/calendar/"})

    assert (response.status_code, response.url) == (302, "/staff/calendar/")


def test_login_failure_is_announced(client, staff_user):
    response = client.post("/accounts/login/", {"username": "sam", "password": "wrong", "next": "/staff/"})

    assert response.status_code == 200
    assert '<div class="error-summary" role="alert"' in response.text
    assert "Please enter a correct username and password." in response.text


def test_nav_shows_staff_links_to_staff_and_schedule_to_presenters(staff_client, client, presenter_user):
    client.force_login(presenter_user)

    staff_nav = staff_client.get("/").text
    presenter_nav = client.get("/").text

    assert 'href="/staff/calendar/"' in staff_nav
    assert 'href="/my/schedule/"' not in staff_nav
    assert 'href="/my/schedule/"' in presenter_nav
    assert 'href="/staff/' not in presenter_nav


# --- Admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_logged_in(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "pw"))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "scheduling/presenter",
        "scheduling/blackout",
        "scheduling/booking",
        "scheduling/proposal",
        "scheduling/auditentry",
        "scheduling/notification",
        "scheduling/busyinterval",
        "common/privatelink",
        "outcomes/hostevaluation",
        "outcomes/surveyresponse",
    ],
)
def test_admin_lists_every_scheduling_model(admin_client_logged_in, model):
    assert admin_client_logged_in.get(f"/admin/{model}/").status_code == 200


def test_admin_booking_is_read_only(admin_client_logged_in, staff_user, submitted, lead):
    booking = schedule(submitted, lead, staff_user)

    page = admin_client_logged_in.get(f"/admin/scheduling/booking/{booking.pk}/change/")
    post = admin_client_logged_in.post(f"/admin/scheduling/booking/{booking.pk}/change/", {"sequence": "9"})
    add = admin_client_logged_in.get("/admin/scheduling/booking/add/")

    assert page.status_code == 200
    assert 'name="start"' not in page.text
    assert (post.status_code, add.status_code) == (403, 403)
    booking.refresh_from_db()
    assert booking.sequence == 0


def test_admin_request_status_is_read_only(admin_client_logged_in, submitted):
    page = admin_client_logged_in.get(f"/admin/outreach/presentationrequest/{submitted.pk}/change/")

    assert page.status_code == 200
    assert 'name="status"' not in page.text
    assert 'name="decision_note"' not in page.text
    assert f'href="/staff/requests/{submitted.pk}/"' in page.text


def test_admin_presenter_edits_languages_and_presentations_side_by_side(admin_client_logged_in, lead):
    page = admin_client_logged_in.get(f"/admin/scheduling/presenter/{lead.pk}/change/")

    assert page.status_code == 200
    assert 'class="selectfilter"' in page.text or "SelectFilter" in page.text
    assert 'name="languages"' in page.text
    assert 'name="presentations"' in page.text


@pytest.mark.parametrize(
    ("who", "landing"),
    [("staff", "/staff/"), ("presenter", "/my/schedule/"), ("neither", "/")],
)
def test_signing_in_without_next_leads_each_person_to_their_page(
    client, staff_user, presenter_user, django_user_model, who, landing
):
    django_user_model.objects.create_user("nell", "nell@example.org", "pw")
    username = {"staff": staff_user.username, "presenter": "pat", "neither": "nell"}[who]
    if who == "staff":
        staff_user.set_password("pw")
        staff_user.save()

    response = client.post("/accounts/login/", {"username": username, "password": "pw"}, follow=True)

    assert response.redirect_chain[-1] == (landing, 302)
    assert response.status_code == 200
