"""The request form as a browser and a screen reader receive it: the earliest date offered and named in
the lead-time message, every required answer marked, autocomplete hints, and "Error:" in the title."""

import re
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# 10:00 in Minnesota on March 1, 2027: with 14 days' lead, March 15 at 10:00 is the first instant allowed,
# so March 16 is the first date on which every time of day is.
NOW = datetime(2027, 3, 1, 16, 0, tzinfo=UTC)


@pytest.fixture
def url(presentation):
    return reverse("outreach:request_create", kwargs={"slug": presentation.slug})


def tag(html: str, element_id: str) -> str:
    """The opening tag of the element with that id."""
    return re.search(rf'<[a-z]+[^>]*\bid="{element_id}"[^>]*>', html).group(0)


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with that id (tags removed, spaces collapsed)."""
    inner = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", inner).split())


def label(html: str, element_id: str) -> str:
    inner = re.search(rf'<label for="{element_id}">(.*?)</label>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", inner).split())


def test_date_inputs_start_at_the_earliest_date_and_the_message_names_it(client, url, form_data):
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        form = client.get(url).text
        answer = client.post(url, {**form_data, "window_1_date": "2027-03-14"})
    dates = re.findall(r'<input type="date"[^>]*>', form)
    assert len(dates) == 3
    assert all('min="2027-03-16"' in field for field in dates)
    assert answer.status_code == 400
    assert text_of(answer.text, "id_window_1_date_error") == (
        "Choose a date on or after March 16, 2027: we need at least 14 days to prepare."
    )


def test_lead_time_message_in_spanish_names_the_date_as_spanish_writes_it(client, url, form_data):
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        answer = client.post(url, {**form_data, "window_1_date": "2027-03-14"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "16 de marzo de 2027" in text_of(answer.text, "id_window_1_date_error")


def test_every_required_answer_is_marked_required_and_optional_ones_are_not(client, url):
    form = client.get(url).text
    for name in ("id_window_1_date", "id_window_1_start", "id_window_1_end", "id_organization_name", "id_city"):
        assert label(form, name).endswith("(required)"), name
    for name in ("id_window_2_date", "id_window_3_end", "id_contact_role", "id_notes"):
        assert "(required)" not in label(form, name), name
    legend = re.search(r"<legend>([^<]*Format[^<]*<span[^>]*>[^<]*</span>)</legend>\s*<label for=\"id_format_0\"", form)
    assert legend is not None
    assert " ".join(re.sub(r"<[^>]+>", " ", legend.group(1)).split()) == "Format (required)"


def test_city_and_role_carry_autocomplete_hints(client, url):
    form = client.get(url).text
    assert 'autocomplete="address-level2"' in tag(form, "id_city")
    assert 'autocomplete="organization-title"' in tag(form, "id_contact_role")


def test_the_title_starts_with_error_when_the_form_comes_back_with_errors(client, url, form_data):
    first = re.search(r"<title>(.*?)</title>", client.get(url).text, re.S).group(1).strip()
    again = client.post(url, {**form_data, "contact_email": "not an address"})
    assert again.status_code == 400
    title = re.search(r"<title>(.*?)</title>", again.text, re.S).group(1).strip()
    assert first.startswith("Request: ")
    assert title.startswith("Error: Request: ")
