"""The outbox's retry schedule against a real SMTP server on loopback (aiosmtpd, or a bare socket).

Messages go through Django's SMTP backend to 127.0.0.1; only the clock is simulated, so that an
outage of many minutes and the backoff arithmetic take no real time. What is asserted is what the
mail server receives, the outbox row, and what staff see.
"""

import itertools
import socket
import threading
import time
from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from outreach.models import PresentationRequest
from scheduling.models import Notification, NotificationKind, NotificationStatus
from scheduling.services.delivery import notification_deliver, notifications_send_due
from scheduling.services.outbox import retry_delay
from tests.scheduling.conftest import free_port

pytestmark = pytest.mark.django_db

CONTACT = "maria.lopez@example.edu"
STAFF = "staff@outreach.test"
OUTAGE_451 = "451 4.3.0 Mail system busy, try again later"
REFUSED_550 = "550 5.1.1 No such user here"
TIMED_OUT = "SMTPServerDisconnected: Connection unexpectedly closed: timed out"


class Clock:
    """The time every ``timezone.now()`` reads while the fixture is active: the real time, moved
    forward by every ``advance``."""

    def __init__(self) -> None:
        self.real_now = timezone.now
        self.offset = timedelta(0)

    @property
    def now(self):
        return self.real_now() + self.offset

    def advance(self, **delta) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def clock():
    simulated = Clock()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: simulated.now):
        yield simulated


@pytest.fixture
def mail_to(settings):
    """``mail_to(port)``: send through Django's SMTP backend to 127.0.0.1:port, with a one-second timeout."""

    def use(port: int) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1

    return use


@pytest.fixture
def submit(client, presentation, form_data, django_capture_on_commit_callbacks):
    """Submit the example request; its two messages get their first attempt at once (after commit)."""

    def run() -> PresentationRequest:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("outreach:request_create", kwargs={"slug": presentation.slug}),
                {**form_data, "step": "confirm"},
            )
        assert response.status_code == 302
        return PresentationRequest.objects.get()

    return run


def rows(request: PresentationRequest) -> list[tuple]:
    return sorted(request.notifications.values_list("recipient", "status", "attempts", "last_error"))


def test_refused_connection_leaves_each_message_pending_with_its_next_attempt_scheduled(
    clock, mail_to, submit, settings, staff_user
):
    mail_to(free_port())  # nothing listens there

    request = submit()

    error = "ConnectionRefusedError: [Errno 111] Connection refused"
    assert rows(request) == [
        (CONTACT, NotificationStatus.PENDING, 1, error),
        (STAFF, NotificationStatus.PENDING, 1, error),
    ]
    base = timedelta(seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS)
    for row in request.notifications.all():
        assert row.last_attempt_at + base / 2 <= row.next_attempt_at <= row.last_attempt_at + base
        assert row.claimed_until is None
    staff = Client()
    staff.force_login(staff_user)
    page = staff.get(f"/staff/requests/{request.pk}/").text
    ack = request.notifications.get(kind=NotificationKind.REQUEST_RECEIVED)
    shown = dateformat.format(timezone.localtime(ack.next_attempt_at), "M j, g:i A T")  # e.g. "Dec 1, 9:05 AM CST"
    assert (
        '<span class="status-badge notification-pending">Pending</span>'
        f'<br><small class="nowrap">next attempt {shown}</small>' in page
    )
    assert "failed-heading" not in staff.get("/staff/").text  # nothing has failed


def test_timeout_leaves_the_message_pending_after_the_email_timeout(clock, mail_to, submit):
    # A server that takes the connection and never says a word.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    mail_to(silent.getsockname()[1])
    try:
        began = time.monotonic()
        request = submit()
        elapsed = time.monotonic() - began
    finally:
        silent.close()

    assert rows(request) == [
        (CONTACT, NotificationStatus.PENDING, 1, TIMED_OUT),
        (STAFF, NotificationStatus.PENDING, 1, TIMED_OUT),
    ]
    assert 2 <= elapsed < 6  # one second for each message's greeting that never came, and no retry in between


