"""PostgreSQL's exclusion constraints: the database itself refuses double-booking, even under races."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from outreach.enums import Format
from scheduling.models import Booking, BusyInterval, Presenter
from scheduling.services import review
from scheduling.services.availability import BookingConflict
from scheduling.services.review import Plan
from tests.factories import LanguageFactory, PresentationRequestFactory, days_ahead

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def presenter(db):
    presenter = Presenter.objects.create(name="Alex Rivera", email="alex@presenters.test")
    presenter.languages.add(LanguageFactory())
    return presenter


def booking_for(presenter, start, minutes=60, fmt=Format.IN_PERSON) -> Booking:
    """A booking written straight to the database, with no service check in the way."""
    request = PresentationRequestFactory(status="scheduled")
    return Booking.objects.create(
        request=request, start=start, end=start + timedelta(minutes=minutes), format=fmt, lead_presenter=presenter
    )


def occupy(booking, presenter, kind, start, end):
    with transaction.atomic():
        BusyInterval.objects.create(booking=booking, presenter=presenter, kind=kind, start=start, end=end)


@pytest.mark.django_db
def test_constraint_refuses_overlapping_presenting_time(presenter):
    first = booking_for(presenter, days_ahead(30, 10))
    second = booking_for(presenter, days_ahead(30, 10, 30))
    occupy(first, presenter, "presenting", first.start, first.end)

    with pytest.raises(IntegrityError, match="busy_presenting_no_overlap"):
        occupy(second, presenter, "presenting", second.start, second.end)


@pytest.mark.django_db
def test_constraint_refuses_booking_inside_travel_buffer(presenter):
    first = booking_for(presenter, days_ahead(30, 10))  # in person 10:00-11:00, travel 9:00-12:00
    occupy(first, presenter, "presenting", first.start, first.end)
    occupy(first, presenter, "travel", first.start - timedelta(hours=1), first.end + timedelta(hours=1))
    virtual = booking_for(presenter, days_ahead(30, 11, 30), fmt=Format.VIRTUAL)

    with pytest.raises(IntegrityError, match="busy_travel_buffer"):
        occupy(virtual, presenter, "presenting", virtual.start, virtual.end)


@pytest.mark.django_db
def test_constraint_allows_back_to_back_outside_the_buffer(presenter):
    first = booking_for(presenter, days_ahead(30, 10))
    occupy(first, presenter, "presenting", first.start, first.end)
    occupy(first, presenter, "travel", first.start - timedelta(hours=1), first.end + timedelta(hours=1))
    second = booking_for(presenter, days_ahead(30, 12))  # in person 12:00-13:00: exactly one buffer later
    occupy(second, presenter, "presenting", second.start, second.end)
    occupy(second, presenter, "travel", second.start - timedelta(hours=1), second.end + timedelta(hours=1))
    third = booking_for(presenter, days_ahead(30, 14), fmt=Format.VIRTUAL)  # right after the travel buffer
    occupy(third, presenter, "presenting", third.start, third.end)
    fourth = booking_for(presenter, days_ahead(30, 15), fmt=Format.VIRTUAL)  # virtual back to back with virtual
    occupy(fourth, presenter, "presenting", fourth.start, fourth.end)

    assert BusyInterval.objects.filter(presenter=presenter).count() == 6


@pytest.mark.django_db
def test_cancelled_booking_no_longer_blocks_the_time(presenter, django_user_model):
    staff = django_user_model.objects.create_user("sam", is_staff=True)
    first = PresentationRequestFactory()
    presenter.presentations.add(first.presentation)
    plan = Plan(days_ahead(30, 10), days_ahead(30, 11), presenter, location="Room 1")
    review.request_approve(request=first, by=staff, plan=plan)
    review.booking_cancel(request=first, by=staff, reason="Closed")
    second = PresentationRequestFactory(presentation=first.presentation)

    booking = review.request_approve(request=second, by=staff, plan=plan)

    assert Booking.objects.filter(cancelled_at__isnull=True).get() == booking


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_approvals_end_with_exactly_one_booking(presenter, django_user_model):
    staff = django_user_model.objects.create_user("sam", is_staff=True)
    requests = [PresentationRequestFactory() for _ in range(8)]
    for r in requests:
        presenter.presentations.add(r.presentation)
    start = days_ahead(30, 10)
    barrier = threading.Barrier(8, timeout=30)
    outcomes: dict[str, object] = {}

    def approve(index: int) -> None:
        try:
            barrier.wait()
            plan = Plan(
                start + timedelta(minutes=index), start + timedelta(minutes=60 + index), presenter, location="Hall"
            )
            review.request_approve(request=requests[index], by=staff, plan=plan)
            outcomes[requests[index].reference] = "scheduled"
        except BookingConflict as conflict:
            outcomes[requests[index].reference] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [ref for ref, outcome in outcomes.items() if outcome == "scheduled"]
    losers = [outcome for outcome in outcomes.values() if isinstance(outcome, BookingConflict)]
    assert (len(outcomes), len(winners), len(losers)) == (8, 1, 7)
    for conflict in losers:
        assert conflict.message.startswith(f"Alex Rivera is already booked for {winners[0]} (")
    assert Booking.objects.filter(cancelled_at__isnull=True).count() == 1
    assert BusyInterval.objects.filter(kind="presenting").count() == 1
    assert sorted(r.status for r in type(requests[0]).objects.all()) == ["scheduled"] + ["submitted"] * 7
