"""The suggestion rules: who staff are offered for a time, and why everyone else is not."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from outreach.enums import Format
from scheduling.models import Blackout, WeeklyHours
from scheduling.services import review
from scheduling.services.availability import Reason, presenter_fits, presenters_available_for
from scheduling.services.presenter_availability import (
    MSG_HOURS_END_BEFORE_START,
    MSG_LAST_DAY_BEFORE_FIRST,
    MSG_LAST_DAY_PASSED,
    MSG_MONTHLY_LIMIT,
    presenter_availability_set,
    presenter_time_off_add,
    presenter_time_off_remove,
)
from tests.factories import CENTRAL, LanguageFactory, PresentationRequestFactory, PresenterFactory

pytestmark = pytest.mark.django_db


def at(day: str, hour: int, minute: int = 0) -> datetime:
    """A Central-time moment on an ISO date."""
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=CENTRAL)


@pytest.fixture
def english(presentation):
    return presentation.languages.get(code="en")


@pytest.fixture
def talk(presentation, english):
    return PresentationRequestFactory(presentation=presentation, language=english, organization_name="Roosevelt")


@pytest.fixture
def ana(presentation, english):
    return PresenterFactory(name="Ana Lindqvist", presentations=[presentation], languages=[english])


def book(presenter, presentation, start: datetime, minutes: int = 60, fmt: str = Format.IN_PERSON):
    """Another request scheduled for ``presenter`` (through the lifecycle service)."""
    other = PresentationRequestFactory(presentation=presentation, format=fmt)
    # Whatever language the presenter speaks: staff may assign them anyway, with a reason.
    plan = review.Plan(
        start, start + timedelta(minutes=minutes), presenter, [], fmt, "Gym, 1 Main St", override_reason="Agreed"
    )
    return review.request_approve(request=other, by=None, plan=plan)


def fits_for(talk, start: datetime, minutes: int = 60) -> dict[str, tuple[Reason, ...]]:
    return {
        fit.presenter.name: fit.reasons
        for fit in presenter_fits(request=talk, start=start, end=start + timedelta(minutes=minutes))
    }


# --- Who is suggested and why not -------------------------------------------------------------


def test_a_free_qualified_presenter_without_limits_is_suggested_any_day(talk, ana):
    assert fits_for(talk, at("2027-03-13", 7)) == {"Ana Lindqvist": ()}


def test_a_presenter_not_trained_for_the_presentation_is_not_qualified(talk, ana, english):
    PresenterFactory(name="Ben Okafor", presentations=[], languages=[english])

    assert fits_for(talk, at("2027-03-15", 10))["Ben Okafor"] == (Reason.NOT_QUALIFIED,)


def test_a_presenter_who_does_not_speak_the_language_is_not_suggested(talk, presentation):
    PresenterFactory(
        name="Carla Ruiz", presentations=[presentation], languages=[LanguageFactory(code="so", name="Somali")]
    )

    assert fits_for(talk, at("2027-03-15", 10))["Carla Ruiz"] == (Reason.LANGUAGE,)


def test_time_off_that_day_keeps_a_presenter_out_and_the_next_day_is_free(talk, ana):
    presenter_time_off_add(presenter=ana, first_day=date(2027, 3, 15), last_day=date(2027, 3, 16), reason="Away")

    assert fits_for(talk, at("2027-03-16", 23))["Ana Lindqvist"] == (Reason.TIME_OFF,)
    assert fits_for(talk, at("2027-03-17", 0))["Ana Lindqvist"] == ()
    assert fits_for(talk, at("2027-03-14", 23))["Ana Lindqvist"] == ()


def test_a_program_closure_keeps_everyone_out(talk, ana):
    Blackout.objects.create(start=at("2027-03-15", 0), end=at("2027-03-16", 0), reason="Holiday")

    assert fits_for(talk, at("2027-03-15", 10)) == {"Ana Lindqvist": (Reason.PROGRAM_CLOSED,)}
    assert list(presenters_available_for(request=talk, start=at("2027-03-15", 10), end=at("2027-03-15", 11))) == []


def test_another_booking_or_its_travel_buffer_makes_a_presenter_booked(talk, ana, presentation):
    book(ana, presentation, at("2027-03-15", 10))

    assert fits_for(talk, at("2027-03-15", 10, 30))["Ana Lindqvist"] == (Reason.BOOKED,)
    assert fits_for(talk, at("2027-03-15", 11, 30))["Ana Lindqvist"] == (Reason.BOOKED,)  # within the 60 minutes
    assert fits_for(talk, at("2027-03-15", 12))["Ana Lindqvist"] == ()


def test_weekly_hours_suggest_only_within_them_on_their_days(talk, ana):
    WeeklyHours.objects.create(presenter=ana, weekday=0, start=time(9), end=time(12))  # Mondays

    inside = presenter_fits(request=talk, start=at("2027-03-15", 9), end=at("2027-03-15", 12))[0]
    late = presenter_fits(request=talk, start=at("2027-03-15", 11), end=at("2027-03-15", 12, 30))[0]
    tuesday = presenter_fits(request=talk, start=at("2027-03-16", 9), end=at("2027-03-16", 10))[0]

    assert (inside.reasons, inside.hours_that_day.start) == ((), time(9))
    assert (late.reasons, late.hours_that_day.end) == ((Reason.OUTSIDE_WEEKLY_HOURS,), time(12))
    assert (tuesday.reasons, tuesday.hours_that_day) == ((Reason.OUTSIDE_WEEKLY_HOURS,), None)


def test_weekly_hours_are_wall_clock_times_on_both_sides_of_daylight_saving(talk, ana):
    WeeklyHours.objects.create(presenter=ana, weekday=0, start=time(9), end=time(12))

    # Monday 10:00 Central is 16:00 UTC in winter and 15:00 UTC in summer: both are inside.
    winter = datetime(2027, 3, 8, 16, tzinfo=UTC)
    summer = datetime(2027, 3, 15, 15, tzinfo=UTC)
    summer_too_early = datetime(2027, 3, 15, 13, 30, tzinfo=UTC)  # 8:30 CDT

    assert fits_for(talk, winter)["Ana Lindqvist"] == ()
    assert fits_for(talk, summer)["Ana Lindqvist"] == ()
    assert fits_for(talk, summer_too_early)["Ana Lindqvist"] == (Reason.OUTSIDE_WEEKLY_HOURS,)


def test_monthly_limit_counts_talks_by_their_start_in_the_programs_month(talk, ana, presentation):
    ana.max_talks_per_month = 1
    ana.save()
    # 11:00 PM Central on January 31 is already February 1 in UTC: it is a January talk.
    book(ana, presentation, at("2027-01-31", 23), minutes=45, fmt=Format.VIRTUAL)

    january = presenter_fits(request=talk, start=at("2027-01-20", 10), end=at("2027-01-20", 11))[0]
    february = presenter_fits(request=talk, start=at("2027-02-10", 10), end=at("2027-02-10", 11))[0]

    assert (january.reasons, january.month_load) == ((Reason.MONTHLY_LIMIT,), 1)
    assert (february.reasons, february.month_load) == ((), 0)


def test_every_reason_is_given_at_once_in_a_fixed_order(talk, presentation):
    busy = PresenterFactory(name="Dee Busy", presentations=[], languages=[LanguageFactory(code="hmn", name="Hmong")])
    busy.max_talks_per_month = 1
    busy.save()
    busy.presentations.add(presentation)
    book(busy, presentation, at("2027-03-15", 10))
    busy.presentations.clear()
    WeeklyHours.objects.create(presenter=busy, weekday=1, start=time(9), end=time(12))
    presenter_time_off_add(presenter=busy, first_day=date(2027, 3, 15), last_day=date(2027, 3, 15))

    assert fits_for(talk, at("2027-03-15", 10))["Dee Busy"] == (
        Reason.NOT_QUALIFIED,
        Reason.LANGUAGE,
        Reason.TIME_OFF,
        Reason.BOOKED,
        Reason.OUTSIDE_WEEKLY_HOURS,
        Reason.MONTHLY_LIMIT,
    )


def test_suggested_come_first_least_booked_then_by_name_and_inactive_presenters_not_at_all(
    talk, ana, presentation, english
):
    zoe = PresenterFactory(name="Zoe Adams", presentations=[presentation], languages=[english])
    PresenterFactory(name="Bo Out", presentations=[], languages=[english])
    PresenterFactory(name="Ann Gone", presentations=[presentation], languages=[english], is_active=False)
    book(ana, presentation, at("2027-03-02", 10))

    fits = presenter_fits(request=talk, start=at("2027-03-15", 10), end=at("2027-03-15", 11))

    assert [(fit.presenter.name, fit.month_load, fit.suggested) for fit in fits] == [
        ("Zoe Adams", 0, True),
        ("Ana Lindqvist", 1, True),
        ("Bo Out", 0, False),
    ]
    suggested = presenters_available_for(request=talk, start=at("2027-03-15", 10), end=at("2027-03-15", 11))
    assert [(p.name, p.month_load) for p in suggested] == [(zoe.name, 0), ("Ana Lindqvist", 1)]


def test_the_api_suggestions_leave_out_presenters_outside_hours_or_at_their_limit(talk, ana, presentation, english):
    WeeklyHours.objects.create(presenter=ana, weekday=0, start=time(13), end=time(17))
    limited = PresenterFactory(name="Lim Ited", presentations=[presentation], languages=[english])
    presenter_availability_set(presenter=limited, weekly_hours={}, max_talks_per_month=1)
    book(limited, presentation, at("2027-03-01", 10))

    suggested = presenters_available_for(request=talk, start=at("2027-03-15", 10), end=at("2027-03-15", 11))

    assert list(suggested) == []


# --- What presenters set for themselves -----------------------------------------------------


def test_time_off_runs_from_the_first_days_midnight_to_the_end_of_the_last_day_stored_in_utc(ana):
    blackout = presenter_time_off_add(
        presenter=ana, first_day=date(2027, 3, 13), last_day=date(2027, 3, 14), reason="  Conference "
    )

    assert (blackout.start, blackout.end, blackout.reason) == (
        datetime(2027, 3, 13, 6, tzinfo=UTC),  # midnight CST
        datetime(2027, 3, 15, 5, tzinfo=UTC),  # midnight CDT, after the change
        "Conference",
    )


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        (date(2027, 3, 15), date(2027, 3, 14), str(MSG_LAST_DAY_BEFORE_FIRST)),
        (date(2020, 3, 1), date(2020, 3, 2), str(MSG_LAST_DAY_PASSED)),
        (date(2027, 1, 1), date(2028, 1, 2), "Give at most 366 days at once; add another period for more."),
    ],
)
def test_time_off_refuses_days_out_of_order_past_or_too_long_and_saves_nothing(ana, first, last, message):
    with pytest.raises(ValidationError) as refused:
        presenter_time_off_add(presenter=ana, first_day=first, last_day=last)

    assert refused.value.message_dict == {"last_day": [message]}
    assert Blackout.objects.count() == 0


def test_a_presenter_removes_only_their_own_time_off(ana, english):
    other = PresenterFactory(name="Ben Okafor", languages=[english])
    mine = presenter_time_off_add(presenter=ana, first_day=date(2027, 3, 1), last_day=date(2027, 3, 1))
    theirs = presenter_time_off_add(presenter=other, first_day=date(2027, 3, 1), last_day=date(2027, 3, 1))
    closure = Blackout.objects.create(start=at("2027-03-02", 0), end=at("2027-03-03", 0))

    assert presenter_time_off_remove(presenter=ana, blackout_id=theirs.pk) is False
    assert presenter_time_off_remove(presenter=ana, blackout_id=closure.pk) is False
    assert presenter_time_off_remove(presenter=ana, blackout_id=mine.pk) is True
    assert sorted(Blackout.objects.values_list("pk", flat=True)) == sorted([theirs.pk, closure.pk])


def test_weekly_hours_and_limit_replace_what_was_set(ana):
    WeeklyHours.objects.create(presenter=ana, weekday=4, start=time(8), end=time(9))

    presenter_availability_set(
        presenter=ana, weekly_hours={1: (time(9), time(12)), 3: (time(13), time(16, 30))}, max_talks_per_month=4
    )

    ana.refresh_from_db()
    assert ana.max_talks_per_month == 4
    assert [(h.weekday, h.start, h.end) for h in ana.weekly_hours.all()] == [
        (1, time(9), time(12)),
        (3, time(13), time(16, 30)),
    ]


def test_weekly_hours_refuse_an_end_before_the_start_or_a_limit_out_of_range_and_keep_what_was_there(ana):
    WeeklyHours.objects.create(presenter=ana, weekday=4, start=time(8), end=time(9))

    with pytest.raises(ValidationError) as refused:
        presenter_availability_set(presenter=ana, weekly_hours={2: (time(12), time(9))}, max_talks_per_month=0)

    assert refused.value.message_dict == {
        "end_2": [str(MSG_HOURS_END_BEFORE_START)],
        "max_talks_per_month": [MSG_MONTHLY_LIMIT % {"most": 60}],
    }
    assert [(h.weekday, h.start) for h in ana.weekly_hours.all()] == [(4, time(8))]
