"""Sending a request once in a real browser: with scripts, "Send request" is disabled while the request
is on its way, so a double click posts it once; without scripts the form sends all the same (and the
server answers any repeat with the first request: tests/outreach/test_submit_once.py)."""

import threading
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from outreach import views
from outreach.models import PresentationRequest
from tests.e2e.conftest import fill_request_form

pytestmark = pytest.mark.django_db(transaction=True)

RECEIVED = "Thank you: your request has been received"


def fill_and_review(page, catalog) -> None:
    page.goto(f"{page.base}/presentations/{catalog.slug}/request/")
    fill_request_form(page, (timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Review my request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your request")


# Without scripts both posts reach the server while the first is held: two requests writing at once.
# SQLite's in-memory test database (shared by the live server's threads) locks whole tables for that
# (SQLITE_LOCKED, which no timeout waits out), so that case runs on PostgreSQL; the file database
# `make run` uses waits for the first writer instead (tried: 12 pairs of simultaneous posts, 12 requests).
@pytest.mark.parametrize(
    ("scripts", "posts"),
    [pytest.param(True, 1, id="scripts"), pytest.param(False, 2, id="no-scripts", marks=pytest.mark.postgres)],
)
def test_double_click_on_send_makes_one_request(browser, page, catalog, monkeypatch, scripts, posts):
    """The server holds the first post until the second click has had its chance to go out (a rapid
    double click would not tell: the browser drops a submission it has not started yet). With
    scripts the second click finds the button disabled; without, the server answers the repeat."""
    arrived = []
    release = threading.Event()
    submit_once = views.request_submit_once

    def held(**kwargs):
        arrived.append(kwargs["key"])
        release.wait(timeout=5)
        return submit_once(**kwargs)

    monkeypatch.setattr(views, "request_submit_once", held)
    context = browser.new_context(locale="en-US", java_script_enabled=scripts)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.base = page.base
    fill_and_review(tab, catalog)
    send = tab.get_by_role("button", name="Send request")
    send.scroll_into_view_if_needed()
    box = send.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    tab.mouse.click(x, y)
    for _ in range(100):
        if arrived:
            break
        time.sleep(0.05)
    tab.mouse.click(x, y)
    time.sleep(0.5)
    release.set()

    expect(tab.get_by_role("heading", level=1)).to_have_text(RECEIVED)
    expect(tab.locator(".reference")).to_have_text(PresentationRequest.objects.get().reference)
    assert len(arrived) == posts
    context.close()
