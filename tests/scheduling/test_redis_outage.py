"""Redis down or hung: a request is still saved and answered at once, and its emails follow once Redis is back.

Redis is both the cache that counts rate limits and API throttles and the Celery broker. Here
both are a private redis-server that the test stops or pauses; the web form's last step and the
API answer as usual, the outbox keeps the emails, and the sweep hands them to the worker when
Redis answers again: each arrives once.
"""

import logging
import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from common.cache import outages as cache_outages
from outreach.models import PresentationRequest
from scheduling.models import NotificationStatus
from scheduling.services.delivery import broker_outages, notifications_send_due
from tests.api.conftest import request_body
from tests.scheduling.conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

STAFF = "staff@outreach.test"
FORM_CONTACT = "maria.lopez@example.edu"
API_CONTACT = "sam.lee@example.edu"
# Connect and read timeouts are 0.5 s; the broker gives up on its own quickly too.
ANSWER_WITHIN_SECONDS = 2.0


@pytest.fixture
def redis_everywhere(settings, redis_server, worker_process, monkeypatch):
    """The cache (as configured for production, with its timeouts) and the broker on ``redis_server``.

    After a failure this process leaves each alone for three seconds (not five), to keep the test short.
    """
    monkeypatch.setattr(cache_outages, "retry_after", 3.0)
    monkeypatch.setattr(broker_outages, "retry_after", 3.0)
    settings.CACHES = {"default": {**settings.REDIS_CACHE, "LOCATION": redis_server.url, "KEY_PREFIX": "outage"}}
    yield redis_server
    cache_outages.clear()
    broker_outages.clear()


def submit_form(client, presentation, form_data):
    return client.post(
        reverse("outreach:request_create", kwargs={"slug": presentation.slug}), {**form_data, "step": "confirm"}
    )


def submit_api(presentation, audience):
    return APIClient().post("/api/v1/requests/", request_body(presentation, audience, contact_email=API_CONTACT))


def sweep_once_redis_answers() -> int:
    """What celery beat's "notifications-sweep" does a minute later (the rows' own tasks never reached
    the broker), once this process tries Redis again."""
    wait_for(lambda: not broker_outages.is_down("broker"), what="the broker to be tried again")
    return notifications_send_due(now=timezone.now() + timedelta(seconds=61))


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def acknowledgements(delivered) -> list[tuple[str, str]]:
    return sorted((d.rcpt_tos[0], d.message["Subject"]) for d in delivered)


def expected_mail(*requests: PresentationRequest) -> list[tuple[str, str]]:
    title, organization = "Recognizing and Responding: Schools", "Roosevelt High School"
    mail = []
    for request in requests:
        mail.append((request.contact_email, f"We received your presentation request {request.reference}"))
        mail.append((STAFF, f"New request {request.reference}: {title} for {organization}"))
    return sorted(mail)


def pending(*requests: PresentationRequest) -> list[tuple[str, str, int]]:
    return sorted((n.recipient, n.status, n.attempts) for request in requests for n in request.notifications.all())


def test_requests_sent_while_redis_is_down_are_saved_and_acknowledged_once_it_is_back(
    client, presentation, audience, form_data, redis_everywhere, wait_for_mail, caplog
):
    # Before the outage: limits counted, mail flowing (this process holds pooled connections).
    assert submit_form(client, presentation, form_data).status_code == 302
    wait_for_mail(2)
    redis_everywhere.stop()

    with caplog.at_level(logging.WARNING):
        by_form, form_seconds = timed(lambda: submit_form(client, presentation, form_data))
        by_api, api_seconds = timed(lambda: submit_api(presentation, audience))

    assert (by_form.status_code, by_api.status_code) == (302, 201)
    assert (form_seconds < ANSWER_WITHIN_SECONDS, api_seconds < ANSWER_WITHIN_SECONDS) == (True, True), (
        form_seconds,
        api_seconds,
    )
    from_form = PresentationRequest.objects.exclude(contact_email=API_CONTACT).order_by("pk").last()
    from_api = PresentationRequest.objects.get(contact_email=API_CONTACT)
    form_token = re.fullmatch(r"/requests/([A-Za-z0-9_-]{40,})/received/", by_form["Location"]).group(1)
    api_token = re.search(r"/requests/([A-Za-z0-9_-]{40,})/", by_api.json()["status_url"]).group(1)
    assert by_api.json()["reference"] == from_api.reference
    assert pending(from_form, from_api) == [
        (FORM_CONTACT, NotificationStatus.PENDING, 0),
        (API_CONTACT, NotificationStatus.PENDING, 0),
        (STAFF, NotificationStatus.PENDING, 0),
        (STAFF, NotificationStatus.PENDING, 0),
    ]
    cache_warnings = [r.getMessage() for r in caplog.records if r.name == "common.cache"]
    assert (
        cache_warnings[0]
        == "Cache unreachable (ConnectionError on add): treated as a miss; Redis is tried again in 3 s."
    )
    logged = caplog.text
    assert (form_token in logged, api_token in logged, "127.0.0.1" in logged) == (
        False,
        False,
        False,
    )

    redis_everywhere.start()
    assert sweep_once_redis_answers() == 4
    delivered = wait_for_mail(6)

    assert acknowledgements(delivered[2:]) == expected_mail(from_form, from_api)
    assert pending(from_form, from_api) == [
        (FORM_CONTACT, NotificationStatus.SENT, 1),
        (API_CONTACT, NotificationStatus.SENT, 1),
        (STAFF, NotificationStatus.SENT, 1),
        (STAFF, NotificationStatus.SENT, 1),
    ]


def test_requests_sent_while_redis_hangs_are_answered_within_two_seconds(
    client, presentation, audience, form_data, redis_everywhere, wait_for_mail
):
    assert submit_form(client, presentation, form_data).status_code == 302
    wait_for_mail(2)
    with redis_everywhere.client() as admin:
        # Every client's every command waits, as on a server stuck in a long command or swapping.
        admin.execute_command("CLIENT", "PAUSE", "4000", "ALL")
    paused_at = time.monotonic()

    by_form, form_seconds = timed(lambda: submit_form(client, presentation, form_data))
    by_api, api_seconds = timed(lambda: submit_api(presentation, audience))

    assert (by_form.status_code, by_api.status_code) == (302, 201)
    assert (form_seconds < ANSWER_WITHIN_SECONDS, api_seconds < ANSWER_WITHIN_SECONDS) == (True, True), (
        form_seconds,
        api_seconds,
    )
    from_form = PresentationRequest.objects.exclude(contact_email=API_CONTACT).order_by("pk").last()
    from_api = PresentationRequest.objects.get(contact_email=API_CONTACT)

    wait_for(lambda: time.monotonic() - paused_at > 4.5, what="the pause to end")
    assert sweep_once_redis_answers() == 4
    delivered = wait_for_mail(6)

    assert acknowledgements(delivered[2:]) == expected_mail(from_form, from_api)
    assert [n.status for r in (from_form, from_api) for n in r.notifications.all()] == [NotificationStatus.SENT] * 4
