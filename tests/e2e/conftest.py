"""Browser tests: headless Chromium (the system's, never a downloaded one) against a live server.

Screenshots of each page at phone and desktop widths land in test-artifacts/screenshots/
(ignored by git). Accessibility is checked with axe-core, vendored under vendor/.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM_PATH
from tests.factories import AudienceFactory, LanguageFactory, PresentationFactory

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
# ordinary synchronous calls made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_SOURCE = AXE.read_text()
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM_PATH):
        pytest.skip(f"needs Chromium at {CHROMIUM_PATH}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base = live_server.url
    yield page
    context.close()


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A and AA violations axe-core finds on the page as it is now."""
    # Evaluated through the browser's debugging protocol, which the page's Content-Security-Policy
    # does not govern (a script tag added to the page would be refused, as it should be).
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in result["violations"]
    ]


def screenshots(page, name: str, widths: tuple[str, ...] = tuple(WIDTHS)) -> list[str]:
    """Full-page screenshots at phone and desktop widths, as test artifacts; returns the widths at
    which the page does not fit (it scrolls sideways as a whole, rather than a wide table scrolling
    inside its own region)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for label in widths:
        width = WIDTHS[label]
        page.set_viewport_size({"width": width, "height": 900})
        # Two frames, so that scripts that follow the width (charts, the calendar) have laid out again.
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide.append(f"{overflow}px wider than the {label} screen ({width}px)")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"), full_page=True)
    if widths != ("phone",):
        page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    return too_wide


def page_problems(page, name: str, widths: tuple[str, ...] = tuple(WIDTHS)) -> list[str]:
    """What is wrong with the page as it is now: axe's violations, and a page too wide for a phone.
    Takes the screenshots on the way."""
    return axe_violations(page) + screenshots(page, name, widths)


def check_page(page, name: str) -> None:
    assert page_problems(page, name) == [], f"{name}: {page.url}"


STAFF_PASSWORD = "a staff password for tests"


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "sam", "sam@outreach.test", STAFF_PASSWORD, is_staff=True, first_name="Sam", last_name="Ortiz"
    )


@pytest.fixture
def catalog():
    """Two presentations, one for educators (returned) and one for parents, both in English."""
    educators = AudienceFactory(name="Educators and school staff", slug="educators")
    parents = AudienceFactory(name="Parents and caregivers", slug="parents")
    english = LanguageFactory(code="en", name="English")
    schools = PresentationFactory(
        title="Recognizing and Responding: Schools",
        slug="recognize-respond-schools",
        summary="For teachers, counselors and school staff: the signs to notice and what to do next.",
        audiences=[educators],
        languages=[english],
    )
    PresentationFactory(
        title="Online Recruitment and Youth Safety", slug="online", audiences=[parents], languages=[english]
    )
    return schools


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the login page, as a person does."""
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def fill_request_form(page, day: str) -> None:
    """The required answers of the request form, with ``day`` as the first preferred date (09:00 to 10:30)."""
    page.get_by_label("Organization name").fill("Roosevelt High School")
    page.get_by_label("Type of organization").select_option("school")
    page.get_by_label("Street address").fill("4029 28th Ave S")
    page.get_by_label("City").fill("Minneapolis")
    page.get_by_label("County").select_option("hennepin")
    page.get_by_label("ZIP code").fill("55406")
    page.get_by_label("Your name").fill("Maria Lopez")
    page.get_by_label("Email").fill("maria.lopez@example.edu")
    page.get_by_label("Phone").fill("612-555-0123")
    page.get_by_label("Who is the audience?").select_option(label="Educators and school staff")
    page.get_by_label("Expected number of people").fill("45")
    page.get_by_label("In person").check()
    first = page.get_by_role("group", name="First choice")
    first.get_by_label("Date").fill(day)
    first.get_by_label("From").fill("09:00")
    first.get_by_label("Until").fill("10:30")
