""" "Find my request": an address gets the status links of its own open requests, by email only; the page
answers the same whether or not the address is known, and both the client and the address are rate-limited."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from outreach.enums import RequestStatus
from scheduling.models import Notification, NotificationKind
from tests.factories import PresentationRequestFactory
from tests.links import status_link_in

pytestmark = pytest.mark.django_db

URL = "/requests/find/"
SENT = "If requests that are still open were made with that address, we have just sent each one"


@pytest.fixture
def dana(db):
    """Two open requests and a closed one made with dana's address, and one of somebody else's."""
    return {
        "open": PresentationRequestFactory(contact_email="dana@example.net", status=RequestStatus.SUBMITTED),
        "scheduled": PresentationRequestFactory(contact_email="Dana@Example.net", status=RequestStatus.SCHEDULED),
        "closed": PresentationRequestFactory(contact_email="dana@example.net", status=RequestStatus.WITHDRAWN),
        "other": PresentationRequestFactory(contact_email="sam@example.org", status=RequestStatus.SUBMITTED),
    }


def find(client, email: str, **extra):
    return client.post(URL, {"email": email, "website": ""}, follow=True, **extra)


def test_the_page_is_a_labelled_form_linked_from_every_page(client):
    page = client.get(URL).text
    assert "<h1>Find my request</h1>" in page
    assert '<label for="id_email">The email address you gave in your request <span class="required">' in page
    assert 'autocomplete="email"' in page
    assert f'href="{URL}"' in client.get("/presentations/").text


def test_an_address_gets_one_email_per_open_request_each_with_its_own_link(
    client, dana, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = find(client, " DANA@example.net ")

    assert answer.status_code == 200
    assert SENT in answer.text
    assert sorted(m.to[0] for m in mail.outbox) == ["Dana@Example.net", "dana@example.net"]
    for message in mail.outbox:
        (request,) = [r for r in dana.values() if r.reference in message.subject]
        assert request in (dana["open"], dana["scheduled"])
        assert message.subject == f"Your status link for request {request.reference}"
        assert status_link_in(message.body, request)  # a link of its own, opening this request
        others = [r for r in dana.values() if r != request]
        assert not any(r.reference in message.body or r.status_token in message.body for r in others)
    # The link in the email opens the status page.
    link = re.search(r"https?://[^/\s]+(/requests/[A-Za-z0-9_-]{20,}/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_nothing_is_sent(client, dana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = find(client, "dana@example.net")
        unknown = find(client, "nobody@example.net")

    def strip(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert known.status_code == unknown.status_code == 200
    assert strip(known.text) == strip(unknown.text)
    assert not [m for m in mail.outbox if m.to == ["nobody@example.net"]]


def test_asking_again_sends_again_until_the_address_limit(client, settings, dana, django_capture_on_commit_callbacks):
    settings.REQUEST_LOOKUP_EMAIL_RATE_LIMIT = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert SENT in find(client, "sam@example.org").text
    assert len([m for m in mail.outbox if m.to == ["sam@example.org"]]) == 2
    assert Notification.objects.filter(kind=NotificationKind.STATUS_LINK, recipient="sam@example.org").count() == 2


def test_one_client_asking_too_often_is_told_to_wait(client, settings, dana):
    settings.REQUEST_LOOKUP_RATE_LIMIT = "2/h"
    for n in range(2):
        assert find(client, f"person{n}@example.net").status_code == 200
    refused = client.post(URL, {"email": "dana@example.net", "website": ""})
    assert refused.status_code == 429
    assert "You have asked for links several times in a short time." in refused.text
    assert 'value="dana@example.net"' in refused.text


def test_a_malformed_address_is_refused_next_to_the_field(client):
    answer = client.post(URL, {"email": "dana at example", "website": ""})
    assert answer.status_code == 400
    assert re.search(r'id="id_email_error">Enter a valid email address.<', answer.text)
    assert answer.text.count("<title>Error: Find my request") == 1


def test_a_filled_trap_field_sends_nothing(client, dana):
    answer = client.post(URL, {"email": "dana@example.net", "website": "http://spam.example"})
    assert answer.status_code == 400
    assert not mail.outbox


def test_a_lost_status_link_page_points_to_find_my_request(client):
    answer = client.get(reverse("outreach:request_status", kwargs={"token": "x" * 43}))
    assert answer.status_code == 404
    assert f'<a href="{URL}">Find my request</a>' in answer.text
