"""A presenter's availability page (/my/availability/) and what staff then read on a request's page."""

import html
import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from scheduling.models import Blackout, WeeklyHours
from scheduling.services import review
from scheduling.views.presenter import MSG_HOURS_SAVED, MSG_TIME_OFF_ADDED, MSG_TIME_OFF_REMOVED
from tests.factories import CENTRAL, LanguageFactory, PresentationRequestFactory, PresenterFactory

pytestmark = pytest.mark.django_db

PAGE = "/my/availability/"


@pytest.fixture
def pat(presentation):
    return PresenterFactory(
        name="Pat Presenter",
        email="pat@example.org",
        presentations=[presentation],
        languages=[presentation.languages.get(code="en")],
    )


@pytest.fixture
def pat_client(django_user_model, pat) -> Client:
    user = django_user_model.objects.create_user("pat", "pat@example.org", "pw")
    pat.user = user
    pat.save()
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text)))


def error_of(response, field_id: str) -> str:
    match = re.search(rf'<small class="error" id="{field_id}_error">(.*?)</small>', response.text, re.S)
    assert match, f"no error shown next to {field_id}"
    return html.unescape(match.group(1))


def test_availability_needs_a_presenter_login(client, django_user_model):
    anonymous = client.get(PAGE)
    client.force_login(django_user_model.objects.create_user("visitor", "v@example.org", "pw"))
    not_a_presenter = client.get(PAGE)
    posted = client.post("/my/availability/time-off/", {"time_off-first_day": "2027-03-01"})

    assert (anonymous.status_code, anonymous.url) == (302, "/accounts/login/?next=/my/availability/")
    assert (not_a_presenter.status_code, posted.status_code) == (403, 403)
    assert Blackout.objects.count() == 0


def test_availability_page_names_the_time_zone_and_links_both_presenter_pages(pat_client):
    response = pat_client.get(PAGE)

    assert response.status_code == 200
    assert "Days and hours are Central time (America/Chicago)." in text_of(response)
    assert '<a href="/my/availability/" aria-current="page">My availability</a>' in response.text
    assert '<a href="/my/schedule/">My schedule</a>' in response.text
    assert '<label for="id_time_off-first_day">First day away <span class="required">(required)</span></label>' in (
        response.text
    )
    assert "You have no time off ahead." in response.text


def test_adding_time_off_saves_whole_days_and_lists_them(pat_client, pat):
    response = pat_client.post(
        "/my/availability/time-off/",
        {"time_off-first_day": "2027-03-13", "time_off-last_day": "2027-03-14", "time_off-reason": "Conference"},
        follow=True,
    )

    blackout = Blackout.objects.get()
    assert (blackout.presenter, blackout.start, blackout.end, blackout.reason) == (
        pat,
        datetime(2027, 3, 13, 6, tzinfo=UTC),
        datetime(2027, 3, 15, 5, tzinfo=UTC),
        "Conference",
    )
    assert response.redirect_chain == [(PAGE, 302)]
    page = text_of(response)
    assert str(MSG_TIME_OFF_ADDED) in page
    assert "Sat, Mar 13, 2027 – Sun, Mar 14, 2027 · Conference Remove time off Sat, Mar 13, 2027" in page


def test_time_off_with_the_last_day_first_comes_back_with_the_error_next_to_it(pat_client):
    response = pat_client.post(
        "/my/availability/time-off/", {"time_off-first_day": "2027-03-14", "time_off-last_day": "2027-03-13"}
    )

    assert response.status_code == 400
    assert error_of(response, "id_time_off-last_day") == "The last day must be the first day or after it."
    assert "<title>Error: My availability" in response.text
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus id="error-summary">' in response.text
    assert 'value="2027-03-14"' in response.text
    assert Blackout.objects.count() == 0


def test_time_off_without_dates_is_refused_with_each_field_marked(pat_client):
    response = pat_client.post("/my/availability/time-off/", {"time_off-first_day": "", "time_off-last_day": "x"})

    assert response.status_code == 400
    assert error_of(response, "id_time_off-first_day") == "This field is required."
    assert error_of(response, "id_time_off-last_day") == "Enter a valid date."


def test_removing_time_off_works_only_for_the_presenters_own(pat_client, pat, presentation):
    mine = Blackout.objects.create(
        presenter=pat,
        start=datetime(2027, 3, 1, 6, tzinfo=UTC),
        end=datetime(2027, 3, 2, 6, tzinfo=UTC),
    )
    other = PresenterFactory(name="Ben Okafor", languages=[presentation.languages.get(code="en")])
    theirs = Blackout.objects.create(presenter=other, start=mine.start, end=mine.end)
    closure = Blackout.objects.create(start=mine.start, end=mine.end, reason="Holiday")

    refused = [pat_client.post(f"/my/availability/time-off/{b.pk}/remove/").status_code for b in (theirs, closure)]
    page = pat_client.get(PAGE)
    removed = pat_client.post(f"/my/availability/time-off/{mine.pk}/remove/", follow=True)

    assert refused == [404, 404]
    assert "The program is closed: Mon, Mar 1, 2027 · Holiday" in text_of(page)
    assert str(MSG_TIME_OFF_REMOVED) in text_of(removed)
    assert set(Blackout.objects.values_list("pk", flat=True)) == {theirs.pk, closure.pk}


def hours_form(**days) -> dict:
    """The weekly-hours form as posted: ``days`` maps a weekday number to (from, until)."""
    data = {"hours-max_talks_per_month": ""}
    for weekday in range(7):
        start, end = days.get(f"d{weekday}", ("", ""))
        if f"d{weekday}" in days:
            data[f"hours-available_{weekday}"] = "on"
        data[f"hours-start_{weekday}"] = start
        data[f"hours-end_{weekday}"] = end
    return data


