"""The requester's private status page: what each state shows, and answering a proposal or cancelling."""

import html
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from outreach.enums import Format, RequestStatus
from outreach.forms import MSG_CHOOSE_PROPOSED_TIME
from outreach.views import MSG_CANCELLED, MSG_PROPOSAL_ACCEPTED, MSG_PROPOSAL_DECLINED
from scheduling.models import AuditEntry, Booking, Proposal, ProposalState
from scheduling.services import review
from scheduling.services.review import MSG_TIME_NO_LONGER_FREE
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

ERROR = re.compile(r'<p class="notice notice-error" role="alert" id="error">(.*?)</p>', re.S)


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("sam", "sam@example.org", "pw", is_staff=True)


@pytest.fixture
def lead(presentation):
    return PresenterFactory(name="Ana Lindqvist", presentations=[presentation])


@pytest.fixture
def co(presentation):
    return PresenterFactory(name="Ben Okafor", presentations=[presentation])


@pytest.fixture
def submitted(presentation):
    return PresentationRequestFactory(presentation=presentation, organization_name="Roosevelt High School")


def page(request) -> str:
    return f"/requests/{request.token}/"


def error_text(response) -> str:
    match = ERROR.search(response.text)
    assert match, "the refusal is shown in a role=alert paragraph"
    return html.unescape(match.group(1)).strip()


def schedule(request, lead, by, *, start=None, end=None, co_presenters=(), fmt=Format.IN_PERSON, link=""):
    plan = review.Plan(
        start=start or days_ahead(30, 10),
        end=end or days_ahead(30, 11),
        lead_presenter=lead,
        co_presenters=list(co_presenters),
        format=fmt,
        location="Room 4, 100 Division St S, Northfield",
        virtual_link=link,
    )
    return review.request_approve(request=request, by=by, plan=plan)


def propose(request, lead, by, *days):
    return review.request_propose(
        request=request,
        by=by,
        times=[(days_ahead(day, 13), days_ahead(day, 14)) for day in days],
        lead_presenter=lead,
        location="Gym, 100 Division St S, Northfield",
        message="Our presenters are free these afternoons.",
    )


# --- What each state shows --------------------------------------------------------------------


def test_submitted_without_proposal_says_staff_will_review(client, submitted):
    response = client.get(page(submitted))

    assert response.status_code == 200
    assert "Our staff will review your request and confirm a time, or propose another one here." in response.text
    assert "Accept this time" not in response.text


def test_open_proposal_lists_each_time_with_its_accept_button(client, submitted, lead, staff_user):
    proposal = propose(submitted, lead, staff_user, 35, 36)
    first, second = proposal.times.all()

    response = client.get(page(submitted))

    assert response.status_code == 200
    assert "We proposed other times" in response.text
    assert "Our presenters are free these afternoons." in response.text
    buttons = re.findall(
        r'<span id="proposed-(\d+)">([^<]+)</span>\s*<button type="submit" name="proposed_time" value="(\d+)" '
        r'aria-describedby="proposed-(\d+)">Accept this time</button>',
        response.text,
    )
    day_1, day_2 = days_ahead(35), days_ahead(36)
    assert buttons == [
        (
            str(first.pk),
            f"{day_1:%A, %B} {day_1.day}, {day_1.year}, 1:00 PM – 2:00 PM",
            str(first.pk),
            str(first.pk),
        ),
        (
            str(second.pk),
            f"{day_2:%A, %B} {day_2.day}, {day_2.year}, 1:00 PM – 2:00 PM",
            str(second.pk),
            str(second.pk),
        ),
    ]
    assert f'action="/requests/{submitted.token}/proposal/decline/"' in response.text
    assert '<label for="id_note">What would work better? (optional)</label>' in response.text


def test_scheduled_shows_time_place_presenters_and_cancel_form(client, submitted, lead, co, staff_user):
    schedule(submitted, lead, staff_user, co_presenters=[co])

    response = client.get(page(submitted))

    text = html.unescape(response.text)
    day = days_ahead(30)
    assert response.status_code == 200
    assert "Your presentation is scheduled" in text
    assert f"<strong>{day:%A, %B} {day.day}, {day.year}, 10:00 AM – 11:00 AM (Central time)</strong>" in text
    assert "<dt>Where</dt><dd>Room 4, 100 Division St S, Northfield</dd>" in text
    assert "<dt>Presenters</dt><dd>Ana Lindqvist, Ben Okafor</dd>" in text
    assert f'action="/requests/{submitted.token}/cancel/"' in text
    assert "Add it to your calendar" in text
    assert "Withdraw this request" not in text