def test_451_for_twenty_minutes_keeps_mail_pending_then_delivers_each_message_once_with_backoff(
    clock, mail_to, smtp_server, submit, settings
):
    mail_to(smtp_server.port)
    smtp_server.reply = OUTAGE_451
    outage_ends = clock.now + timedelta(minutes=20)

    request = submit()
    attempts_at = {
        recipient: [at] for recipient, at in request.notifications.values_list("recipient", "last_attempt_at")
    }
    # Celery beat's sweep runs every minute; here, for 80 simulated minutes.
    for _ in range(80):
        clock.advance(minutes=1)
        if clock.now >= outage_ends:
            smtp_server.reply = None
        notifications_send_due()
        for recipient, attempts, last_attempt_at, status in request.notifications.values_list(
            "recipient", "attempts", "last_attempt_at", "status"
        ):
            if attempts > len(attempts_at[recipient]):
                attempts_at[recipient].append(last_attempt_at)
            if clock.now < outage_ends:
                assert status == NotificationStatus.PENDING, f"failed during the outage, at attempt {attempts}"

    assert sorted(d.rcpt_tos for d in smtp_server.delivered) == [(CONTACT,), (STAFF,)]
    refusals = Counter(recipient for (recipient,) in smtp_server.refused)
    assert rows(request) == [
        (CONTACT, NotificationStatus.SENT, refusals[CONTACT] + 1, ""),
        (STAFF, NotificationStatus.SENT, refusals[STAFF] + 1, ""),
    ]
    for times in attempts_at.values():
        assert len(times) == len(set(times))
        # Each gap is the row's own backoff after that many failures (jitter takes off up to half),
        # started on the sweep's next minute.
        for failures, (before, after) in enumerate(itertools.pairwise(times), start=1):
            ceiling = retry_delay(attempts=failures, jitter=0)
            assert ceiling / 2 <= after - before <= ceiling + timedelta(minutes=1)
        # Attempts are spaced out: 6 or 7 within the outage's 20 minutes (not dozens), the last after it.
        assert 5 <= len(times) <= 8
        assert times[-2] < outage_ends <= times[-1]


def test_550_fails_the_message_at_once_with_the_attempt_counted_and_shows_it_on_the_queue(
    clock, mail_to, smtp_server, submit, staff_user
):
    mail_to(smtp_server.port)
    smtp_server.reply = REFUSED_550

    request = submit()

    error = "SMTPDataError: (550, b'5.1.1 No such user here')"
    assert rows(request) == [
        (CONTACT, NotificationStatus.FAILED, 1, error),
        (STAFF, NotificationStatus.FAILED, 1, error),
    ]
    clock.advance(hours=2)
    assert notifications_send_due() == 0
    assert len(smtp_server.refused) == 2
    assert smtp_server.delivered == []

    staff = Client()
    staff.force_login(staff_user)
    page = staff.get("/staff/").text
    assert '<h2 id="failed-heading">2 emails could not be sent</h2>' in page
    ack = request.notifications.get(kind=NotificationKind.REQUEST_RECEIVED)
    assert (
        f'<th scope="row"><a href="/staff/requests/{request.pk}/#h-notifications">{request.reference}</a></th>\n'
        f"        <td>Request received (requester)</td>\n"
        f"        <td>{CONTACT}</td>"
    ) in page
    assert f'action="/staff/requests/{request.pk}/notifications/{ack.pk}/resend/"' in page
    assert page.count("SMTPDataError: (550, b&#x27;5.1.1 No such user here&#x27;)") == 2


@pytest.mark.django_db(transaction=True)
def test_while_one_worker_talks_to_the_server_no_other_can_send_the_row_and_nothing_is_locked(
    mail_to, smtp_server, submit
):
    mail_to(smtp_server.port)
    seen_during_send: list = []

    def another_worker() -> None:
        try:
            ack = Notification.objects.get(kind=NotificationKind.REQUEST_RECEIVED)
            # Another worker holding the same id finds the row taken, and can write to it: no lock is held.
            seen_during_send.append(notification_deliver(notification_id=ack.pk))
            seen_during_send.append(Notification.objects.filter(pk=ack.pk).update(last_error=""))
        except Exception as exc:
            seen_during_send.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    hooked = threading.Event()

    def once() -> None:
        if not hooked.is_set():
            hooked.set()
            another_worker()

    smtp_server.during_data = once

    request = submit()

    assert seen_during_send == [None, 1]
    assert sorted(d.rcpt_tos for d in smtp_server.delivered) == [(CONTACT,), (STAFF,)]
    assert [(r[0], r[1], r[2]) for r in rows(request)] == [
        (CONTACT, NotificationStatus.SENT, 1),
        (STAFF, NotificationStatus.SENT, 1),
    ]
