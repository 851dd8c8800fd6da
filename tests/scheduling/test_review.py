"""The request lifecycle (the scheduling.services.review package): every transition, every refusal,
the audit trail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from outreach.enums import Format, RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import AuditEntry, Blackout, Booking, BusyInterval, Notification, Presenter, ProposalState
from scheduling.services import review
from scheduling.services.availability import BookingConflict, presenters_available_for
from scheduling.services.review import Plan, TransitionError
from tests.factories import LanguageFactory, PresentationRequestFactory, days_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("sam", "sam@outreach.test", "pw", is_staff=True)


def make_presenter(name: str, presentation, **extra) -> Presenter:
    presenter = Presenter.objects.create(name=name, email=f"{name.split()[0].lower()}@presenters.test", **extra)
    presenter.presentations.add(presentation)
    presenter.languages.add(LanguageFactory())
    return presenter


@pytest.fixture
def request_obj():
    return PresentationRequestFactory()


@pytest.fixture
def alex(request_obj):
    return make_presenter("Alex Rivera", request_obj.presentation)


def plan_at(presenter, day=30, hour=10, minutes=60, fmt=Format.IN_PERSON, co=()):
    start = days_ahead(day, hour)
    return Plan(
        start=start,
        end=start + timedelta(minutes=minutes),
        lead_presenter=presenter,
        co_presenters=list(co),
        format=fmt,
        location="100 Division St S, Northfield",
    )


def audit_trail(request):
    return list(AuditEntry.objects.filter(request=request).values_list("actor", "action", "from_status", "to_status"))


# --- approve ---------------------------------------------------------------------------------


def test_approve_schedules_with_booking_busy_rows_and_audit(request_obj, alex, staff):
    booking = review.request_approve(request=request_obj, by=staff, plan=plan_at(alex), note="Window 1")

    request_obj.refresh_from_db()
    assert request_obj.status == RequestStatus.SCHEDULED
    assert (booking.sequence, booking.lead_presenter, booking.location) == (0, alex, "100 Division St S, Northfield")
    assert booking.uid.endswith("@outreach.test")
    kinds = sorted(BusyInterval.objects.filter(booking=booking).values_list("kind", flat=True))
    assert kinds == ["presenting", "travel"]
    entry = AuditEntry.objects.get(request=request_obj)
    assert (entry.by, entry.actor, entry.action, entry.from_status, entry.to_status, entry.note) == (
        staff,
        "staff",
        "approve",
        "submitted",
        "scheduled",
        "Window 1",
    )


def test_approve_twice_is_refused_without_changes(request_obj, alex, staff):
    review.request_approve(request=request_obj, by=staff, plan=plan_at(alex))

    with pytest.raises(TransitionError) as refused:
        review.request_approve(request=request_obj, by=staff, plan=plan_at(alex, day=40))

    assert refused.value.message == "This request is scheduled, so it cannot be approved."
    assert Booking.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_approve_needs_a_qualified_active_presenter(request_obj, alex, staff):
    other = make_presenter("Jordan Lee", request_obj.presentation)
    other.presentations.clear()
    retired = make_presenter("Casey Moe", request_obj.presentation, is_active=False)

    with pytest.raises(ValidationError) as unqualified:
        review.request_approve(request=request_obj, by=staff, plan=plan_at(other))
    with pytest.raises(ValidationError) as inactive:
        review.request_approve(request=request_obj, by=staff, plan=plan_at(alex, co=[retired]))

    assert unqualified.value.message_dict == {
        "lead_presenter": ["Jordan Lee is not qualified to give this presentation."]
    }
    assert inactive.value.message_dict == {"co_presenters": ["Casey Moe is not an active presenter."]}
    request_obj.refresh_from_db()
    assert (request_obj.status, Booking.objects.count(), AuditEntry.objects.count()) == ("submitted", 0, 0)


def test_approve_refuses_past_reversed_and_overlong_times(request_obj, alex, staff):
    past = Plan(timezone.now() - timedelta(hours=2), timezone.now() - timedelta(hours=1), alex, location="x")
    reversed_ = plan_at(alex, minutes=-30)
    overlong = plan_at(alex, minutes=9 * 60)

    errors = []
    for plan in (past, reversed_, overlong):
        with pytest.raises(ValidationError) as refused:
            review.request_approve(request=request_obj, by=staff, plan=plan)
        errors.append(refused.value.message_dict)

    assert errors == [
        {"start": ["Choose a time in the future."]},
        {"end": ["The end must be after the start."]},
        {"end": ["A presentation can last at most 8 hours."]},
    ]


def test_approve_in_person_needs_location(request_obj, alex, staff):
    plan = plan_at(alex)
    plan.location = "  "

    with pytest.raises(ValidationError) as refused:
        review.request_approve(request=request_obj, by=staff, plan=plan)

    assert refused.value.message_dict == {"location": ["Give the address where the presentation takes place."]}


# --- no double-booking (the service check, on every database) -------------------------------


def test_overlapping_booking_is_refused_naming_the_other(request_obj, alex, staff):
    review.request_approve(request=request_obj, by=staff, plan=plan_at(alex, hour=10))
    second = PresentationRequestFactory(presentation=request_obj.presentation, organization_name="Carleton College")

    with pytest.raises(BookingConflict) as conflict:
        review.request_approve(request=second, by=staff, plan=plan_at(alex, hour=10, minutes=30))

    day = date_format(days_ahead(30, 10), "N j, Y")
    assert conflict.value.message == (
        f"Alex Rivera is already booked for {request_obj.reference} ({request_obj.presentation.title}, "
        f"Northfield Community Church) on {day}, 10:00 AM–11:00 AM."
    )
    second.refresh_from_db()
    assert second.status == RequestStatus.SUBMITTED


def test_in_person_within_travel_buffer_is_refused(request_obj, alex, staff):
    review.request_approve(request=request_obj, by=staff, plan=plan_at(alex, hour=10))  # 10:00-11:00 in person
    second = PresentationRequestFactory(presentation=request_obj.presentation)

    with pytest.raises(BookingConflict) as conflict:
        review.request_approve(request=second, by=staff, plan=plan_at(alex, hour=11, minutes=60, fmt=Format.VIRTUAL))

    assert "too close to allow for the 60-minute travel buffer" in conflict.value.message


def test_bookings_one_buffer_apart_are_allowed(request_obj, alex, staff):
    review.request_approve(request=request_obj, by=staff, plan=plan_at(alex, hour=10))  # in person 10-11
    in_person = PresentationRequestFactory(presentation=request_obj.presentation)
    virtual_pair = [PresentationRequestFactory(presentation=request_obj.presentation) for _ in range(2)]

    review.request_approve(request=in_person, by=staff, plan=plan_at(alex, hour=12))  # 12-13: gap = buffer
    review.request_approve(request=virtual_pair[0], by=staff, plan=plan_at(alex, hour=14, fmt=Format.VIRTUAL))
    review.request_approve(request=virtual_pair[1], by=staff, plan=plan_at(alex, hour=15, fmt=Format.VIRTUAL))

    assert Booking.objects.filter(cancelled_at__isnull=True).count() == 4


def test_cancelled_booking_frees_the_time(request_obj, alex, staff):
    review.request_approve(request=request_obj, by=staff, plan=plan_at(alex))
    review.booking_cancel(request=request_obj, by=staff, reason="Snow day")
    second = PresentationRequestFactory(presentation=request_obj.presentation)

    booking = review.request_approve(request=second, by=staff, plan=plan_at(alex))

    assert booking.request == second


def test_blackout_and_program_closure_refuse_booking(request_obj, alex, staff):
    Blackout.objects.create(presenter=alex, start=days_ahead(30, 0), end=days_ahead(31, 0), reason="Training")
    with pytest.raises(BookingConflict) as away:
        review.request_approve(request=request_obj, by=staff, plan=plan_at(alex, day=30))
    Blackout.objects.create(start=days_ahead(40, 0), end=days_ahead(41, 0), reason="Holiday")
    with pytest.raises(BookingConflict) as closed:
        review.request_approve(request=request_obj, by=staff, plan=plan_at(alex, day=40))

    assert away.value.message.startswith("Alex Rivera is unavailable from ")
    assert away.value.message.endswith(" (Training).")
    assert closed.value.message.startswith("The program is closed from ")
    assert closed.value.message.endswith(" (Holiday).")


# --- suggestions -----------------------------------------------------------------------------


def test_suggestions_are_qualified_speaking_free_and_least_booked_first(request_obj, alex, staff):
    busy_bea = make_presenter("Bea Busy", request_obj.presentation)
    spanish_only = make_presenter("Sol Spanish", request_obj.presentation)
    spanish_only.languages.set([LanguageFactory(code="es", name="Spanish")])
    unqualified = make_presenter("Una Qualified", request_obj.presentation)
    unqualified.presentations.clear()
    make_presenter("Ivy Inactive", request_obj.presentation, is_active=False)
    zed = make_presenter("Zed Zephyr", request_obj.presentation)
    other = PresentationRequestFactory(presentation=request_obj.presentation)
    review.request_approve(request=other, by=staff, plan=plan_at(busy_bea, day=30, hour=15))  # same day, later
    conflicting = PresentationRequestFactory(presentation=request_obj.presentation)
    review.request_approve(request=conflicting, by=staff, plan=plan_at(zed, day=30, hour=10))

    window = request_obj.windows.get()
    suggested = [p.name for p in presenters_available_for(request=request_obj, start=window.start, end=window.end)]

    assert suggested == ["Alex Rivera", "Bea Busy"]


# --- decline, withdraw, propose --------------------------------------------------------------


def test_decline_needs_reason_and_shows_it(request_obj, staff, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as refused:
        review.request_decline(request=request_obj, by=staff, reason="  ")
    assert refused.value.message_dict == {"reason": ["Give a reason; the requester will see it."]}

    with django_capture_on_commit_callbacks(execute=True):
        review.request_decline(request=request_obj, by=staff, reason="We are fully booked that month.")

    request_obj.refresh_from_db()
    assert (request_obj.status, request_obj.decision_note) == ("declined", "We are fully booked that month.")
    assert audit_trail(request_obj) == [("staff", "decline", "submitted", "declined")]
    assert mail.outbox[-1].subject == f"About your presentation request {request_obj.reference}"
    assert "Our reason: We are fully booked that month." in mail.outbox[-1].body


def test_withdraw_after_decision_is_refused(request_obj, staff):
    review.request_decline(request=request_obj, by=staff, reason="No presenter available.")

    with pytest.raises(TransitionError) as refused:
        review.request_withdraw(request=request_obj)

    assert refused.value.message == "This request is declined, so it cannot be withdrawn."


def test_proposal_round_trip_accept(request_obj, alex, staff):
    times = [(days_ahead(35, 9), days_ahead(35, 10)), (days_ahead(36, 13), days_ahead(36, 14))]
    proposal = review.request_propose(
        request=request_obj, by=staff, times=times, lead_presenter=alex, message="Would one of these work?"
    )
    second_time = proposal.times.get(position=2)

    booking = review.proposal_accept(request=request_obj, proposed_time_id=second_time.pk)

    request_obj.refresh_from_db()
    proposal.refresh_from_db()
    assert (request_obj.status, proposal.state) == ("scheduled", ProposalState.ACCEPTED)
    assert (booking.start, booking.end, booking.lead_presenter) == (times[1][0], times[1][1], alex)
    assert booking.location == "100 Division St S, Northfield"
    assert audit_trail(request_obj) == [
        ("staff", "propose", "submitted", "submitted"),
        ("requester", "accept_proposal", "submitted", "scheduled"),
    ]


def test_proposal_round_trip_decline_returns_to_staff(request_obj, alex, staff):
    review.request_propose(
        request=request_obj, by=staff, times=[(days_ahead(35, 9), days_ahead(35, 10))], lead_presenter=alex
    )

    proposal = review.proposal_decline(request=request_obj, note="Our building is closed then.")

    request_obj.refresh_from_db()
    assert (request_obj.status, proposal.state, proposal.requester_note) == (
        "submitted",
        ProposalState.DECLINED,
        "Our building is closed then.",
    )
    with pytest.raises(TransitionError) as nothing_open:
        review.proposal_accept(request=request_obj, proposed_time_id=proposal.times.get().pk)
    assert nothing_open.value.message == "There is no proposal waiting for an answer."
    assert Notification.objects.filter(kind="staff_proposal_declined").count() == 1


def test_proposal_accept_unknown_time_is_refused(request_obj, alex, staff):
    review.request_propose(
        request=request_obj, by=staff, times=[(days_ahead(35, 9), days_ahead(35, 10))], lead_presenter=alex
    )

    with pytest.raises(ValidationError) as refused:
        review.proposal_accept(request=request_obj, proposed_time_id=999_999)

    assert refused.value.message_dict == {"proposed_time": ["That time is not one of the proposed times."]}


def test_propose_needs_one_to_three_times(request_obj, alex, staff):
    four = [(days_ahead(35 + n, 9), days_ahead(35 + n, 10)) for n in range(4)]

    for times in ([], four):
        with pytest.raises(ValidationError) as refused:
            review.request_propose(request=request_obj, by=staff, times=times, lead_presenter=alex)
        assert refused.value.message_dict == {"times": ["Propose one to three times."]}


# --- reschedule, cancel, complete ------------------------------------------------------------


def test_reschedule_raises_sequence_and_keeps_uid(request_obj, alex, staff):
    booking = review.request_approve(request=request_obj, by=staff, plan=plan_at(alex))
    uid = booking.uid

    moved = review.booking_reschedule(request=request_obj, by=staff, plan=plan_at(alex, day=31), note="Moved a day")
    again = review.booking_reschedule(request=request_obj, by=staff, plan=plan_at(alex, day=31, hour=13))

    assert (moved.uid, again.uid, again.sequence) == (uid, uid, 2)
    assert list(BusyInterval.objects.filter(booking=booking, kind="presenting").values_list("start", flat=True)) == [
        days_ahead(31, 13)
    ]
    assert audit_trail(request_obj)[1:] == [
        ("staff", "reschedule", "scheduled", "scheduled"),
        ("staff", "reschedule", "scheduled", "scheduled"),
    ]


def test_reschedule_with_nothing_changed_is_refused(request_obj, alex, staff):
    review.request_approve(request=request_obj, by=staff, plan=plan_at(alex))

    with pytest.raises(ValidationError) as refused:
        review.booking_reschedule(request=request_obj, by=staff, plan=plan_at(alex))

    assert refused.value.messages == ["Nothing changed: choose another time, other presenters or another place."]


def test_reschedule_onto_own_time_with_new_copresenter_is_allowed(request_obj, alex, staff):
    review.request_approve(request=request_obj, by=staff, plan=plan_at(alex))
    jordan = make_presenter("Jordan Lee", request_obj.presentation)

    booking = review.booking_reschedule(request=request_obj, by=staff, plan=plan_at(alex, co=[jordan]))

    assert [p.name for p in booking.presenters()] == ["Alex Rivera", "Jordan Lee"]
    assert BusyInterval.objects.filter(booking=booking).count() == 4


def test_reschedule_of_submitted_request_is_refused(request_obj, alex, staff):
    with pytest.raises(TransitionError) as refused:
        review.booking_reschedule(request=request_obj, by=staff, plan=plan_at(alex))

    assert refused.value.message == "This request is submitted, so it cannot be rescheduled."


def test_staff_cancel_needs_reason(request_obj, alex, staff):
    review.request_approve(request=request_obj, by=staff, plan=plan_at(alex))

    with pytest.raises(ValidationError):
        review.booking_cancel(request=request_obj, by=staff, reason="")
    booking = review.booking_cancel(request=request_obj, by=staff, reason="Presenter ill")

    assert (booking.sequence, booking.cancel_reason, booking.is_active) == (1, "Presenter ill", False)
    assert BusyInterval.objects.filter(booking=booking).count() == 0


def test_requester_cancel_allowed_before_cutoff_refused_after(request_obj, alex, staff):
    booking = review.request_approve(request=request_obj, by=staff, plan=plan_at(alex))
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() + timedelta(hours=47), end=timezone.now() + timedelta(hours=48)
    )

    with pytest.raises(TransitionError) as too_late:
        review.booking_cancel(request=request_obj, reason="", actor="requester")
    assert too_late.value.message == (
        "It is less than 48 hours before the presentation, so it can no longer be cancelled online. "
        "Please call or email us."
    )

    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() + timedelta(hours=49), end=timezone.now() + timedelta(hours=50)
    )
    review.booking_cancel(request=request_obj, reason="", actor="requester")
    request_obj.refresh_from_db()
    assert request_obj.status == "cancelled"
    assert audit_trail(request_obj)[-1] == ("requester", "cancel", "scheduled", "cancelled")


def test_complete_only_after_the_end(request_obj, alex, staff):
    booking = review.request_approve(request=request_obj, by=staff, plan=plan_at(alex))

    with pytest.raises(TransitionError) as early:
        review.booking_complete(request=request_obj, by=staff, attendance=40)
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(hours=3), end=timezone.now() - timedelta(hours=2)
    )
    with pytest.raises(ValidationError) as bad_count:
        review.booking_complete(request=request_obj, by=staff, attendance=-1)
    done = review.booking_complete(request=request_obj, by=staff, attendance=38, notes="Good questions")

    assert early.value.message == "The presentation has not ended yet, so it cannot be marked completed."
    assert bad_count.value.message_dict == {"attendance": ["Enter the number of people who attended (0 to 100,000)."]}
    assert (done.actual_attendance, done.presenter_notes) == (38, "Good questions")
    request_obj.refresh_from_db()
    assert request_obj.status == "completed"


# --- expiry ----------------------------------------------------------------------------------


def test_expire_only_when_every_window_has_passed(request_obj, django_capture_on_commit_callbacks):
    with pytest.raises(TransitionError):
        review.request_expire(request=request_obj)
    request_obj.windows.update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2, hours=-1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert review.requests_expire_due() == 1
    assert review.requests_expire_due() == 0

    request_obj.refresh_from_db()
    assert request_obj.status == "expired"
    assert audit_trail(request_obj) == [("system", "expire", "submitted", "expired")]
    assert mail.outbox[-1].subject == f"Your request {request_obj.reference} has expired"


def test_open_proposal_in_future_keeps_request_alive(request_obj, alex, staff):
    review.request_propose(
        request=request_obj, by=staff, times=[(days_ahead(35, 9), days_ahead(35, 10))], lead_presenter=alex
    )
    request_obj.windows.update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=2, hours=-1)
    )

    assert review.requests_expire_due() == 0
    assert PresentationRequest.objects.get(pk=request_obj.pk).status == "submitted"


def test_no_transition_from_final_states(alex, staff):
    for status in ("declined", "withdrawn", "cancelled", "completed", "expired"):
        final = PresentationRequestFactory(status=status)
        for attempt in (
            lambda r: review.request_approve(request=r, by=staff, plan=plan_at(alex)),
            lambda r: review.request_decline(request=r, by=staff, reason="x"),
            lambda r: review.request_withdraw(request=r),
            lambda r: review.booking_cancel(request=r, by=staff, reason="x"),
            lambda r: review.booking_complete(request=r, by=staff, attendance=1),
        ):
            with pytest.raises(TransitionError):
                attempt(final)
    assert AuditEntry.objects.count() == 0


def test_proposal_accept_on_a_time_taken_since_does_not_name_the_other_booking(request_obj, alex, staff):
    times = [(days_ahead(35, 9), days_ahead(35, 10))]
    proposal = review.request_propose(request=request_obj, by=staff, times=times, lead_presenter=alex)
    shelter = PresentationRequestFactory(presentation=request_obj.presentation, organization_name="Safe House Shelter")
    review.request_approve(request=shelter, by=staff, plan=plan_at(alex, day=35, hour=9))

    with pytest.raises(BookingConflict) as conflict:
        review.proposal_accept(request=request_obj, proposed_time_id=proposal.times.get().pk)

    assert conflict.value.message == str(review.MSG_TIME_NO_LONGER_FREE)
    request_obj.refresh_from_db()
    assert request_obj.status == RequestStatus.SUBMITTED
