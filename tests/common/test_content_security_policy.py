"""Every answer carries the Content-Security-Policy, and no template has an inline script or style
without the page's nonce (the browser test in tests/e2e shows the script pages still work)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PLAIN_POLICY = POLICY.replace(" 'nonce-{nonce}'", "")
TEMPLATE_ROOTS = ("templates", "accounts", "calendars", "common", "outcomes", "outreach", "scheduling")


def directives(policy: str) -> dict[str, str]:
    """The policy as {directive: sources}: browsers read directives in any order."""
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def nonce_of(response) -> str:
    found = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return found[1] if found else ""


@pytest.mark.parametrize("path", ["/", "/presentations/", "/events/", "/accounts/login/", "/api/v1/presentations/"])
def test_every_answer_carries_the_policy(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == directives(PLAIN_POLICY)


def test_a_page_with_a_nonced_element_names_its_nonce(client, staff_user):
    client.force_login(staff_user)

    calendar = client.get("/staff/calendar/")
    docs = client.get("/api/docs/")

    assert directives(calendar["Content-Security-Policy"]) == directives(POLICY.format(nonce=nonce_of(calendar)))
    assert f'<meta name="csp-nonce" content="{nonce_of(calendar)}">' in calendar.text
    assert f'<style nonce="{nonce_of(docs)}">' in docs.text
    assert len(nonce_of(calendar)) >= 16
    assert nonce_of(calendar) != nonce_of(client.get("/staff/calendar/"))


def test_no_template_has_an_inline_script_or_style():
    """Email templates are exempt: mail programs apply no policy and need inline styles."""
    found = []
    for root in TEMPLATE_ROOTS:
        for path in (Path(settings.BASE_DIR) / root).rglob("*.html"):
            if "/email/" in str(path) or ".venv" in path.parts:
                continue
            text = path.read_text()
            for pattern in (
                r"<script(?![^>]*\bsrc=)[^>]*>",
                r"<style(?![^>]*\bnonce=)[^>]*>",
                r"\sstyle=\"",
                r"\son[a-z]+=\"",
            ):
                found += [f"{path.relative_to(settings.BASE_DIR)}: {match}" for match in re.findall(pattern, text)]

    assert found == []
