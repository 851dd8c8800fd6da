"""The request form in two parts: every required answer first, then "Add details now or later"
(optional, in a <details> that opens itself when it holds an error or answers)."""

import html
import re

import pytest
from django.urls import reverse

from outreach.models import PresentationRequest
from outreach.services import MSG_ATTENDANCE_BOTH, MSG_REGISTRATION_URL, MSG_VENUE_REQUIRED

pytestmark = pytest.mark.django_db

DETAILS_OPEN = re.compile(r'<details id="details-later"( open)?>')
LISTED_OPEN_EVENT = {"is_open_to_public": "on", "may_list_publicly": "on"}


@pytest.fixture
def url(presentation):
    return reverse("outreach:request_create", kwargs={"slug": presentation.slug})


def text_of(page: str, element_id: str) -> str:
    inner = re.search(rf'id="{element_id}"[^>]*>(.*?)</', page, re.S).group(1)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", inner).split()))


def input_ids(page: str) -> list[str]:
    """The ids of the form's inputs, selects and text areas, in the order of the page."""
    found = re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_[a-z0-9_]+)"', page)
    return [element_id for element_id in found if element_id != "id_website"]  # the hidden spam trap


def test_required_answers_come_first_and_the_optional_part_after(client, url):
    page = client.get(url).text
    ids = input_ids(page)
    later = page.index('<h2 id="h-details-later">Add details now or later</h2>')
    required = re.findall(r'<label for="(id_[a-z0-9_]+)">[^<]*<span class="required">', page)

    assert ids[: ids.index("id_window_3_end") + 1] == [
        *("id_organization_name", "id_organization_type", "id_street_address", "id_city", "id_county", "id_zip_code"),
        *("id_contact_name", "id_contact_role", "id_contact_email", "id_contact_phone"),
        *("id_audience", "id_audience_size", "id_age_range", "id_is_youth_audience", "id_language"),
        *("id_format_0", "id_format_1", "id_virtual_platform"),
        *(f"id_window_{n}_{part}" for n in (1, 2, 3) for part in ("date", "start", "end")),
    ]
    assert ids[ids.index("id_window_3_end") + 1 :] == [
        *("id_accessibility_needs", "id_av_available", "id_is_open_to_public", "id_venue", "id_may_list_publicly"),
        *("id_registration_url", "id_no_registration_needed", "id_notes", "id_referral_source"),
    ]
    assert all(page.index(f'for="{name}"') < later for name in required)
    assert DETAILS_OPEN.search(page).group(1) is None


def test_an_error_in_the_optional_part_opens_it_and_shows_next_to_its_field(client, url, form_data):
    answer = client.post(url, {**form_data, **LISTED_OPEN_EVENT, "venue": ""})

    assert answer.status_code == 400
    assert DETAILS_OPEN.search(answer.text).group(1) == " open"
    assert text_of(answer.text, "id_venue_error") == str(MSG_VENUE_REQUIRED)
    assert 'aria-describedby="id_venue_helptext id_venue_error"' in answer.text
    assert f'<a href="#id_venue">Where the presentation takes place: {html.escape(str(MSG_VENUE_REQUIRED))}' in (
        answer.text.replace("&#x27;", "'")
    )


@pytest.mark.parametrize("address", ["javascript:alert(1)", "ftp://example.org/signup", "www.example.org", "https://"])
def test_a_registration_link_that_is_not_a_web_address_is_refused_next_to_it(client, url, form_data, address):
    answer = client.post(url, {**form_data, **LISTED_OPEN_EVENT, "venue": "Library", "registration_url": address})

    assert answer.status_code == 400
    assert text_of(answer.text, "id_registration_url_error") == str(MSG_REGISTRATION_URL)
    assert f'value="{html.escape(address)}"' in answer.text
    assert DETAILS_OPEN.search(answer.text).group(1) == " open"


def test_a_registration_link_and_open_to_all_together_are_refused(client, url, form_data):
    data = {**form_data, **LISTED_OPEN_EVENT, "venue": "Library", "no_registration_needed": "on"}
    answer = client.post(url, {**data, "registration_url": "https://example.org/signup"})

    assert answer.status_code == 400
    assert text_of(answer.text, "id_registration_url_error") == str(MSG_ATTENDANCE_BOTH)


def test_answers_given_in_the_optional_part_keep_it_open_when_changing(client, url, form_data):
    answer = client.post(url, {**form_data, "accessibility_needs": "A ramp", "step": "change"})

    assert answer.status_code == 200
    assert DETAILS_OPEN.search(answer.text).group(1) == " open"


def test_the_review_names_how_the_public_attends_and_the_request_keeps_it(client, url, form_data):
    data = {**form_data, **LISTED_OPEN_EVENT, "venue": "Northfield Public Library"}
    data["registration_url"] = "https://library.example.org/events/42"

    review = client.post(url, data)
    sent = client.post(url, {**data, "step": "confirm"})

    assert review.status_code == 200
    assert "<dt>How the public attends</dt><dd>https://library.example.org/events/42</dd>" in review.text
    assert sent.status_code == 302
    saved = PresentationRequest.objects.get()
    assert (saved.registration_url, saved.no_registration_needed) == ("https://library.example.org/events/42", False)


def test_a_request_without_any_optional_detail_is_sent(client, url, form_data):
    optional = ("accessibility_needs", "av_available", "notes", "referral_source", "registration_url")
    data = {name: value for name, value in form_data.items() if name not in optional}

    sent = client.post(url, {**data, "step": "confirm"})

    assert sent.status_code == 302
    saved = PresentationRequest.objects.get()
    assert (saved.accessibility_needs, saved.av_available, saved.notes, saved.registration_url) == ("", False, "", "")
