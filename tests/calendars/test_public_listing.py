"""What the public sees of a booking: only one listed with its requester's consent, and only the
venue they gave (or "Online"), on /events/, /calendar/public.ics and /api/v1/events/ alike.

The requests go in through the real form and the real API; the public side is read as a visitor
reads it: the page's text, the feed parsed by icalendar, the API's JSON.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from outreach.api.examples import REQUEST
from outreach.models import PresentationRequest
from outreach.services import MSG_VENUE_REQUIRED
from scheduling.services.review import Plan, request_approve
from tests.factories import PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

VENUE = "Northfield Public Library, 210 Washington St"
MAILING = {"street_address": "4 Hidden Lane", "city": "Nerstrand", "zip_code": "55053"}


def submit(client, presentation, data):
    return client.post(
        reverse("outreach:request_create", kwargs={"slug": presentation.slug}), {**data, "step": "confirm"}
    )


@pytest.fixture
def approve(django_user_model, presentation):
    staff = django_user_model.objects.create_user("lee", "lee@outreach.test", "pw", is_staff=True)
    presenter = PresenterFactory(presentations=[presentation])
    days = iter(range(40, 70))

    def run(organization: str, *, fmt: str = "in_person"):
        request = PresentationRequest.objects.get(organization_name=organization)
        start = days_ahead(next(days), 10)
        plan = Plan(
            start, start + timedelta(hours=1), presenter, [], fmt, "Room 2, the venue" if fmt == "in_person" else ""
        )
        return request_approve(request=request, by=staff, plan=plan)

    return run


@pytest.fixture
def listed(client, presentation, form_data, approve):
    """Four requests sent through the form, then scheduled: each answer to the consent question."""
    answers = {
        "Carleton Library Friends": {"is_open_to_public": "on", "may_list_publicly": "on", "venue": VENUE},
        "Rice County Social Services": {"may_list_publicly": "on"},
        "Cannon Valley Shelter": {"is_open_to_public": "on", "venue": "Shelter basement"},
        "Online Parents Group": {"format": "virtual", "virtual_platform": "Zoom", "may_list_publicly": "on"},
    }
    for organization, answer in answers.items():
        data = {**form_data, **MAILING, "organization_name": organization, **answer}
        response = submit(client, presentation, data)
        assert response.status_code == 302, response.content.decode()
    return {name: approve(name, fmt="virtual" if name.startswith("Online") else "in_person") for name in answers}


def test_events_page_shows_only_consenting_bookings_with_their_venue(client, listed):
    page = client.get("/events/")

    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert page.status_code == 200
    assert "Carleton Library Friends · open to the public " + VENUE in text
    assert "Rice County Social Services Not open to the public" in text
    assert "Online Parents Group Online" in text
    for hidden in ("Cannon Valley Shelter", "Shelter basement", "Nerstrand", "4 Hidden Lane", "Private presentation"):
        assert hidden not in text


def test_public_feed_shows_only_consenting_bookings_with_their_venue(client, listed):
    body = b"".join(client.get("/calendar/public.ics")).decode()

    events = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    library, county, shelter, online = (listed[k] for k in listed)
    assert set(events) == {library.uid, county.uid, online.uid}
    assert str(events[library.uid]["LOCATION"]) == VENUE
    assert "LOCATION" not in events[county.uid]
    assert str(events[online.uid]["LOCATION"]) == "Online"
    assert str(events[online.uid]["SUMMARY"]).endswith("– Online Parents Group")
    assert shelter.uid not in body and "Nerstrand" not in body and "Cannon Valley" not in body


def test_public_api_lists_only_consenting_bookings_with_their_venue(client, listed):
    response = client.get("/api/v1/events/")

    rows = response.json()["results"]
    library, county, _shelter, online = (listed[k] for k in listed)
    assert response.status_code == 200
    assert [(row["uid"], row["organization"], row["place"], row["open_to_public"]) for row in rows] == [
        (library.uid, "Carleton Library Friends", VENUE, True),
        (county.uid, "Rice County Social Services", "", False),
        (online.uid, "Online Parents Group", "Online", False),
    ]
    assert "Nerstrand" not in response.content.decode() and "Cannon Valley" not in response.content.decode()


def test_request_form_says_plainly_what_a_public_listing_shows(client, presentation):
    page = client.get(reverse("outreach:request_create", kwargs={"slug": presentation.slug})).content.decode()

    assert "List this presentation on our public events page and calendar" in page
    assert (
        "If you tick this, anyone can see the presentation&#x27;s title, date and time, your organization&#x27;s "
        "name and where it takes place: the venue above for an event open to the public, “Online” for a virtual "
        "one. Your address and contact details are never shown. Leave it unticked and the presentation is not "
        "shown publicly at all."
    ) in page


def test_listed_public_event_in_person_needs_a_venue(client, presentation, form_data):
    data = {**form_data, "is_open_to_public": "on", "may_list_publicly": "on", "venue": "  "}

    response = submit(client, presentation, data)

    assert response.status_code == 400
    assert str(MSG_VENUE_REQUIRED) in response.content.decode()
    assert not PresentationRequest.objects.exists()


def test_api_listed_public_event_in_person_needs_a_venue(client, presentation, form_data):
    body = {**REQUEST, "presentation": presentation.slug, "is_open_to_public": True, "may_list_publicly": True}
    body["windows"] = [{"start": days_ahead(30, 10).isoformat(), "end": days_ahead(30, 11).isoformat()}]

    response = client.post("/api/v1/requests/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["fields"]["venue"] == [str(MSG_VENUE_REQUIRED)]