def test_weekly_hours_and_limit_are_saved_and_shown_again(pat_client, pat):
    data = {**hours_form(d1=("09:00", "12:00"), d3=("13:00", "16:30")), "hours-max_talks_per_month": "4"}
    data["hours-start_5"] = "10:00"  # Saturday not ticked: ignored

    response = pat_client.post("/my/availability/hours/", data, follow=True)

    pat.refresh_from_db()
    assert pat.max_talks_per_month == 4
    assert [(h.weekday, h.start, h.end) for h in pat.weekly_hours.all()] == [
        (1, time(9), time(12)),
        (3, time(13), time(16, 30)),
    ]
    assert str(MSG_HOURS_SAVED) in text_of(response)
    assert 'name="hours-available_1" id="id_hours-available_1" checked' in response.text
    assert 'name="hours-start_1" value="09:00"' in response.text
    assert 'name="hours-max_talks_per_month" value="4"' in response.text
    assert 'name="hours-available_5" id="id_hours-available_5">' in response.text


def test_a_ticked_day_without_hours_or_ending_before_it_starts_is_refused_next_to_the_field(pat_client, pat):
    WeeklyHours.objects.create(presenter=pat, weekday=4, start=time(8), end=time(9))

    missing = pat_client.post("/my/availability/hours/", hours_form(d1=("09:00", "")))
    backwards = pat_client.post("/my/availability/hours/", hours_form(d2=("12:00", "09:00")))
    limit = pat_client.post("/my/availability/hours/", {**hours_form(), "hours-max_talks_per_month": "0"})

    assert (missing.status_code, backwards.status_code, limit.status_code) == (400, 400, 400)
    assert error_of(missing, "id_hours-end_1") == "Give the time you start and the time you finish, or untick the day."
    assert "Tuesday, until: Give the time you start" in text_of(missing)
    assert error_of(backwards, "id_hours-end_2") == "The end must be after the start."
    assert error_of(limit, "id_hours-max_talks_per_month") == (
        "Enter a whole number from 1 to 60, or leave it empty for no limit."
    )
    assert [(h.weekday, h.start) for h in pat.weekly_hours.all()] == [(4, time(8))]


# --- What staff see -----------------------------------------------------------------------------


def test_staff_request_page_says_why_each_presenter_is_not_suggested(client, django_user_model, presentation, pat):
    english = presentation.languages.get(code="en")
    staff = django_user_model.objects.create_user("sam", "sam@example.org", "pw", is_staff=True)
    client.force_login(staff)
    start = datetime(2027, 3, 16, 10, tzinfo=CENTRAL)  # a Tuesday
    talk = PresentationRequestFactory(presentation=presentation, language=english, windows=[])
    talk.windows.create(position=1, start=start, end=start + timedelta(hours=1))

    away = PresenterFactory(name="Ada Away", presentations=[presentation], languages=[english])
    Blackout.objects.create(presenter=away, start=start - timedelta(hours=10), end=start + timedelta(hours=14))
    full = PresenterFactory(name="Fay Full", presentations=[presentation], languages=[english])
    full.max_talks_per_month = 1
    full.save()
    other = PresentationRequestFactory(presentation=presentation)
    review.request_approve(
        request=other,
        by=staff,
        plan=review.Plan(start + timedelta(days=3), start + timedelta(days=3, hours=1), full, [], "in_person", "Gym"),
    )
    mornings = PresenterFactory(name="Mo Mornings", presentations=[presentation], languages=[english])
    WeeklyHours.objects.create(presenter=mornings, weekday=1, start=time(8), end=time(10))
    weekends = PresenterFactory(name="Wes Weekends", presentations=[presentation], languages=[english])
    WeeklyHours.objects.create(presenter=weekends, weekday=5, start=time(8), end=time(18))
    PresenterFactory(name="Nia New", presentations=[], languages=[english])
    PresenterFactory(
        name="Sol Somali", presentations=[presentation], languages=[LanguageFactory(code="so", name="Somali")]
    )

    response = client.get(f"/staff/requests/{talk.pk}/")

    suggested = re.search(r'<ul class="plain suggested">(.*?)</ul>', response.text, re.S).group(1)
    others = re.search(r'<ul class="plain not-suggested">(.*?)</ul>', response.text, re.S).group(1)
    assert re.findall(r"<li>([^<]+) <small>", suggested) == ["Pat Presenter"]
    assert [html.unescape(item) for item in re.findall(r"<li>([^<]+)</li>", others)] == [
        "Ada Away: off that day",
        "Fay Full: at monthly limit (1)",
        "Mo Mornings: outside weekly hours (Tuesdays 8:00 AM–10:00 AM)",
        "Nia New: not qualified",
        "Sol Somali: language (does not present in English)",
        "Wes Weekends: outside weekly hours (none on Tuesdays)",
    ]
    assert "6 presenters not suggested" in response.text


def test_staff_request_page_query_count_does_not_grow_with_presenters(client, django_user_model, presentation):
    english = presentation.languages.get(code="en")
    client.force_login(django_user_model.objects.create_user("sam", "sam@example.org", "pw", is_staff=True))
    talk = PresentationRequestFactory(presentation=presentation, language=english)
    counts = []
    for batch in (2, 6):
        for _ in range(batch):
            presenter = PresenterFactory(presentations=[presentation], languages=[english])
            WeeklyHours.objects.create(presenter=presenter, weekday=0, start=time(8), end=time(9))
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/staff/requests/{talk.pk}/")
        counts.append(len(captured))

    assert counts[0] == counts[1]
