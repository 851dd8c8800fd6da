"""Every time a requester or the public reads names its time zone, written the same way on the review step,
the status page, /events/, the emails and the invite."""

import re
from datetime import datetime, timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.dates import time_span
from scheduling.services import review
from tests.conftest import plan
from tests.factories import days_ahead

pytestmark = pytest.mark.django_db

ZONE = "(Central time)"


def spans(text: str) -> list[str]:
    """Every time span in the text (as time_span writes it), with what follows it on its line."""
    return re.findall(r"\w+day, \w+ \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M – \d{1,2}:\d\d [AP]M[^<\n]*", text)


def test_the_review_step_names_the_zone_of_each_preferred_time(client, presentation, form_data):
    url = reverse("outreach:request_create", kwargs={"slug": presentation.slug})
    review = client.post(url, {**form_data, "step": "review"})
    assert review.status_code == 200
    (shown,) = spans(review.text)
    assert shown.startswith(time_span(*_first_window(form_data), zone=False))
    assert shown.endswith(ZONE)


def _first_window(form_data):
    day = datetime.fromisoformat(form_data["window_1_date"]).date()
    start, end = (
        timezone.make_aware(datetime.combine(day, datetime.strptime(form_data[f"window_1_{p}"], "%H:%M").time()))
        for p in ("start", "end")
    )
    return start, end


def test_status_page_names_the_zone_of_preferred_times_and_of_the_booking(client, request_in):
    scheduled = request_in("scheduled")
    submitted = request_in("submitted")
    for found in (scheduled, submitted):
        page = client.get(found.get_status_url()).text
        shown = spans(page)
        assert shown, found.status
        assert all(span.endswith(ZONE) for span in shown), shown
        assert page.count(f"{ZONE} {ZONE}") == 0


def test_events_page_names_the_zone(client, request_in):
    request_in("scheduled")
    (shown,) = spans(client.get("/events/").text)
    assert shown.endswith(ZONE)


def test_confirmation_email_and_invite_name_the_zone_once(request_in, lead, staff_user, run_on_commit):
    found = request_in("submitted")
    start = days_ahead(40, 9) + timedelta(minutes=30)
    run_on_commit(lambda: review.request_approve(request=found, by=staff_user, plan=plan(lead, start=start)))
    message = next(m for m in mail.outbox if m.to == [found.contact_email])
    when = time_span(start, start + timedelta(hours=1))
    assert f"When: {when}\n" in message.body
    assert when.endswith(ZONE) and when.count(ZONE) == 1
    (invite,) = [a for a in message.attachments if a[0].endswith(".ics")] or [None]
    assert invite is not None
    (event,) = icalendar.Calendar.from_ical(invite[1]).walk("VEVENT")
    assert str(event["DESCRIPTION"]).count(ZONE) == 1
