"""Printing a scheduled presentation in a real browser: the status page's "Print this booking" link
opens a sheet with the booking and the program's contact; printed, neither page shows the site's
menus, forms or buttons. axe on the sheet."""

from datetime import timedelta

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from outreach.enums import Format
from scheduling.models import Presenter
from scheduling.services import review
from tests.e2e.conftest import check_page
from tests.factories import PresentationRequestFactory, days_ahead

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(PROGRAM_CONTACT_EMAIL="outreach@program.test", PROGRAM_CONTACT_PHONE="651-555-0100")
def test_print_sheet_shows_booking_and_hides_navigation_and_forms_in_print(page, catalog, staff_user):
    request = PresentationRequestFactory(presentation=catalog, organization_name="Roosevelt High School")
    presenter = Presenter.objects.create(name="Ana Lindqvist", email="ana@presenters.test")
    presenter.presentations.add(catalog)
    presenter.languages.add(request.language)
    start = days_ahead(30, 10)
    plan = review.Plan(start, start + timedelta(hours=1), presenter, [], Format.IN_PERSON, "Room 4, 100 Division St S")
    review.request_approve(request=request, by=staff_user, plan=plan)

    page.goto(f"{page.base}/requests/{request.token}/")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator("form").first).to_be_hidden()
    expect(page.locator("summary", has_text="Cancel the presentation")).to_be_hidden()
    expect(page.get_by_role("link", name="Print this booking")).to_be_hidden()
    expect(page.get_by_role("heading", name="Your presentation is scheduled")).to_be_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Print this booking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(catalog.title)
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    check_page(page, "print-sheet")
    assert page.locator("nav, form, details").count() == 0

    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="Back to your request")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
    sheet = page.locator("dl.booking-sheet")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text(request.reference)
    expect(sheet).to_contain_text("(Central time)")
    expect(sheet).to_contain_text("Room 4, 100 Division St S")
    expect(sheet).to_contain_text("Ana Lindqvist")
    expect(page.locator("address.program-contact")).to_contain_text("outreach@program.test · 651-555-0100")
