"""The request form, rule by rule, at the boundaries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from common.validators import MSG_PHONE_INVALID, MSG_ZIP_INVALID
from outreach.forms import MSG_WINDOW_INCOMPLETE, RequestForm
from outreach.services import (
    MSG_AUDIENCE_SIZE,
    MSG_PLATFORM_REQUIRED,
    MSG_WINDOW_END_BEFORE_START,
    MSG_WINDOW_TOO_LONG,
    MSG_WINDOWS_REQUIRED,
    window_errors,
    window_too_soon_message,
)
from tests.factories import PresentationFactory, days_ahead

pytestmark = pytest.mark.django_db


def errors_for(presentation, data, **changes):
    form = RequestForm({**data, **changes}, presentation=presentation)
    form.is_valid()
    return form.errors


def test_form_valid_data_is_accepted(presentation, form_data):
    form = RequestForm(form_data, presentation=presentation)

    assert form.errors == {}
    assert form.cleaned_data["contact_phone"] == "+1 612-555-0123"
    assert len(form.cleaned_data["windows"]) == 1
    assert form.cleaned_data["windows"][0].end - form.cleaned_data["windows"][0].start == timedelta(minutes=90)


def test_window_lead_time_exactly_fourteen_days_is_accepted():
    now = timezone.now()
    start = now + timedelta(days=14)

    assert window_errors(start=start, end=start + timedelta(hours=1), now=now) == {"start": [], "end": []}


def test_window_lead_time_one_minute_short_is_refused():
    now = timezone.now()
    start = now + timedelta(days=14) - timedelta(minutes=1)

    errors = window_errors(start=start, end=start + timedelta(hours=1), now=now)

    assert errors == {"start": [window_too_soon_message()], "end": []}


def test_window_lasting_eight_hours_is_accepted():
    start = days_ahead(20, 8)

    assert window_errors(start=start, end=start + timedelta(hours=8)) == {"start": [], "end": []}


def test_window_longer_than_eight_hours_is_refused():
    start = days_ahead(20, 8)

    errors = window_errors(start=start, end=start + timedelta(hours=8, minutes=1))

    assert errors == {"start": [], "end": [MSG_WINDOW_TOO_LONG % {"hours": 8}]}


def test_window_ending_when_it_starts_is_refused():
    start = days_ahead(20, 8)

    assert window_errors(start=start, end=start) == {"start": [], "end": [str(MSG_WINDOW_END_BEFORE_START)]}


def test_form_window_tomorrow_shows_lead_time_error_on_date(presentation, form_data):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    errors = errors_for(presentation, form_data, window_1_date=tomorrow)

    assert errors == {"window_1_date": [window_too_soon_message()]}


def test_form_window_day_thirteen_refused_and_day_fifteen_accepted(presentation, form_data):
    day_13 = (timezone.localdate() + timedelta(days=13)).isoformat()
    day_15 = (timezone.localdate() + timedelta(days=15)).isoformat()

    assert errors_for(presentation, form_data, window_1_date=day_13) == {"window_1_date": [window_too_soon_message()]}
    assert errors_for(presentation, form_data, window_1_date=day_15) == {}


def test_form_window_end_before_start_error_on_end(presentation, form_data):
    errors = errors_for(presentation, form_data, window_1_start="14:00", window_1_end="13:00")

    assert errors == {"window_1_end": [str(MSG_WINDOW_END_BEFORE_START)]}


def test_form_window_nine_hours_error_on_end(presentation, form_data):
    errors = errors_for(presentation, form_data, window_1_start="08:00", window_1_end="17:00")

    assert errors == {"window_1_end": [MSG_WINDOW_TOO_LONG % {"hours": 8}]}


def test_form_without_any_window_is_refused(presentation, form_data):
    errors = errors_for(presentation, form_data, window_1_date="", window_1_start="", window_1_end="")

    assert errors == {"window_1_date": [str(MSG_WINDOWS_REQUIRED)]}


def test_form_window_missing_end_time_is_refused(presentation, form_data, window_day):
    errors = errors_for(presentation, form_data, window_2_date=window_day.isoformat(), window_2_start="13:00")

    assert errors == {"window_2_end": [str(MSG_WINDOW_INCOMPLETE)]}


def test_form_three_windows_are_kept_in_preference_order(presentation, form_data, window_day):
    later = window_day + timedelta(days=7)
    form = RequestForm(
        {
            **form_data,
            "window_2_date": later.isoformat(),
            "window_2_start": "13:00",
            "window_2_end": "14:00",
            "window_3_date": window_day.isoformat(),
            "window_3_start": "15:00",
            "window_3_end": "16:00",
        },
        presentation=presentation,
    )

    assert form.is_valid()
    assert [w.start.strftime("%H:%M") for w in form.cleaned_data["windows"]] == ["09:00", "13:00", "15:00"]


@pytest.mark.parametrize(("size", "valid"), [("0", False), ("1", True), ("5000", True), ("5001", False)])
def test_form_audience_size_bounds(presentation, form_data, size, valid):
    errors = errors_for(presentation, form_data, audience_size=size)

    assert errors == ({} if valid else {"audience_size": [str(MSG_AUDIENCE_SIZE)]})


@pytest.mark.parametrize("email", ["maria", "maria@", "maria@example", "a b@example.org"])
def test_form_malformed_email_is_refused(presentation, form_data, email):
    errors = errors_for(presentation, form_data, contact_email=email)

    assert list(errors) == ["contact_email"]


@pytest.mark.parametrize("phone", ["12345", "555-1234", "call me", "612-555-012"])
def test_form_malformed_phone_is_refused(presentation, form_data, phone):
    errors = errors_for(presentation, form_data, contact_phone=phone)

    assert errors == {"contact_phone": [str(MSG_PHONE_INVALID)]}


@pytest.mark.parametrize("zip_code", ["5540", "554066", "ABCDE"])
def test_form_malformed_zip_is_refused(presentation, form_data, zip_code):
    assert errors_for(presentation, form_data, zip_code=zip_code) == {"zip_code": [str(MSG_ZIP_INVALID)]}


def test_form_text_fields_are_bounded(presentation, form_data):
    errors = errors_for(presentation, form_data, organization_name="x" * 201, notes="y" * 4001)

    assert errors == {
        "organization_name": ["Ensure this value has at most 200 characters (it has 201)."],
        "notes": ["Ensure this value has at most 4000 characters (it has 4001)."],
    }


def test_form_strips_control_characters(presentation, form_data):
    form = RequestForm(
        {
            **form_data,
            "organization_name": "Roosevelt\x00 High\x07 School\r\nX",
            "notes": "Line one\r\nLine\x1b two\x7f",
        },
        presentation=presentation,
    )

    assert form.is_valid()
    assert form.cleaned_data["organization_name"] == "Roosevelt High School X"
    assert form.cleaned_data["notes"] == "Line one\nLine two"


def test_form_format_not_offered_is_refused(form_data, audience):
    virtual_only = PresentationFactory(offers_in_person=False, offers_virtual=True, audiences=[audience])
    data = {**form_data, "language": str(virtual_only.languages.first().pk)}

    errors = errors_for(virtual_only, data, format="in_person")

    assert errors == {"format": ["Select a valid choice. in_person is not one of the available choices."]}


def test_form_virtual_needs_platform(presentation, form_data):
    errors = errors_for(presentation, form_data, format="virtual", virtual_platform="")

    assert errors == {"virtual_platform": [str(MSG_PLATFORM_REQUIRED)]}


def test_form_language_the_presentation_is_not_given_in_is_refused(presentation, form_data):
    from tests.factories import LanguageFactory

    somali = LanguageFactory(code="so", name="Somali")

    errors = errors_for(presentation, form_data, language=str(somali.pk))

    assert errors == {"language": ["Select a valid choice. That choice is not one of the available choices."]}


def test_form_error_is_tied_to_input_for_screen_readers(presentation, form_data):
    form = RequestForm({**form_data, "contact_phone": "12345"}, presentation=presentation)
    form.is_valid()

    html = str(form["contact_phone"])

    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_contact_phone_error"' in html


def test_error_summary_links_a_radio_group_to_its_first_button(presentation, form_data):
    form = RequestForm({**form_data, "format": ""}, presentation=presentation)
    form.is_valid()

    assert form.error_summary() == [("id_format_0", "Format", "This field is required.")]


def test_hidden_answers_validate_to_the_same_request(presentation, form_data):
    form = RequestForm(
        {**form_data, "notes": "Line one\r\nLine two", "is_youth_audience": "on"}, presentation=presentation
    )
    assert form.is_valid()

    again = RequestForm(dict(form.hidden_answers()), presentation=presentation)

    assert again.is_valid()
    assert again.request_fields() == form.request_fields()
    assert again.cleaned_data["windows"] == form.cleaned_data["windows"]
    assert dict(form.hidden_answers())["contact_phone"] == "+1 612-555-0123"
    assert "website" not in dict(form.hidden_answers())
