"""The Content-Security-Policy holds in a real browser: the pages that run scripts (the staff
calendar with FullCalendar, the reach report with Chart.js, the API docs with Swagger UI, the
public pages) render their content, and the browser reports no violation."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from outcomes import links as outcome_links
from tests.e2e.conftest import STAFF_PASSWORD, sign_in
from tests.e2e.test_accessibility import site  # noqa: F401 (the fixture: a catalog, requests in every state)

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e =>"
    " window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
)


def test_script_pages_render_without_a_policy_violation(page, site, staff_user):  # noqa: F811
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.context.add_init_script(RECORD_VIOLATIONS)
    seen = {}

    def violations() -> list[str]:
        return page.evaluate("window.__cspViolations")

    page.goto(page.base + "/")
    seen["home"] = violations()
    page.goto(page.base + f"/survey/{outcome_links.survey_code_issue(booking=site['presented_booking'])}/")
    seen["survey"] = violations()

    sign_in(page, "sam", STAFF_PASSWORD)
    page.goto(page.base + "/staff/calendar/")
    page.locator(".fc-timegrid-event").first.wait_for()
    toolbar_display = page.evaluate("getComputedStyle(document.querySelector('.fc-header-toolbar')).display")
    fullcalendar_styles = page.evaluate("document.querySelectorAll('style[data-fullcalendar]').length")
    page.get_by_role("button", name="Month").click()
    page.locator(".fc-daygrid-event").first.wait_for()
    seen["calendar"] = violations()

    page.goto(page.base + "/staff/reports/")
    page.wait_for_function("window.Chart !== undefined && Chart.getChart('chart-people') !== undefined")
    seen["report"] = violations()

    page.goto(page.base + "/api/docs/")
    page.locator(".opblock").first.wait_for(timeout=60_000)  # the schema is built on request
    operations = page.locator(".opblock").count()
    body_margin = page.evaluate("getComputedStyle(document.body).margin")
    seen["api-docs"] = violations()

    page.goto(page.base + "/admin/")
    seen["admin"] = violations()

    assert seen == {name: [] for name in seen}
    assert [text for text in console if "Content Security Policy" in text] == []
    assert (toolbar_display, fullcalendar_styles) == ("flex", 1)
    assert operations == documented_operations()
    assert body_margin == "0px"


def documented_operations() -> int:
    """How many operations the API's schema describes: the docs page shows each one."""
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return sum(1 for operations in paths.values() for method in operations if method in METHODS)


METHODS = {"get", "post", "put", "patch", "delete"}