def test_scheduled_virtual_shows_the_link(client, presentation, lead, staff_user):
    request = PresentationRequestFactory(presentation=presentation, format=Format.VIRTUAL, virtual_platform="Zoom")
    schedule(request, lead, staff_user, fmt=Format.VIRTUAL, link="https://zoom.example/j/123")

    response = client.get(page(request))

    assert '<dt>Link</dt><dd><a href="https://zoom.example/j/123" class="private-link">' in response.text
    assert "<dt>Where</dt>" not in response.text


def test_scheduled_page_query_count(client, submitted, lead, co, staff_user, django_assert_num_queries):
    schedule(submitted, lead, staff_user, co_presenters=[co])

    # the request with its booking, its windows, the co-presenters
    with django_assert_num_queries(3):
        client.get(page(submitted))


def test_open_proposal_page_query_count(client, submitted, lead, staff_user, django_assert_num_queries):
    propose(submitted, lead, staff_user, 35, 36, 37)

    # the request, its windows, the open proposal, its times
    with django_assert_num_queries(4):
        client.get(page(submitted))


def test_declined_shows_the_reason(client, submitted, staff_user):
    review.request_decline(request=submitted, by=staff_user, reason="We have no Spanish-speaking presenter in May.")

    response = client.get(page(submitted))

    assert "We cannot give this presentation" in response.text
    assert "<blockquote>We have no Spanish-speaking presenter in May.</blockquote>" in response.text


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        (
            RequestStatus.EXPIRED,
            "All of your preferred times passed before we could confirm one, so this request has expired.",
        ),
        (RequestStatus.WITHDRAWN, "You withdrew this request. To ask again, send a new request."),
    ],
)
def test_closed_states_say_so_plainly(client, presentation, status, sentence):
    request = PresentationRequestFactory(presentation=presentation, status=status)

    response = client.get(page(request))

    assert sentence in response.text
    assert "<form" not in response.text.split("<main", 1)[1]


def test_cancelled_and_completed_say_so(client, presentation, lead, staff_user):
    cancelled = PresentationRequestFactory(presentation=presentation)
    schedule(cancelled, lead, staff_user, start=days_ahead(30, 8), end=days_ahead(30, 9))
    review.booking_cancel(request=cancelled, by=staff_user, reason="The presenter is ill.")
    completed = PresentationRequestFactory(presentation=presentation)
    booking = schedule(completed, lead, staff_user, start=days_ahead(31, 8), end=days_ahead(31, 9))
    past = timezone.localtime(timezone.now() - timedelta(days=3))
    Booking.objects.filter(pk=booking.pk).update(start=past - timedelta(hours=1), end=past)
    review.booking_complete(request=completed, by=staff_user, attendance=30)

    cancelled_text = client.get(page(cancelled)).text
    completed_text = client.get(page(completed)).text

    assert (
        "This presentation was cancelled and will not take place. To ask for another one, send a new request. "
        "Reason given: The presenter is ill."
    ) in cancelled_text
    start = timezone.localtime(past - timedelta(hours=1))
    assert f"This presentation took place on {start:%B} {start.day}, {start.year}. Thank you for hosting it." in (
        completed_text
    )


# --- Answering a proposal ---------------------------------------------------------------------


def test_accepting_a_proposed_time_schedules_it(client, submitted, lead, staff_user):
    proposal = propose(submitted, lead, staff_user, 35, 36)
    chosen = proposal.times.get(position=1)

    response = client.post(page(submitted) + "proposal/accept/", {"proposed_time": chosen.pk}, follow=True)

    assert response.status_code == 200
    assert str(MSG_PROPOSAL_ACCEPTED) in html.unescape(response.text)
    assert 'class="status-badge status-scheduled">Scheduled<' in response.text
    booking = Booking.objects.get()
    assert (booking.start, booking.end, booking.location) == (
        days_ahead(35, 13),
        days_ahead(35, 14),
        "Gym, 100 Division St S, Northfield",
    )
    entry = AuditEntry.objects.last()
    assert (entry.by, entry.actor, entry.action) == (None, "requester", "accept_proposal")


@pytest.mark.parametrize("value", ["", "abc", "-5", "0", "1.5", "9" * 40])
def test_accept_with_garbage_answers_400(client, submitted, lead, staff_user, value):
    propose(submitted, lead, staff_user, 35)

    response = client.post(page(submitted) + "proposal/accept/", {"proposed_time": value})

    assert response.status_code == 400
    assert str(MSG_CHOOSE_PROPOSED_TIME) in response.text
    assert Booking.objects.count() == 0


def test_accept_a_time_of_another_proposal_answers_400(client, submitted, presentation, lead, staff_user):
    propose(submitted, lead, staff_user, 35)
    other = propose(PresentationRequestFactory(presentation=presentation), lead, staff_user, 40)

    response = client.post(page(submitted) + "proposal/accept/", {"proposed_time": other.times.get().pk})

    assert response.status_code == 400
    assert str(review.MSG_UNKNOWN_PROPOSED_TIME) in response.text
    assert Booking.objects.count() == 0


