"""The public side in a real browser: catalog, the request form by keyboard, status page; axe on each."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from common.dates import day
from outreach.models import PresentationRequest
from tests.e2e.conftest import check_page, fill_request_form
from tests.factories import PresentationRequestFactory
from tests.links import status_link_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_pages_have_no_axe_violations(page, catalog):
    for path, name in [
        ("/", "home"),
        ("/presentations/", "catalog"),
        (f"/presentations/{catalog.slug}/", "presentation"),
        ("/events/", "events"),
    ]:
        page.goto(page.base + path)
        check_page(page, name)


def test_catalog_filter_by_audience(page, catalog):
    page.goto(page.base + "/presentations/")

    page.get_by_label("Audience", exact=True).select_option(label="Parents and caregivers")
    page.get_by_role("button", name="Show presentations").click()

    titles = page.locator(".cards article h3").all_inner_texts()
    assert titles == ["Online Recruitment and Youth Safety"]


def test_request_form_mistake_fixed_then_submitted(page, catalog):
    page.goto(page.base + "/presentations/")
    page.get_by_role("link", name="Recognizing and Responding: Schools").first.click()
    page.get_by_role("button", name="Request this presentation").click()
    check_page(page, "request-form")

    too_soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    fill_request_form(page, too_soon)
    page.get_by_role("button", name="Review my request").click()

    summary = page.get_by_role("alert")
    assert "Please fix 1 problem" in summary.inner_text()
    date_input = page.get_by_role("group", name="First choice").get_by_label("Date")
    assert date_input.get_attribute("aria-invalid") == "true"
    earliest = timezone.localdate() + timedelta(days=15)
    assert date_input.get_attribute("min") == earliest.isoformat()
    assert page.locator("#id_window_1_date_error").inner_text() == (
        f"Choose a date on or after {day(earliest)}: we need at least 14 days to prepare."
    )
    assert page.get_by_label("Organization name").input_value() == "Roosevelt High School"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    # The picker's focus ring is the site's own: 3px in the accent colour.
    date_input.focus()
    ring = page.evaluate("getComputedStyle(document.activeElement).outline")
    assert "3px" in ring and "rgb(179, 92, 0)" in ring
    check_page(page, "request-form-errors")

    page.get_by_role("link", name="First choice: Date:").click()
    assert page.evaluate("document.activeElement.id") == "id_window_1_date"
    date_input.fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Review my request").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Check your request"
    assert PresentationRequest.objects.count() == 0
    check_page(page, "request-review")
    page.get_by_role("button", name="Send request").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Thank you: your request has been received"
    reference = PresentationRequest.objects.get().reference
    assert page.locator(".reference").inner_text() == reference
    check_page(page, "request-received")

    page.locator(".private-link a").click()
    assert page.locator(".status-badge").inner_text() == "Submitted"
    check_page(page, "request-status")


def test_request_form_completable_by_keyboard_alone(page, catalog):
    page.goto(page.base + f"/presentations/{catalog.slug}/request/")
    day = timezone.localdate() + timedelta(days=30)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")

    focused_label = "(document.activeElement.labels && document.activeElement.labels[0] || {}).innerText || ''"

    def type_into(label: str, text: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            if label in page.evaluate(focused_label):
                break
        else:
            raise AssertionError(f"could not reach {label} with Tab")
        page.keyboard.type(text)

    type_into("Organization name", "Keyboard Academy")
    type_into("Type of organization", "School")
    type_into("Street address", "1 Main St")
    type_into("City", "Duluth")
    type_into("County", "St. Louis")
    type_into("ZIP code", "55802")
    type_into("Your name", "Kim Park")
    type_into("Email", "kim@example.org")
    type_into("Phone", "218-555-0100")
    type_into("Who is the audience?", "Educators")
    type_into("Expected number of people", "30")
    type_into("In person", " ")
    type_into("Date", day.strftime("%m%d%Y"))
    type_into("From", "0900AM")
    type_into("Until", "1000AM")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your request")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Send request":
            break
    else:
        raise AssertionError("could not reach Send request with Tab")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your request has been received")
    request = PresentationRequest.objects.get()
    assert (request.organization_name, request.county, request.contact_email) == (
        "Keyboard Academy",
        "st_louis",
        "kim@example.org",
    )


def test_find_my_request_by_keyboard_sends_the_link(page, catalog):
    mine = PresentationRequestFactory(presentation=catalog, contact_email="maria.lopez@example.edu")
    page.goto(page.base + "/presentations/")
    page.get_by_role("link", name="Lost your status link? Find my request").click()
    check_page(page, "find-my-request")

    page.get_by_label("The email address you gave in your request").fill("maria.lopez@example.edu")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("we have just sent each one's status link to it")
    check_page(page, "find-my-request-sent")
    (message,) = mail.outbox
    assert message.to == ["maria.lopez@example.edu"]
    assert status_link_in(message.body, mine)
