"""The staff calendar on a busy day, in a real browser: four tentative times, then one "+N more"
entry that opens the queue for that day. axe on the week view."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import STAFF_PASSWORD, check_page, sign_in
from tests.factories import PresentationRequestFactory, days_ahead

pytestmark = pytest.mark.django_db(transaction=True)


def test_busy_day_shows_four_tentative_times_and_a_marker_that_opens_the_queue(page, catalog, staff_user):
    # Today: in the calendar's first week whenever the suite runs.
    for hour in (9, 10, 11, 12, 13, 14):
        request = PresentationRequestFactory(presentation=catalog, windows=[], organization_name=f"Org {hour}")
        request.windows.create(position=1, start=days_ahead(0, hour), end=days_ahead(0, hour, 30))

    sign_in(page, "sam", STAFF_PASSWORD)
    page.goto(page.base + "/staff/calendar/")
    marker = page.locator(".event-more")

    expect(marker).to_have_count(1)
    expect(marker).to_contain_text("+2 more tentative: open the queue for this day")
    expect(page.locator(".fc-timegrid-event.event-tentative")).to_have_count(4)
    check_page(page, "staff-calendar-busy-day")
    marker.click()
    expect(page).to_have_url(re.compile(r"/staff/\?status=submitted&date_from=\d{4}-\d\d-\d\d&date_to="))
    expect(page.locator("#queue-summary")).to_have_text("6 requests, oldest first.")
