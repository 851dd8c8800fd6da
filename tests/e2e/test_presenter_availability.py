"""A presenter's availability in the browser: they sign in, add time off (a mistake first), set the
hours of the week they take talks and a monthly limit; staff then read why that presenter is not
suggested; the presenter removes the time off again. axe-core checks every page on the way."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from outreach.models import Language
from scheduling.models import Blackout, Presenter
from tests.e2e.conftest import STAFF_PASSWORD, check_page, sign_in
from tests.factories import PresentationRequestFactory, days_ahead

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a presenter password for tests"


def next_tuesday_ahead(days: int) -> int:
    """How many days from today to the first Tuesday at least ``days`` ahead."""
    first = timezone.localdate() + timedelta(days=days)
    return days + (1 - first.weekday()) % 7


@pytest.fixture
def ana(django_user_model, catalog):
    user = django_user_model.objects.create_user("ana", "ana@presenters.test", PASSWORD)
    presenter = Presenter.objects.create(name="Ana Lindqvist", email="ana@presenters.test", user=user)
    presenter.presentations.add(catalog)
    presenter.languages.add(Language.objects.get(code="en"))
    return presenter


def test_presenter_sets_time_off_and_weekly_hours_and_staff_see_why(
    page, browser, live_server, catalog, ana, staff_user
):
    offset = next_tuesday_ahead(21)
    start = days_ahead(offset, 13)
    talk = PresentationRequestFactory(presentation=catalog, organization_name="Roosevelt High School", windows=[])
    talk.windows.create(position=1, start=start, end=start + timedelta(hours=1))
    day = start.date().isoformat()
    day_before = (start.date() - timedelta(days=1)).isoformat()

    sign_in(page, "ana", PASSWORD)
    page.get_by_role("navigation", name="Your pages").get_by_role("link", name="My availability").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My availability")
    expect(page.get_by_text("Days and hours are Central time (America/Chicago).")).to_be_visible()
    check_page(page, "presenter-availability")

    # A mistake first: the last day before the first.
    time_off = page.get_by_role("form", name="Add time off")
    time_off.get_by_label("First day away").fill(day)
    time_off.get_by_label("Last day away").fill(day_before)
    time_off.get_by_label("Note (optional)").fill("School visit abroad")
    time_off.get_by_role("button", name="Add time off").click()
    expect(page.get_by_role("alert")).to_contain_text("Last day away: The last day must be the first day or after it.")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.title().startswith("Error: My availability")
    last_day = page.get_by_role("form", name="Add time off").get_by_label("Last day away")
    assert last_day.get_attribute("aria-invalid") == "true"
    check_page(page, "presenter-availability-errors")

    last_day.fill(day)
    page.get_by_role("form", name="Add time off").get_by_role("button", name="Add time off").click()
    expect(page.get_by_role("status")).to_have_text(
        "Your time off is saved. Staff will not suggest you for talks then."
    )
    expect(page.locator(".time-off-list li")).to_have_count(1)
    assert Blackout.objects.get().presenter == ana

    hours = page.get_by_role("form", name="Weekly hours and monthly limit")
    tuesday = hours.get_by_role("group", name="Tuesday")
    tuesday.get_by_label("I take talks on Tuesdays").check()
    tuesday.get_by_label("From").fill("09:00")
    tuesday.get_by_label("Until").fill("12:00")
    hours.get_by_label("Talks a month at most (optional)").fill("4")
    hours.get_by_role("button", name="Save weekly hours and limit").click()
    expect(page.get_by_role("status")).to_have_text("Your weekly hours and monthly limit are saved.")
    expect(page.get_by_role("group", name="Tuesday").get_by_label("From")).to_have_value("09:00")
    check_page(page, "presenter-availability-saved")

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US").new_page()
    staff.base = live_server.url
    sign_in(staff, "sam", STAFF_PASSWORD)
    staff.goto(f"{live_server.url}/staff/requests/{talk.pk}/")
    staff.get_by_text("1 presenter not suggested").click()
    expect(staff.locator("ul.not-suggested li")).to_have_text(
        ["Ana Lindqvist: off that day; outside weekly hours (Tuesdays 9:00 AM–12:00 PM)"]
    )
    expect(staff.locator("ul.suggested li")).to_have_text(["Nobody is free and qualified at this time."])
    check_page(staff, "staff-request-not-suggested")
    staff.context.close()

    page.get_by_role("button", name="Remove time off").click()
    expect(page.get_by_role("status")).to_have_text("That time off is removed.")
    expect(page.get_by_text("You have no time off ahead.")).to_be_visible()
    assert Blackout.objects.count() == 0
    check_page(page, "presenter-availability-removed")
