"""Every page in every state that the journey does not reach, under axe-core (WCAG 2.1 A and AA),
with screenshots at phone and desktop widths; and the basics axe cannot judge alone: a skip link,
the page's language, visible focus, labels bound to inputs, errors tied to their inputs."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from calendars.services import staff_feed_token_rotate
from common.links import link_issue
from common.models import LinkPurpose
from outcomes import links as outcome_links
from outreach.enums import Format
from outreach.models import Language
from scheduling.models import Booking, Presenter
from scheduling.services import review
from scheduling.services.review import Plan
from tests.e2e.conftest import STAFF_PASSWORD, WIDTHS, page_problems, sign_in
from tests.factories import PresentationRequestFactory, days_ahead


def survey_path(booking) -> str:
    return f"/survey/{outcome_links.survey_code_issue(booking=booking)}/"


pytestmark = pytest.mark.django_db(transaction=True)

PRESENTER_PASSWORD = "a presenter password for tests"


class Audit:
    """Checks pages one after another and keeps every page's violations, to report them all at once."""

    def __init__(self, page):
        self.page = page
        self.violations: dict[str, list[str]] = {}

    def check(self, name: str, path: str | None = None, widths: tuple[str, ...] = tuple(WIDTHS)) -> None:
        if path is not None:
            self.page.goto(self.page.base + path)
        found = page_problems(self.page, name, widths)
        if found:
            self.violations[name] = found

    def report(self) -> str:
        return "\n".join(f"{name}: {problem}" for name, found in self.violations.items() for problem in found)


