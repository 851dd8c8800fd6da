"""The request form and the submission service at the clock changes of 2027 and 2028, and with
dates far away: a time that does not exist is refused next to its input, a time that happens twice
is read by the rule the page shows, lengths are real elapsed time, and no date gives a 500."""

import html
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from common.times import AMBIGUOUS_RULE, MSG_DATE_RANGE
from outreach.models import PresentationRequest
from outreach.services import MSG_WINDOW_TOO_LONG, Window, request_submit
from tests.outreach.test_views import hidden_answers, submit, summary_rows

pytestmark = pytest.mark.django_db

# Clocks go forward at 2:00 AM on these days (the next minute is 3:00 AM) and back at 2:00 AM on these
# (1:00 to 1:59 AM happens twice), in America/Chicago.
SPRING_FORWARD = [("2027-03-14", "March 14, 2027"), ("2028-03-12", "March 12, 2028")]
FALL_BACK = ["2027-11-07", "2028-11-05"]


@pytest.fixture(autouse=True)
def _january_2027(clock):
    """Every day above lies ahead, past the lead time."""
    clock(datetime(2027, 1, 4, 18, 0, tzinfo=UTC))


def at(data: dict, day: str, start: str, end: str) -> dict:
    return {**data, "window_1_date": day, "window_1_start": start, "window_1_end": end}


def error_of(page: str, field: str) -> str:
    marker = f'<small class="error" id="id_{field}_error">'
    assert marker in page, f"no error next to {field}"
    return html.unescape(page.split(marker, 1)[1].split("</small>", 1)[0])


def utc(day: str, clock_time: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{clock_time}:00+00:00")


# --- Spring forward: an hour that does not exist ---------------------------------------------


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
@pytest.mark.parametrize(
    ("start", "end", "field", "said"),
    [("02:00", "03:00", "window_1_start", "2:00 AM"), ("01:30", "02:30", "window_1_end", "2:30 AM")],
)
def test_review_refuses_a_time_the_clocks_skip(client, presentation, form_data, day, written, start, end, field, said):
    response = submit(client, presentation, at(form_data, day, start, end), step="review")

    assert response.status_code == 400
    assert error_of(response.text, field) == f"{said} does not exist on {written}: clocks go forward at 2:00 AM."
    assert f'aria-invalid="true" aria-describedby="id_{field}_error' in response.text
    assert PresentationRequest.objects.count() == 0


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_send_refuses_a_skipped_time_carried_from_the_summary(client, presentation, form_data, day, written):
    review = submit(client, presentation, at(form_data, day, "01:00", "03:00"), step="review")
    assert review.status_code == 200

    sent = submit(client, presentation, {**hidden_answers(review.text), "window_1_start": "02:15"}, step="confirm")

    assert sent.status_code == 400
    assert error_of(sent.text, "window_1_start") == (
        f"2:15 AM does not exist on {written}: clocks go forward at 2:00 AM."
    )
    assert PresentationRequest.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(("day", "written"), SPRING_FORWARD)
def test_a_window_across_spring_forward_counts_real_hours(client, presentation, form_data, day, written):
    # Midnight to 9:00 AM reads nine hours on the clock but lasts eight: within the limit.
    review = submit(client, presentation, at(form_data, day, "00:00", "09:00"), step="review")
    assert review.status_code == 200

    sent = submit(client, presentation, hidden_answers(review.text), step="confirm")

    assert sent.status_code == 302
    window = PresentationRequest.objects.get().windows.get()
    assert (window.start, window.end) == (utc(day, "06:00"), utc(day, "14:00"))


# --- Fall back: an hour that happens twice ----------------------------------------------------


def test_the_form_shows_how_the_repeated_hour_is_read(client, presentation):
    response = client.get(f"/presentations/{presentation.slug}/request/")

    assert f'<p id="windows-clock-rule">{html.escape(str(AMBIGUOUS_RULE))}</p>' in response.text


@pytest.mark.parametrize("day", FALL_BACK)
def test_a_repeated_time_means_the_first_one_and_the_summary_says_so(client, presentation, form_data, day):
    review = submit(client, presentation, at(form_data, day, "01:30", "02:00"), step="review")

    assert review.status_code == 200
    written = datetime.fromisoformat(day).strftime("%A, %B %-d, %Y")
    shown = f"{written}, 1:30 AM – 2:00 AM (Central time)<br>{AMBIGUOUS_RULE}"
    assert ("First choice", shown) in summary_rows(review.text)
    sent = submit(client, presentation, hidden_answers(review.text), step="confirm")
    assert sent.status_code == 302
    window = PresentationRequest.objects.get().windows.get()
    # 1:30 AM daylight time (UTC-5), then 2:00 AM standard time (UTC-6): an hour and a half.
    assert (window.start, window.end) == (utc(day, "06:30"), utc(day, "08:00"))


@pytest.mark.parametrize("day", FALL_BACK)
def test_a_window_across_fall_back_counts_real_hours(client, presentation, form_data, day):
    # Midnight to 8:00 AM reads eight hours on the clock but lasts nine: over the limit.
    response = submit(client, presentation, at(form_data, day, "00:00", "08:00"), step="review")

    assert response.status_code == 400
    assert error_of(response.text, "window_1_end") == MSG_WINDOW_TOO_LONG % {"hours": 8}


# --- Dates far away ---------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "2200-01-01", "1999-12-31", "0001-01-01"])
def test_review_refuses_a_date_out_of_range_next_to_the_date(client, presentation, form_data, day):
    response = submit(client, presentation, at(form_data, day, "09:00", "10:00"), step="review")

    assert response.status_code == 400
    assert error_of(response.text, "window_1_date") == str(MSG_DATE_RANGE)
    assert PresentationRequest.objects.count() == 0


@pytest.mark.parametrize("day", ["9999-12-31", "2200-01-01"])
def test_send_refuses_a_date_out_of_range_carried_from_the_summary(client, presentation, form_data, day):
    review = submit(client, presentation, at(form_data, "2027-06-01", "09:00", "10:00"), step="review")

    sent = submit(client, presentation, {**hidden_answers(review.text), "window_1_date": day}, step="confirm")

    assert sent.status_code == 400
    assert error_of(sent.text, "window_1_date") == str(MSG_DATE_RANGE)
    assert PresentationRequest.objects.count() == 0
    assert mail.outbox == []


def test_the_last_day_in_range_is_accepted(client, presentation, form_data):
    review = submit(client, presentation, at(form_data, "2199-12-31", "22:00", "23:30"), step="review")
    assert review.status_code == 200

    sent = submit(client, presentation, hidden_answers(review.text), step="confirm")

    assert sent.status_code == 302
    window = PresentationRequest.objects.get().windows.get()
    assert (window.start, window.end) == (utc("2200-01-01", "04:00"), utc("2200-01-01", "05:30"))


@pytest.mark.parametrize(
    "start",
    [
        datetime(9999, 12, 31, 20, 0, tzinfo=UTC),
        datetime(2200, 1, 1, 6, 0, tzinfo=UTC),
        datetime(1999, 6, 1, tzinfo=UTC),
    ],
)
def test_request_submit_refuses_far_dates_and_saves_nothing(presentation, form_data, start):
    fields = {
        "organization_name": form_data["organization_name"],
        "format": form_data["format"],
        "audience_size": 40,
    }

    with pytest.raises(ValidationError) as refused:
        request_submit(presentation=presentation, windows=[Window(start=start, end=start.replace(hour=21))], **fields)

    assert refused.value.message_dict["windows"] == [str(MSG_DATE_RANGE)]
    assert PresentationRequest.objects.count() == 0
