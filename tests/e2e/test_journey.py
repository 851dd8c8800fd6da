"""One request from start to end in a real browser: an organization finds a presentation, fixes a
mistake, checks its answers and sends them; staff approve it with a suggested presenter; the
requester sees it scheduled, the public events page lists it without personal data, and the
requester cancels it. Each page is checked with axe and photographed at phone and desktop widths."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from outreach.enums import Format
from outreach.models import Language, Presentation
from scheduling.models import Presenter
from scheduling.services import review
from scheduling.views.staff import MSG_APPROVED
from tests.e2e.conftest import STAFF_PASSWORD, check_page, sign_in
from tests.factories import PresentationRequestFactory, days_ahead

pytestmark = pytest.mark.django_db(transaction=True)

CONTACT = {
    "name": "Maria Lopez",
    "email": "maria.lopez@example.edu",
    "phone": "612-555-0123",
    "street": "4029 28th Ave S",
}


@pytest.fixture
def catalog(catalog, staff_user):
    """The two presentations, two presenters qualified for the first and one who is not, and a
    scheduled presentation by an organization that did not agree to be listed."""
    schools = catalog
    online = Presentation.objects.get(slug="online")
    english = Language.objects.get(code="en")
    for name, email, presentation in [
        ("Ben Okafor", "ben@presenters.test", schools),
        ("Ana Lindqvist", "ana@presenters.test", schools),
        ("Carla Ruiz", "carla@presenters.test", online),
    ]:
        presenter = Presenter.objects.create(name=name, email=email)
        presenter.presentations.add(presentation)
        presenter.languages.add(english)
    unlisted = PresentationRequestFactory(presentation=online, organization_name="Quiet Valley Clinic")
    start = days_ahead(45, 18)
    plan = review.Plan(
        start, start + timedelta(hours=1), Presenter.objects.get(name="Carla Ruiz"), [], Format.IN_PERSON, "Hall"
    )
    review.request_approve(request=unlisted, by=staff_user, plan=plan)
    return schools


def summary_rows(page) -> dict[str, str]:
    terms = page.locator(".review dt").all_inner_texts()
    answers = page.locator(".review dd").all_inner_texts()
    return dict(zip(terms, answers, strict=True))


def test_request_is_sent_approved_listed_and_cancelled(page, browser, live_server, catalog):
    day = timezone.localdate() + timedelta(days=30)
    when = f"{day:%A, %B} {day.day}, {day.year}, 9:00 AM – 10:30 AM"

    # An organization finds the presentation.
    page.goto(page.base + "/")
    check_page(page, "journey-home")
    page.get_by_role("button", name="Browse presentations and request one").click()
    page.get_by_label("Audience", exact=True).select_option(label="Educators and school staff")
    page.get_by_role("button", name="Show presentations").click()
    expect(page.locator(".cards article h3")).to_have_text(["Recognizing and Responding: Schools"])
    check_page(page, "journey-catalog")
    page.get_by_role("link", name="Recognizing and Responding: Schools").first.click()
    check_page(page, "journey-presentation")
    page.get_by_role("button", name="Request this presentation").click()
    check_page(page, "journey-form")

    # ... fills in the form with a mistake in the email address ...
    page.get_by_label("Organization name").fill("Roosevelt High School")
    page.get_by_label("Type of organization").select_option("school")
    page.get_by_label("Street address").fill(CONTACT["street"])
    page.get_by_label("City").fill("Minneapolis")
    page.get_by_label("County").select_option("hennepin")
    page.get_by_label("ZIP code").fill("55406")
    page.get_by_label("Your name").fill(CONTACT["name"])
    page.get_by_label("Email").fill("maria.lopez@example")
    page.get_by_label("Phone").fill(CONTACT["phone"])
    page.get_by_label("Who is the audience?").select_option(label="Educators and school staff")
    page.get_by_label("Expected number of people").fill("45")
    page.get_by_label("In person").check()
    first = page.get_by_role("group", name="First choice")
    first.get_by_label("Date").fill(day.isoformat())
    first.get_by_label("From").fill("09:00")
    first.get_by_label("Until").fill("10:30")
    page.get_by_text("Add details now", exact=True).click()
    page.get_by_label("The event is open to the public").check()
    page.get_by_label("Where the presentation takes place").fill("Roosevelt High School auditorium")
    page.get_by_label("List this presentation on our public events page and calendar").check()
    page.get_by_role("button", name="Review my request").click()

    # ... is shown the mistake next to the field, with everything else kept ...
    expect(page.get_by_role("alert")).to_contain_text("Please fix 1 problem")
    email = page.get_by_label("Email")
    assert (email.get_attribute("aria-invalid"), email.get_attribute("aria-describedby")) == (
        "true",
        "id_contact_email_error",
    )
    assert page.locator("#id_contact_email_error").inner_text() == "Enter a valid email address."
    assert page.get_by_label("Organization name").input_value() == "Roosevelt High School"
    assert first.get_by_label("Date").input_value() == day.isoformat()
    check_page(page, "journey-form-errors")

    # ... fixes it and checks the summary ...
    page.get_by_role("link", name="Email: Enter a valid email address.").click()
    email.fill(CONTACT["email"])
    page.get_by_role("button", name="Review my request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your request")
    rows = summary_rows(page)
    assert (rows["Email"], rows["First choice"], rows["How many"], rows["Public listing"]) == (
        CONTACT["email"],
        f"{when} (Central time)",
        "About 45 people",
        "Yes, with your organization's name, the date and the place",
    )
    check_page(page, "journey-review")

    # ... goes back to change one answer, and finds everything as typed ...
    page.get_by_role("button", name="Change my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a presentation")
    assert page.get_by_label("Email").input_value() == CONTACT["email"]
    assert page.get_by_label("List this presentation on our public events page and calendar").is_checked()
    page.get_by_label("Expected number of people").fill("50")
    page.get_by_role("button", name="Review my request").click()
    assert summary_rows(page)["How many"] == "About 50 people"

    # ... sends it and opens its status page.
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you: your request has been received")
    reference = page.locator(".reference").inner_text()
    check_page(page, "journey-received")
    page.locator(".private-link a").click()
    expect(page.locator(".status-badge")).to_have_text("Submitted")
    status_url = page.url
    check_page(page, "journey-status-submitted")

    # A staff member signs in, opens the request from the queue and approves it.
    staff_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    staff_context.set_default_timeout(10_000)
    staff = staff_context.new_page()
    staff.base = live_server.url
    sign_in(staff, "sam", STAFF_PASSWORD)
    expect(staff.get_by_role("heading", level=1)).to_have_text("Requests")
    check_page(staff, "journey-staff-queue")
    staff.get_by_role("row", name=re.compile("Roosevelt High School")).get_by_role("link", name=reference).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"{reference} Roosevelt High School")
    check_page(staff, "journey-staff-request")

    suggestions = (
        staff.get_by_role("region", name="Preferred times").locator("tbody tr").first.locator("ul.suggested li")
    )
    assert suggestions.all_inner_texts() == [
        "Ana Lindqvist (0 bookings that month)",
        "Ben Okafor (0 bookings that month)",
    ]
    suggested = suggestions.first.inner_text().split(" (")[0]
    approve = staff.locator("#approve")
    expect(approve.get_by_label(re.compile("First choice:"))).to_be_checked()
    approve.get_by_label("Lead presenter").select_option(label=suggested)
    approve.get_by_role("button", name="Approve and send invitations").click()
    expect(staff.get_by_role("status")).to_have_text(str(MSG_APPROVED))
    expect(staff.locator("hgroup .status-badge")).to_have_text("Scheduled")
    check_page(staff, "journey-staff-scheduled")

    # The requester's status page shows it scheduled, with calendar links.
    page.goto(status_url)
    expect(page.locator(".status-badge")).to_have_text("Scheduled")
    scheduled = page.get_by_role("region", name="Your presentation is scheduled")
    assert scheduled.locator("dd").first.inner_text() == f"{when} (Central time)"
    assert scheduled.locator("dd").nth(3).inner_text() == suggested
    token = urlsplit(status_url).path.split("/")[2]
    ics = page.get_by_role("link", name="Download the event (.ics) for Apple Calendar, Outlook and others")
    assert ics.get_attribute("href") == f"/requests/{token}/event.ics"
    download = page.request.get(page.base + ics.get_attribute("href"))
    assert (download.status, download.headers["content-type"]) == (200, "text/calendar; charset=utf-8")
    assert "SUMMARY:Recognizing and Responding: Schools" in download.text().replace("\r\n ", "")
    google = urlsplit(page.get_by_role("link", name="Add to Google Calendar").get_attribute("href"))
    outlook = urlsplit(page.get_by_role("link", name="Add to Outlook.com").get_attribute("href"))
    assert (google.netloc, parse_qs(google.query)["action"]) == ("calendar.google.com", ["TEMPLATE"])
    assert (outlook.netloc, outlook.path) == ("outlook.live.com", "/calendar/0/deeplink/compose")
    check_page(page, "journey-status-scheduled")

    # The public events page lists it with the organization and the venue (it agreed), and no personal
    # data; the presentation whose host did not agree is not there at all.
    page.get_by_role("link", name="Upcoming events").click()
    rows = page.locator("table.events tbody tr")
    expect(rows).to_have_count(1)
    listed = rows.filter(has_text="Recognizing and Responding: Schools").inner_text()
    assert "Roosevelt High School" in listed and "Roosevelt High School auditorium" in listed
    text = page.locator("main").inner_text()
    assert "Online Recruitment and Youth Safety" not in text and "Minneapolis" not in text
    for private in (*CONTACT.values(), "+1 612-555-0123", "Quiet Valley Clinic", "Dana Whitfield", "dana@example.net"):
        assert private not in text
    assert "maria.lopez" not in page.content()
    check_page(page, "journey-events")

    # The requester cancels; the status page says so.
    page.goto(status_url)
    page.locator("summary", has_text="Cancel the presentation").click()
    page.get_by_label("Reason (optional)").fill("Our building is closed that week.")
    page.locator("form[action$='/cancel/']").get_by_role("button", name="Cancel the presentation").click()
    expect(page.locator(".status-badge")).to_have_text("Cancelled")
    expect(page.get_by_role("status")).to_have_text(
        "Your presentation has been cancelled. We have sent you a confirmation by email."
    )
    expect(page.locator("main")).to_contain_text("This presentation was cancelled and will not take place.")
    check_page(page, "journey-status-cancelled")

    staff.reload()
    expect(staff.locator("hgroup .status-badge")).to_have_text("Cancelled")
    staff_context.close()
    assert [m.subject for m in mail.outbox if m.to == [CONTACT["email"]]] == [
        f"We received your presentation request {reference}",
        f"Confirmed: Recognizing and Responding: Schools on {day:%b} {day.day}, {day.year}",
        f"Cancelled: Recognizing and Responding: Schools on {day:%b} {day.day}, {day.year}",
    ]