def test_accept_without_open_proposal_answers_409(client, submitted):
    response = client.post(page(submitted) + "proposal/accept/", {"proposed_time": "1"})

    assert response.status_code == 409
    assert error_text(response) == str(review.MSG_NO_OPEN_PROPOSAL)


def test_accept_a_time_taken_meanwhile_answers_409_without_naming_the_other_booking(
    client, submitted, presentation, lead, staff_user
):
    proposal = propose(submitted, lead, staff_user, 35)
    other = PresentationRequestFactory(presentation=presentation, organization_name="Safe House North")
    schedule(other, lead, staff_user, start=days_ahead(35, 13), end=days_ahead(35, 14))

    response = client.post(page(submitted) + "proposal/accept/", {"proposed_time": proposal.times.get().pk})

    assert response.status_code == 409
    assert error_text(response) == str(MSG_TIME_NO_LONGER_FREE)
    assert "Safe House North" not in response.text
    assert other.reference not in response.text


def test_declining_the_proposal_returns_it_to_staff(client, submitted, lead, staff_user):
    propose(submitted, lead, staff_user, 35)

    response = client.post(page(submitted) + "proposal/decline/", {"note": "Only mornings work for us."}, follow=True)

    assert response.status_code == 200
    assert str(MSG_PROPOSAL_DECLINED) in response.text
    proposal = Proposal.objects.get()
    assert (proposal.state, proposal.requester_note) == (ProposalState.DECLINED, "Only mornings work for us.")
    assert "Our staff will review your request" in response.text


def test_declining_twice_answers_409(client, submitted, lead, staff_user):
    propose(submitted, lead, staff_user, 35)
    client.post(page(submitted) + "proposal/decline/", {"note": ""})

    response = client.post(page(submitted) + "proposal/decline/", {"note": "again"})

    assert response.status_code == 409
    assert error_text(response) == str(review.MSG_NO_OPEN_PROPOSAL)


# --- Cancelling -------------------------------------------------------------------------------


def test_requester_cancels_before_the_cutoff(client, submitted, lead, staff_user):
    schedule(submitted, lead, staff_user)

    response = client.post(page(submitted) + "cancel/", {"reason": "The school closes that week."}, follow=True)

    assert response.status_code == 200
    assert str(MSG_CANCELLED) in response.text
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.CANCELLED
    entry = AuditEntry.objects.last()
    assert (entry.by, entry.actor, entry.action, entry.note) == (
        None,
        "requester",
        "cancel",
        "The school closes that week.",
    )
    assert Booking.objects.get().cancel_reason == "The school closes that week."


def test_requester_cannot_cancel_after_the_cutoff(client, submitted, lead, staff_user):
    booking = schedule(submitted, lead, staff_user)
    soon = timezone.now() + timedelta(hours=settings.REQUESTER_CANCEL_CUTOFF_HOURS - 1)
    Booking.objects.filter(pk=booking.pk).update(start=soon, end=soon + timedelta(hours=1))
    too_late = review.MSG_CANCEL_TOO_LATE % {"hours": settings.REQUESTER_CANCEL_CUTOFF_HOURS}

    shown = client.get(page(submitted))
    response = client.post(page(submitted) + "cancel/", {"reason": "Too late?"})

    assert f"<p>{html.escape(too_late)}</p>" in shown.text
    assert f'action="/requests/{submitted.token}/cancel/"' not in shown.text
    assert response.status_code == 409
    assert error_text(response) == too_late
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SCHEDULED


def test_cancel_of_a_request_not_scheduled_answers_409(client, submitted):
    response = client.post(page(submitted) + "cancel/", {"reason": ""})

    assert response.status_code == 409
    assert error_text(response) == "This request is submitted, so it cannot be cancelled."


def test_cancel_reason_too_long_answers_400(client, submitted, lead, staff_user):
    schedule(submitted, lead, staff_user)

    response = client.post(page(submitted) + "cancel/", {"reason": "x" * 2001})

    assert response.status_code == 400
    assert 'id="id_reason_error"' in response.text
    assert "x" * 2001 in response.text


# --- Unknown links and methods ----------------------------------------------------------------


@pytest.mark.parametrize("action", ["proposal/accept/", "proposal/decline/", "cancel/"])
@pytest.mark.parametrize("token", ["A" * 43, "short", "a" * 100])
def test_unknown_token_answers_404(client, action, token):
    assert client.post(f"/requests/{token}/{action}", {"proposed_time": "1"}).status_code == 404


@pytest.mark.parametrize("action", ["proposal/accept/", "proposal/decline/", "cancel/"])
def test_status_actions_need_post(client, submitted, action):
    assert client.get(page(submitted) + action).status_code == 405
