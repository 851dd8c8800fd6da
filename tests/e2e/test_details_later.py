"""Adding details later, in a real browser: the request form's optional part opens from the keyboard and
opens itself around an error; the status page's form saves the details until the talk is confirmed,
keeps what was typed when a link is wrong, then says to contact the program. axe on every state."""

from datetime import timedelta

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from outreach.enums import Format
from outreach.models import PresentationRequest
from outreach.services import MSG_DETAILS_CONFIRMED, MSG_REGISTRATION_URL, MSG_VENUE_REQUIRED
from scheduling.models import AuditEntry, Presenter
from scheduling.services import review
from tests.e2e.conftest import check_page
from tests.factories import PresentationRequestFactory, days_ahead

pytestmark = pytest.mark.django_db(transaction=True)


def active_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_the_optional_part_of_the_form_opens_by_keyboard_and_around_an_error(page, catalog):
    page.goto(f"{page.base}/presentations/{catalog.slug}/request/")
    page.get_by_label("In person").check()
    later = page.locator("#details-later")
    expect(later).not_to_have_attribute("open", "")
    expect(page.get_by_label("Registration link")).to_be_hidden()
    check_page(page, "request-form-details-closed")

    page.locator("#details-later > summary").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Registration link")).to_be_visible()
    page.get_by_label("The event is open to the public").check()
    page.get_by_label("List this presentation on our public events page and calendar").check()
    page.get_by_label("Registration link").fill("library.example.org/signup")
    page.get_by_label("Registration link").press("Enter")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(later).to_have_attribute("open", "")
    expect(page.locator("#id_venue_error")).to_have_text(str(MSG_VENUE_REQUIRED))
    expect(page.locator("#id_registration_url_error")).to_have_text(str(MSG_REGISTRATION_URL))
    expect(page.get_by_label("Registration link")).to_have_value("library.example.org/signup")
    check_page(page, "request-form-details-error")

    summary.get_by_role("link", name="Registration link:").click()
    assert active_id(page) == "id_registration_url"


@override_settings(PROGRAM_CONTACT_EMAIL="outreach@program.test", PROGRAM_CONTACT_PHONE="651-555-0100")
def test_the_status_page_saves_details_until_the_talk_is_confirmed(page, catalog, staff_user):
    request = PresentationRequestFactory(presentation=catalog, organization_name="Carleton Library Friends")
    status_page = f"{page.base}/requests/{request.token}/"
    page.goto(status_page)
    check_page(page, "status-details-closed")

    page.get_by_text("Open the form").click()
    page.get_by_label("Accessibility or interpreter needs").fill("An ASL interpreter, please.")
    page.get_by_label("The event is open to the public").check()
    page.get_by_label("Where the presentation takes place").fill("Northfield Public Library")
    page.get_by_label("List this presentation on our public events page and calendar").check()
    page.get_by_label("Registration link").fill("ftp://library.example.org/signup")
    page.get_by_role("button", name="Save the details").click()

    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_registration_url_error")).to_have_text(str(MSG_REGISTRATION_URL))
    expect(page.get_by_label("Registration link")).to_have_value("ftp://library.example.org/signup")
    expect(page.get_by_label("Accessibility or interpreter needs")).to_have_value("An ASL interpreter, please.")
    check_page(page, "status-details-error")

    page.get_by_label("Registration link").fill("https://library.example.org/signup")
    page.get_by_role("button", name="Save the details").click()
    expect(page.locator(".messages")).to_contain_text("your details are saved")
    expect(page.locator("dl.details")).to_contain_text("https://library.example.org/signup")
    check_page(page, "status-details-saved")
    request.refresh_from_db()
    assert (request.registration_url, request.venue) == (
        "https://library.example.org/signup",
        "Northfield Public Library",
    )
    assert AuditEntry.objects.filter(request=request, action="details_update").count() == 1

    presenter = Presenter.objects.create(name="Ana Lindqvist", email="ana@presenters.test")
    presenter.presentations.add(catalog)
    presenter.languages.add(request.language)
    start = days_ahead(30, 10)
    plan = review.Plan(start, start + timedelta(hours=1), presenter, [], Format.IN_PERSON, "Room 4")
    review.request_approve(request=PresentationRequest.objects.get(pk=request.pk), by=staff_user, plan=plan)
    page.goto(status_page)
    expect(page.locator("#details-confirmed")).to_have_text(str(MSG_DETAILS_CONFIRMED))
    expect(page.get_by_role("button", name="Save the details")).to_have_count(0)
    expect(page.locator("address.program-contact").first).to_contain_text("outreach@program.test · 651-555-0100")
    check_page(page, "status-details-confirmed")
