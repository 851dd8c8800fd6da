"""Adding or changing the optional details after sending the request: on the status page until the
talk is confirmed, then a message that says to contact the program; staff see every change."""

import html
import re
from datetime import timedelta

import pytest
from django.test import override_settings

from outreach.services import (
    MSG_DETAILS_CLOSED,
    MSG_DETAILS_CONFIRMED,
    MSG_REGISTRATION_URL,
    MSG_VENUE_REQUIRED,
    DetailsLocked,
    request_details_update,
)
from outreach.views import MSG_DETAILS_SAVED
from scheduling.models import AuditEntry
from scheduling.services import review
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

DETAILS = {
    "accessibility_needs": "An ASL interpreter for two participants.",
    "av_available": "on",
    "is_open_to_public": "on",
    "venue": "Northfield Public Library, 210 Washington St",
    "may_list_publicly": "on",
    "registration_url": "https://library.example.org/events/42",
    "notes": "Parking behind the building.",
    "referral_source": "",
}


@pytest.fixture
def submitted(presentation):
    return PresentationRequestFactory(presentation=presentation, organization_name="Carleton Library Friends")


@pytest.fixture
def scheduled(submitted, presentation, staff_user):
    start = days_ahead(30, 10)
    plan = review.Plan(
        start, start + timedelta(hours=1), PresenterFactory(presentations=[presentation]), [], "in_person", "Room 4"
    )
    review.request_approve(request=submitted, by=staff_user, plan=plan)
    submitted.refresh_from_db()
    return submitted


def page(request) -> str:
    return f"/requests/{request.token}/"


def text_of(content: str, element_id: str) -> str:
    inner = re.search(rf'id="{element_id}"[^>]*>(.*?)</', content, re.S).group(1)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", inner).split()))


def test_a_request_waiting_for_a_decision_offers_the_details_form_with_the_answers_given(client, presentation):
    request = PresentationRequestFactory(presentation=presentation, notes="Side door is open.")

    content = client.get(page(request)).text

    assert '<h2 id="h-add-details">Add or change details</h2>' in content
    assert f'action="/requests/{request.token}/details/"' in content
    assert re.search(r'<textarea name="notes"[^>]*>\s*Side door is open.</textarea>', content)


def test_saving_details_changes_the_request_and_staff_see_it(client, staff_client, submitted):
    answer = client.post(page(submitted) + "details/", DETAILS, follow=True)

    submitted.refresh_from_db()
    assert answer.redirect_chain == [(page(submitted), 302)]
    assert str(MSG_DETAILS_SAVED) in html.unescape(answer.text)
    assert (submitted.registration_url, submitted.venue, submitted.av_available) == (
        "https://library.example.org/events/42",
        "Northfield Public Library, 210 Washington St",
        True,
    )
    entry = AuditEntry.objects.get(request=submitted, action="details_update")
    assert (entry.actor, entry.from_status, entry.to_status) == ("requester", "submitted", "submitted")
    assert entry.note == (
        "Changed by the requester: accessibility or interpreter needs, projector and screen available, "
        "open to the public, may be listed publicly, venue, registration link, notes."
    )
    staff_page = staff_client.get(submitted.get_staff_url()).text
    assert text_of(staff_page, "how-to-attend") == "https://library.example.org/events/42"
    assert "Parking behind the building." in staff_page
    assert "Changed by the requester: accessibility or interpreter needs" in staff_page


def test_saving_the_same_details_again_records_nothing(client, submitted):
    client.post(page(submitted) + "details/", DETAILS)
    client.post(page(submitted) + "details/", DETAILS)

    assert AuditEntry.objects.filter(request=submitted, action="details_update").count() == 1


def test_a_bad_registration_link_is_refused_next_to_it_and_what_was_typed_is_kept(client, submitted):
    answer = client.post(page(submitted) + "details/", {**DETAILS, "registration_url": "library.example.org/signup"})

    submitted.refresh_from_db()
    assert answer.status_code == 400
    assert text_of(answer.text, "id_registration_url_error") == str(MSG_REGISTRATION_URL)
    assert 'value="library.example.org/signup"' in answer.text
    assert re.search(r"<textarea[^>]*>\s*Parking behind the building.</textarea>", answer.text)
    assert '<a href="#id_registration_url">Registration link:' in answer.text
    section = answer.text[answer.text.index('id="add-details"') :]
    assert re.match(r'id="add-details">\s*<h2[^>]*>[^<]*</h2>\s*<p>[^<]*</p>\s*<details open>', section)
    assert re.search(r"<title>Error: ", answer.text)
    assert submitted.registration_url == ""


def test_a_listed_event_open_to_the_public_in_person_needs_its_venue(client, submitted):
    answer = client.post(page(submitted) + "details/", {**DETAILS, "venue": ""})

    assert answer.status_code == 400
    assert text_of(answer.text, "id_venue_error") == str(MSG_VENUE_REQUIRED)


@override_settings(PROGRAM_CONTACT_EMAIL="outreach@example.org", PROGRAM_CONTACT_PHONE="612-555-0199")
def test_once_confirmed_the_page_says_to_contact_the_program_and_a_change_is_refused(client, scheduled):
    content = client.get(page(scheduled)).text
    answer = client.post(page(scheduled) + "details/", DETAILS)

    scheduled.refresh_from_db()
    assert "Add or change details" not in content
    assert text_of(content, "details-confirmed") == str(MSG_DETAILS_CONFIRMED)
    assert '<a href="mailto:outreach@example.org">outreach@example.org</a>' in content
    assert answer.status_code == 409
    assert text_of(answer.text, "error") == f"{MSG_DETAILS_CONFIRMED} outreach@example.org · 612-555-0199"
    assert scheduled.registration_url == ""


def test_a_withdrawn_request_refuses_changes_as_closed(client, submitted):
    review.request_withdraw(request=submitted, note="")

    with pytest.raises(DetailsLocked) as refused:
        request_details_update(request=submitted, data={"notes": "Too late"})

    assert refused.value.message == str(MSG_DETAILS_CLOSED)
    assert "Add or change details" not in client.get(page(submitted)).text


def test_the_service_changes_only_the_details_it_is_given(submitted):
    submitted.notes = "Keep me"
    submitted.save()

    request_details_update(request=submitted, data={"no_registration_needed": True, "is_open_to_public": True})

    submitted.refresh_from_db()
    assert (submitted.notes, submitted.no_registration_needed, submitted.is_open_to_public) == ("Keep me", True, True)
    assert AuditEntry.objects.get(request=submitted, action="details_update").note == (
        "Changed by the requester: open to the public, open to all, no registration needed."
    )
