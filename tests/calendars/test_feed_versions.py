"""Every field a feed shows moves its ETag and its text: the data versions cannot forget one.

Each case changes one thing the way staff or the admin would (a model save, an m2m change, a
lifecycle service), then fetches the feed with the old ETag: the answer must be 200, a new
ETag, and the new text.
"""

from datetime import UTC, timedelta

import pytest
from django.db import transaction

from outreach.models import Audience, Language
from scheduling.services.review import booking_cancel
from tests.calendars.test_feeds import body_of, presenter_url, schedule, staff_url, unfolded
from tests.changes import reschedule, save_with
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

PUBLIC_URL = "/calendar/public.ics"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("coordinator", "coordinator@outreach.test", "pw", is_staff=True)


@pytest.fixture
def booked(staff, presentation):
    lead = PresenterFactory(name="Ruth Amundsen", presentations=[presentation])
    co = PresenterFactory(name="Tomasz Wieczorek", presentations=[presentation])
    booking = schedule(
        by=staff,
        presenter=lead,
        co_presenters=(co,),
        start=days_ahead(40, 10),
        location="Fellowship Hall",
        organization_name="Northfield Community Church",
        may_list_publicly=True,
        city="Northfield",
    )
    return {"booking": booking, "lead": lead, "co": co, "staff": staff}


# (feed, what is changed, how, the text the feed shows afterwards)
CHANGES = {
    "presentation title": (
        "public",
        lambda b: save_with(b["booking"].request.presentation, title_en="Safe Harbor, revised"),
        "Safe Harbor, revised",
    ),
    "presentation summary": (
        "public",
        lambda b: save_with(b["booking"].request.presentation, summary_en="A new summary for the catalog."),
        "A new summary for the catalog.",
    ),
    "organization name": (
        "public",
        lambda b: save_with(b["booking"].request, organization_name="Northfield Community Church of Christ"),
        "Northfield Community Church of Christ",
    ),
    "venue of an event open to the public": (
        "public",
        lambda b: save_with(b["booking"].request, is_open_to_public=True, venue="Northfield Public Library"),
        "LOCATION:Northfield Public Library",
    ),
    "start and end": (
        "public",
        lambda b: reschedule(b, start=days_ahead(45, 13), end=days_ahead(45, 14)),
        "DTSTART:" + days_ahead(45, 13).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"),
    ),
    "cancellation": (
        "public",
        lambda b: booking_cancel(request=b["booking"].request, by=b["staff"], reason="Snow"),
        "STATUS:CANCELLED",
    ),
    "venue": ("staff", lambda b: reschedule(b, location="Northfield Library, Room 2"), "Northfield Library, Room 2"),
    "co-presenter's name": ("presenter", lambda b: save_with(b["co"], name="Tomasz Wieczorek-Lind"), "Wieczorek-Lind"),
    "lead presenter's name": ("staff", lambda b: save_with(b["lead"], name="Ruth Amundsen-Berg"), "Amundsen-Berg"),
    "co-presenters": (
        "staff",
        lambda b: b["booking"].co_presenters.add(PresenterFactory(name="Ilhan Farah")),
        "Ilhan Farah",
    ),
    "audience's name": (
        "staff",
        lambda b: save_with(
            Audience.objects.get(pk=b["booking"].request.audience_id), name_en="Teachers and school staff"
        ),
        "Teachers and school staff",
    ),
    "language's name": (
        "presenter",
        lambda b: save_with(Language.objects.get(pk=b["booking"].request.language_id), name_en="American English"),
        "American English",
    ),
    "contact": ("staff", lambda b: save_with(b["booking"].request, contact_phone="+1 507-555-0199"), "+1 507-555-0199"),
    "notes": ("presenter", lambda b: save_with(b["booking"].request, notes="Use the side door"), "Use the side door"),
    "audience size": ("staff", lambda b: save_with(b["booking"].request, audience_size=120), "about 120 people"),
    "tentative window": (
        "tentative",
        lambda b: save_with(b["pending"].windows.get(position=1), start=days_ahead(33, 8), end=days_ahead(33, 9)),
        "Pending request",
    ),
}


def _url(feed: str, booked) -> str:
    if feed == "public":
        return PUBLIC_URL
    if feed == "presenter":
        return presenter_url(booked["co"])
    return staff_url(booked["staff"]) + ("?tentative=1" if feed == "tentative" else "")


@pytest.mark.parametrize("change", list(CHANGES))
def test_feed_etag_and_text_follow_each_field_it_shows(client, booked, presentation, change):
    feed, apply, shown = CHANGES[change]
    if feed == "tentative":
        booked["pending"] = PresentationRequestFactory(presentation=presentation)
    url = _url(feed, booked)
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    apply(booked)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert again.content != first.content
    assert shown in unfolded(body_of(again))
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_withdrawn_consent_takes_the_event_out_of_the_public_feed(client, booked):
    first = client.get(PUBLIC_URL)

    save_with(booked["booking"].request, may_list_publicly=False)
    again = client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert booked["booking"].uid in unfolded(body_of(first))
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "BEGIN:VEVENT" not in body_of(again)


def test_a_rolled_back_change_keeps_the_etag(client, booked):
    first = client.get(PUBLIC_URL)
    request = booked["booking"].request

    with pytest.raises(RuntimeError), transaction.atomic():
        save_with(request, organization_name="Never saved")
        raise RuntimeError

    assert client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_feed_etag_differs_by_language(client, booked):
    english = client.get(PUBLIC_URL, HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.get(PUBLIC_URL, HTTP_ACCEPT_LANGUAGE="es")

    assert english["ETag"] != spanish["ETag"]
    assert english.content != spanish.content
    assert client.get(PUBLIC_URL, HTTP_ACCEPT_LANGUAGE="es", HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 200


def test_time_alone_moves_an_ended_event_out(client, booked):
    booking = booked["booking"]
    first = client.get(PUBLIC_URL)

    with pytest.MonkeyPatch.context() as patch:
        moment = booking.end + timedelta(seconds=1)
        patch.setattr("django.utils.timezone.now", lambda: moment)
        again = client.get(PUBLIC_URL, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert booking.uid not in unfolded(body_of(again))
