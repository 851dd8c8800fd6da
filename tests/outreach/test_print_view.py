"""The printable sheet of a scheduled presentation: the reference, the time with its time zone, the
place, the presenters and the program's contact, without the site's menus or any form."""

import html
import re

import pytest

from outreach.enums import Format
from scheduling.services import review
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead
from tests.outreach.test_status_page import schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(settings):
    settings.PROGRAM_CONTACT_EMAIL = "outreach@program.test"
    settings.PROGRAM_CONTACT_PHONE = "651-555-0100"
    settings.PROGRAM_CONTACT_HOURS = "Monday to Friday, 9 AM to 5 PM"


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("sam", "sam@example.org", "pw", is_staff=True)


@pytest.fixture
def submitted(presentation):
    return PresentationRequestFactory(presentation=presentation, organization_name="Roosevelt High School")


@pytest.fixture
def lead(presentation):
    return PresenterFactory(name="Ana Lindqvist", presentations=[presentation])


def details(text: str) -> dict[str, str]:
    """The print sheet's terms and answers, as text."""
    sheet = re.search(r'<dl class="details booking-sheet">(.*?)</dl>', text, re.S).group(1)
    pairs = re.findall(r"<dt>(.*?)</dt><dd[^>]*>(.*?)</dd>", sheet, re.S)
    return {term: re.sub(r"<[^>]+>", "", answer).strip() for term, answer in pairs}


def test_print_sheet_shows_reference_time_place_presenters_and_contact(client, submitted, lead, staff_user, contact):
    co = PresenterFactory(name="Ben Okafor", presentations=[submitted.presentation])
    schedule(submitted, lead, staff_user, co_presenters=[co])

    response = client.get(f"/requests/{submitted.token}/print/")

    text = html.unescape(response.text)
    day = days_ahead(30)
    assert response.status_code == 200
    assert details(text) == {
        "Reference": submitted.reference,
        "Organization": "Roosevelt High School",
        "When": f"{day:%A, %B} {day.day}, {day.year}, 10:00 AM – 11:00 AM (Central time)",
        "Format": "In person",
        "Where": "Room 4, 100 Division St S, Northfield",
        "Presenters": "Ana Lindqvist, Ben Okafor",
    }
    assert '<a href="mailto:outreach@program.test">outreach@program.test</a>' in text
    assert '<a href="tel:6515550100">651-555-0100</a>' in text
    assert "Hours: Monday to Friday, 9 AM to 5 PM" in text
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_print_sheet_has_no_navigation_and_no_form(client, submitted, lead, staff_user, contact):
    schedule(submitted, lead, staff_user)
    client.force_login(staff_user)  # signed in, the site's menu would carry a sign-out form

    response = client.get(f"/requests/{submitted.token}/print/")

    assert response.status_code == 200
    assert (response.text.count("<nav"), response.text.count("<form"), response.text.count("<details")) == (0, 0, 0)
    assert 'class="site-header"' not in response.text
    assert 'class="site-footer"' not in response.text


def test_print_sheet_of_virtual_presentation_says_online_with_its_link(client, presentation, lead, staff_user):
    request = PresentationRequestFactory(presentation=presentation, format=Format.VIRTUAL, virtual_platform="Zoom")
    plan = review.Plan(
        start=days_ahead(30, 10),
        end=days_ahead(30, 11),
        lead_presenter=lead,
        co_presenters=[],
        format=Format.VIRTUAL,
        location="",
        virtual_link="https://zoom.example/j/123",
    )
    review.request_approve(request=request, by=staff_user, plan=plan)

    response = client.get(f"/requests/{request.token}/print/")

    sheet = details(html.unescape(response.text))
    assert (sheet["Format"], sheet["Where"], sheet["Link"], sheet["Presenter"]) == (
        "Virtual",
        "Online",
        "https://zoom.example/j/123",
        "Ana Lindqvist",
    )


def test_status_page_of_scheduled_request_links_to_print_sheet(client, submitted, lead, staff_user):
    schedule(submitted, lead, staff_user)

    response = client.get(f"/requests/{submitted.token}/")

    assert (
        f'<p class="no-print"><a href="/requests/{submitted.token}/print/">Print this booking</a></p>' in response.text
    )


def test_status_page_of_submitted_request_has_no_print_link(client, submitted):
    response = client.get(f"/requests/{submitted.token}/")

    assert response.status_code == 200
    assert "/print/" not in response.text


def test_print_sheet_without_a_scheduled_booking_goes_back_to_status_page(client, submitted):
    response = client.get(f"/requests/{submitted.token}/print/")

    assert (response.status_code, response["Location"]) == (302, f"/requests/{submitted.token}/")


def test_print_sheet_of_unknown_link_is_404(client):
    response = client.get("/requests/" + "x" * 43 + "/print/")

    assert response.status_code == 404