@pytest.fixture
def site(django_user_model, staff_user, catalog):
    """Requests in each state, their presenters, a presenter's account, and evaluations and surveys to answer."""
    presentation = catalog
    english = Language.objects.get(code="en")
    presenter_user = django_user_model.objects.create_user("ana", "ana@presenters.test", PRESENTER_PASSWORD)
    ana = Presenter.objects.create(name="Ana Lindqvist", email="ana@presenters.test", user=presenter_user)
    ben = Presenter.objects.create(name="Ben Okafor", email="ben@presenters.test")
    for presenter in (ana, ben):
        presenter.presentations.add(presentation)
        presenter.languages.add(english)

    def request(organization: str, **fields):
        return PresentationRequestFactory(presentation=presentation, organization_name=organization, **fields)

    def approve(found, start):
        plan = Plan(start, start + timedelta(minutes=90), ana, [ben], Format.IN_PERSON, "Room 12, 100 Division St S")
        return review.request_approve(request=found, by=staff_user, plan=plan)

    def move(booking: Booking, start) -> Booking:
        Booking.objects.filter(pk=booking.pk).update(start=start, end=start + timedelta(minutes=90))
        booking.refresh_from_db()
        return booking

    submitted = request("Roosevelt High School")
    proposed = request("Northfield Community Church")
    review.request_propose(
        request=proposed,
        by=staff_user,
        times=[(days_ahead(35, 9), days_ahead(35, 10)), (days_ahead(36, 13), days_ahead(36, 14))],
        lead_presenter=ana,
        message="Our presenters are away that week; would one of these work?",
    )
    scheduled = request("Duluth Public Library", may_list_publicly=True)
    scheduled_booking = approve(scheduled, days_ahead(30, 10))
    cancelled = request("Hibbing Clinic")
    cancelled_booking = approve(cancelled, days_ahead(31, 10))
    review.booking_cancel(request=cancelled, by=None, actor="requester", reason="Our building is closed that week.")
    declined = request("St. Cloud Rotary")
    review.request_decline(request=declined, by=staff_user, reason="We do not present to groups under ten people.")
    withdrawn = request("Moorhead Family Services")
    review.request_withdraw(request=withdrawn, note="We found another date with a local partner.")
    completed = request("Mankato West High School")
    completed_booking = move(approve(completed, days_ahead(40, 10)), timezone.now() - timedelta(hours=4))
    review.booking_complete(request=completed, by=staff_user, attendance=31)
    presented = request("Rochester Youth Center")
    presented_booking = move(approve(presented, days_ahead(41, 10)), timezone.now() - timedelta(hours=2))
    # Today at noon: in the calendar's first week and month whenever the suite runs.
    move(approve(request("Winona State University"), days_ahead(32, 10)), days_ahead(0, 12))
    staff_feed_token_rotate(user=staff_user)
    return {
        "presentation": presentation,
        "submitted": submitted,
        "proposed": proposed,
        "scheduled": scheduled,
        "scheduled_booking": scheduled_booking,
        "cancelled": cancelled,
        "cancelled_booking": cancelled_booking,
        "declined": declined,
        "withdrawn": withdrawn,
        "completed": completed,
        "completed_booking": completed_booking,
        "presented_booking": presented_booking,
        "presenter_user": presenter_user,
    }


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_public_pages_in_every_state_have_no_axe_violations(page, site):
    audit = Audit(page)
    for state in ("submitted", "proposed", "scheduled", "cancelled", "declined", "withdrawn", "completed"):
        audit.check(f"status-{state}", f"/requests/{site[state].token}/")

    evaluation = path_of(
        outcome_links.evaluation_url(
            token=link_issue(purpose=LinkPurpose.HOST_EVALUATION, subject_id=site["completed_booking"].pk)
        )
    )
    audit.check("evaluation", evaluation)
    page.get_by_role("button", name="Send my answers").click()
    audit.check("evaluation-errors")
    page.get_by_label("5 – Excellent").check()
    page.get_by_label("4 – Very useful").check()
    page.get_by_label("Train more staff or volunteers").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("#evaluation-answers")).to_be_visible()
    audit.check("evaluation-answered")

    survey = survey_path(site["presented_booking"])
    audit.check("survey", survey)
    page.get_by_role("button", name="Send").click()
    audit.check("survey-errors")
    page.get_by_role("group", name="Before this presentation").get_by_label("2 – A little").check()
    page.get_by_role("group", name="And now, after it?").get_by_label("4 – Well").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")
    audit.check("survey-thanks")
    audit.check("survey-not-yet", survey_path(site["scheduled_booking"]))
    audit.check("survey-closed", survey_path(site["cancelled_booking"]))

    audit.check("login", "/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    audit.check("login-error")
    audit.check("not-found", "/presentations/no-such-talk/")

    assert audit.violations == {}, audit.report()


def test_staff_pages_have_no_axe_violations(page, site, staff_user):
    sign_in(page, "sam", STAFF_PASSWORD)
    audit = Audit(page)
    audit.check("staff-queue", "/staff/")
    audit.check("staff-queue-filtered", f"/staff/?status=any&presentation={site['presentation'].pk}&county=rice")
    audit.check("staff-queue-filter-error", "/staff/?status=submitted&date_from=2027-03-10&date_to=2027-03-01")

    audit.check("staff-request-submitted", f"/staff/requests/{site['submitted'].pk}/")
    page.locator("#decline summary").click()
    page.get_by_role("button", name="Decline the request").click()
    audit.check("staff-request-decline-error")
    audit.check("staff-request-proposed", f"/staff/requests/{site['proposed'].pk}/")
    audit.check("staff-request-scheduled", f"/staff/requests/{site['scheduled'].pk}/")

    # FullCalendar lays itself out for the width it loads at: each width gets a fresh page.
    page.goto(page.base + "/staff/calendar/")
    page.locator(".fc-timegrid-event").first.wait_for()
    audit.check("staff-calendar-week", widths=("desktop",))
    page.get_by_role("button", name="Month").click()
    page.locator(".fc-daygrid-event").first.wait_for()
    audit.check("staff-calendar-month", widths=("desktop",))
    page.get_by_role("button", name="List").click()
    page.locator(".fc-list-event").first.wait_for()
    audit.check("staff-calendar-list", widths=("desktop",))
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    page.goto(page.base + "/staff/calendar/")
    page.locator(".fc-list-event").first.wait_for()
    audit.check("staff-calendar", widths=("phone",))
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})

    audit.check("staff-presenters", "/staff/presenters/")
    audit.check("staff-feeds", "/staff/feeds/")
    page.goto(page.base + "/staff/reports/")
    page.wait_for_function("window.Chart !== undefined && Chart.getChart('chart-people') !== undefined")
    audit.check("staff-reports")
    audit.check("staff-reports-error", "/staff/reports/?start=2027-03-10&end=2027-03-01")

    declined = site["declined"]
    audit.check("staff-erase", f"/staff/requests/{declined.pk}/erase/")
    page.get_by_role("button", name="Erase the personal details").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(personal details erased)")
    audit.check("staff-request-erased")
    audit.check("status-erased", f"/requests/{declined.token}/")
    expect(page.get_by_role("main")).to_contain_text("Personal details erased on")

    assert audit.violations == {}, audit.report()


