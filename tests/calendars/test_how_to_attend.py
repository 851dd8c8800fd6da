"""How the public attends a listed talk open to the public (a registration link, or open to all):
on /events/, in the public feed's event and in /api/v1/events/; never for a talk without consent."""

import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from common.versions import SCHEDULE, versions_current
from scheduling.services import review
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

SIGN_UP = "https://library.example.org/events/42?ref=outreach&lang=en"


@pytest.fixture
def book(presentation, staff_user):
    presenter = PresenterFactory(presentations=[presentation])
    days = iter(range(40, 70))

    def run(organization: str, **fields):
        request = PresentationRequestFactory(presentation=presentation, organization_name=organization, **fields)
        start = days_ahead(next(days), 10)
        plan = review.Plan(start, start + timedelta(hours=1), presenter, [], "in_person", "Room 2")
        review.request_approve(request=request, by=staff_user, plan=plan)
        request.refresh_from_db()
        return request

    return run


PUBLIC = {"is_open_to_public": True, "may_list_publicly": True, "venue": "Northfield Public Library"}


def page_text(client) -> str:
    content = client.get("/events/").content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", content).split())


def feed_descriptions(client) -> dict[str, str]:
    calendar = Calendar.from_ical(b"".join(client.get("/calendar/public.ics")))
    return {str(event["SUMMARY"]).split(" – ")[1]: str(event["DESCRIPTION"]) for event in calendar.walk("VEVENT")}


def api_events(client) -> dict[str, dict]:
    return {event["organization"]: event for event in client.get("/api/v1/events/").json()["results"]}


def test_a_registration_link_is_shown_on_events_in_the_feed_and_the_api(client, book):
    book("Carleton Library Friends", **PUBLIC, registration_url=SIGN_UP)

    content = client.get("/events/").content.decode()
    event = api_events(client)["Carleton Library Friends"]

    assert (
        f'<br><a href="{SIGN_UP.replace("&", "&amp;")}" rel="nofollow noopener noreferrer">Register'
        f'<span class="visually-hidden">: Recognizing and Responding: Schools</span></a>'
    ) in content
    assert feed_descriptions(client)["Carleton Library Friends"].splitlines()[-1] == f"Register: {SIGN_UP}"
    assert (event["registration_url"], event["no_registration_needed"]) == (SIGN_UP, False)


def test_open_to_all_is_shown_on_events_in_the_feed_and_the_api(client, book):
    book("Carleton Library Friends", **PUBLIC, no_registration_needed=True)

    event = api_events(client)["Carleton Library Friends"]

    assert "Carleton Library Friends · open to the public Open to all, no registration needed" in page_text(client)
    assert feed_descriptions(client)["Carleton Library Friends"].splitlines()[-2:] == [
        "Open to the public.",
        "Open to all, no registration needed.",
    ]
    assert (event["registration_url"], event["no_registration_needed"]) == ("", True)


def test_without_consent_to_a_listing_nothing_of_it_is_shown(client, book):
    book("Cannon Valley Shelter", is_open_to_public=True, venue="Basement", registration_url=SIGN_UP)

    content = client.get("/events/").content.decode()

    assert "Cannon Valley Shelter" not in content
    assert "library.example.org" not in content
    assert "library.example.org" not in b"".join(client.get("/calendar/public.ics")).decode()
    assert api_events(client) == {}


def test_a_listed_talk_not_open_to_the_public_shows_no_way_to_attend(client, book):
    book("Rice County Social Services", may_list_publicly=True, registration_url=SIGN_UP, no_registration_needed=False)

    event = api_events(client)["Rice County Social Services"]

    assert "Rice County Social Services Not open to the public" in page_text(client)
    assert "library.example.org" not in client.get("/events/").content.decode()
    assert "Register" not in feed_descriptions(client)["Rice County Social Services"]
    assert (event["registration_url"], event["no_registration_needed"]) == ("", False)


def test_changing_the_registration_link_changes_events_and_the_data_version(client, book):
    request = book("Carleton Library Friends", **PUBLIC, registration_url=SIGN_UP)
    before = client.get("/events/").content.decode()
    version = versions_current([SCHEDULE])

    request.registration_url = "https://tickets.example.org/northfield"
    request.save()
    after = client.get("/events/").content.decode()

    assert 'href="https://library.example.org/events/42' in before
    assert versions_current([SCHEDULE]) != version
    assert 'href="https://tickets.example.org/northfield"' in after
    assert "library.example.org" not in after