def test_presenter_pages_have_no_axe_violations(page, site):
    sign_in(page, "ana", PRESENTER_PASSWORD)
    audit = Audit(page)
    audit.check("presenter-schedule", "/my/schedule/")
    audit.check("presenter-availability", "/my/availability/")
    audit.check("presenter-booking", f"/my/bookings/{site['scheduled_booking'].pk}/")
    page.get_by_role("button", name="Decline this presentation").click()
    expect(page.get_by_role("alert")).to_contain_text("Give a reason")
    audit.check("presenter-booking-decline-error")
    page.get_by_label("Why you cannot give it").fill("I am away at a training that week.")
    page.get_by_role("button", name="Decline this presentation").click()
    expect(page.get_by_role("status")).to_contain_text("You declined this presentation.")
    audit.check("presenter-booking-declined")
    audit.check("presenter-booking-cancelled", f"/my/bookings/{site['cancelled_booking'].pk}/")

    sign_in(page, "sam", STAFF_PASSWORD)
    audit.check("staff-queue-presenter-declined", "/staff/")
    audit.check("staff-request-presenter-declined", f"/staff/requests/{site['scheduled'].pk}/")

    assert audit.violations == {}, audit.report()


UNLABELLED = """() => [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
    .filter(field => !field.closest('[aria-hidden=true]') && field.labels.length === 0).map(field => field.name)"""
ERRORS_NOT_TIED = """() => [...document.querySelectorAll('main .error[id]')].filter(error => {
    const fields = [...document.querySelectorAll(`[aria-describedby~="${error.id}"]`)];
    const invalid = field => field.tagName === 'FIELDSET' || field.getAttribute('aria-invalid') === 'true';
    return fields.length === 0 || !fields.every(invalid);
}).map(error => error.id)"""
FOCUS_RING = "(style => style.outlineStyle + ' ' + style.outlineWidth)(getComputedStyle(document.activeElement))"


def test_pages_have_a_language_a_skip_link_and_a_visible_focus(page, site):
    page.goto(page.base + f"/presentations/{site['presentation'].slug}/request/")

    assert page.locator("html").get_attribute("lang") == "en"
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Skip to main content"
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert page.evaluate(FOCUS_RING) == "solid 3px"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    rings = set()
    for _ in range(12):
        page.keyboard.press("Tab")
        rings.add(page.evaluate(f"document.activeElement.tagName + ' ' + {FOCUS_RING}"))
    assert rings == {"INPUT solid 3px", "SELECT solid 3px"}


def test_form_fields_have_labels_and_errors_are_tied_to_them(page, site, staff_user):
    page.goto(page.base + f"/presentations/{site['presentation'].slug}/request/")
    assert page.evaluate(UNLABELLED) == []
    page.get_by_role("button", name="Review my request").click()

    expect(page.get_by_role("alert")).to_contain_text("Please fix 13 problems")
    assert page.evaluate(ERRORS_NOT_TIED) == []
    invalid = page.locator("[aria-invalid=true]")
    assert invalid.count() == 14  # 12 inputs and the two radio buttons of the format
    for index in range(invalid.count()):
        # An input names its help text and its error; a radio button's group (the fieldset) names the error.
        described_by = invalid.nth(index).evaluate(
            "el => (el.getAttribute('aria-describedby') || el.closest('fieldset').getAttribute('aria-describedby'))"
        )
        classes = [page.locator(f"#{element_id}").get_attribute("class") for element_id in described_by.split()]
        assert classes[-1] == "error"

    sign_in(page, "sam", STAFF_PASSWORD)
    page.goto(page.base + f"/staff/requests/{site['submitted'].pk}/")
    page.locator(".actions details").evaluate_all("all => all.forEach(details => { details.open = true; })")
    assert page.evaluate(UNLABELLED) == []
    page.get_by_role("button", name="Decline the request").click()
    reason = page.locator("#decline").get_by_label("Reason")
    assert (reason.get_attribute("aria-invalid"), reason.get_attribute("aria-describedby")) == (
        "true",
        "id_decline-reason_helptext id_decline-reason_error",
    )
    assert page.evaluate(ERRORS_NOT_TIED) == []
