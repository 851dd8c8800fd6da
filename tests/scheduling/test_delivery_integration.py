"""Delivery end to end: a Celery worker process on Redis sends the outbox to an SMTP server on loopback.

What is asserted is what people receive: which messages arrive, to whom, with which subject,
and the invite a calendar reads (METHOD, UID, SEQUENCE, STATUS), each exactly once.
"""

import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from outreach.models import PresentationRequest
from scheduling.models import Notification, NotificationStatus, Presenter
from scheduling.models import NotificationKind as Kind
from scheduling.services.delivery import broker_outages, notifications_send_due
from scheduling.services.review import Plan, booking_cancel, booking_reschedule, request_approve
from tests.factories import days_ahead
from tests.scheduling.conftest import WAIT_SECONDS, WorkerProcess, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CONTACT = "maria.lopez@example.edu"
OTHER_CONTACT = "sam.lee@example.edu"
STAFF = "staff@outreach.test"
LEAD = "ana.ortiz@presenters.test"
CO = "ben.carter@presenters.test"
FROM = "outreach@outreach.test"
TITLE = "Recognizing and Responding: Schools"
ORGANIZATION = "Roosevelt High School"
LOCATION = "Roosevelt High School, 4029 28th Ave S, Minneapolis, library"


def submit(client, presentation, form_data):
    return client.post(
        reverse("outreach:request_create", kwargs={"slug": presentation.slug}), {**form_data, "step": "confirm"}
    )


def day(moment: datetime) -> str:
    """The date as the subjects write it: "Mar 14, 2027"."""
    return f"{moment:%b} {moment.day}, {moment.year}"


def invite(message: EmailMessage) -> str:
    """The invite as a calendar reads it, or "" when the message carries none.

    The text/calendar alternative and the invite.ics attachment must be the same invite.
    """
    parts = [part for part in message.walk() if part.get_content_type() in ("text/calendar", "application/ics")]
    if not parts:
        return ""
    calendars = [Calendar.from_ical(part.get_content()) for part in parts]
    alternative, attachment = parts
    assert (alternative.get_content_type(), attachment.get_content_type(), attachment.get_filename()) == (
        "text/calendar",
        "application/ics",
        "invite.ics",
    )
    assert calendars[1].to_ical().decode().splitlines() == calendars[0].to_ical().decode().splitlines()
    calendar = calendars[0]
    (event,) = calendar.walk("VEVENT")
    assert alternative.get_param("method") == calendar["METHOD"]
    return f"{calendar['METHOD']} SEQUENCE:{event['SEQUENCE']} STATUS:{event['STATUS']}"


def events(deliveries: list) -> list:
    """The VEVENT of every invite among ``deliveries``, in the order they arrived."""
    found = []
    for delivery in deliveries:
        for part in delivery.message.walk():
            if part.get_content_type() == "text/calendar":
                found.extend(Calendar.from_ical(part.get_content()).walk("VEVENT"))
    return found


def seen(deliveries: list) -> list[tuple[str, str, str]]:
    """(recipient, subject, invite) for each delivered message, sorted; duplicates stay visible."""
    rows = []
    for delivery in deliveries:
        message = delivery.message
        assert delivery.mail_from == FROM
        assert message["From"] == f"Outreach Scheduler <{FROM}>"
        assert delivery.rcpt_tos == (message["To"],)
        rows.append((message["To"], message["Subject"], invite(message)))
    return sorted(rows)


@pytest.fixture
def presenters(presentation) -> tuple[Presenter, Presenter]:
    lead = Presenter.objects.create(name="Ana Ortiz", email=LEAD)
    co = Presenter.objects.create(name="Ben Carter", email=CO)
    for presenter in (lead, co):
        presenter.presentations.set([presentation])
        presenter.languages.set(presentation.languages.all())
    return lead, co


def test_lifecycle_delivers_each_message_once_to_the_right_people(
    client, presentation, form_data, presenters, django_user_model, wait_for_mail
):
    staff = django_user_model.objects.create_user("coordinator", "coordinator@outreach.test", is_staff=True)
    lead, co = presenters
    first_start, first_end = days_ahead(30, 9), days_ahead(30, 10, 30)
    second_start, second_end = days_ahead(37, 13), days_ahead(37, 14, 30)

    response = submit(client, presentation, form_data)
    assert response.status_code == 302
    request = PresentationRequest.objects.get()
    ref = request.reference
    submitted = wait_for_mail(2)

    booking = request_approve(
        request=request,
        by=staff,
        plan=Plan(start=first_start, end=first_end, lead_presenter=lead, co_presenters=[co], location=LOCATION),
    )
    approved = wait_for_mail(5)

    booking_reschedule(
        request=request,
        by=staff,
        plan=Plan(start=second_start, end=second_end, lead_presenter=lead, co_presenters=[co], location=LOCATION),
    )
    rescheduled = wait_for_mail(8)

    booking_cancel(request=request, by=staff, reason="The school closed for the day.")
    everything = wait_for_mail(12)

    assert seen(submitted) == [
        (CONTACT, f"We received your presentation request {ref}", ""),
        (STAFF, f"New request {ref}: {TITLE} for {ORGANIZATION}", ""),
    ]
    on_first = day(first_start)
    assert seen(approved[2:]) == [
        (LEAD, f"You are presenting: {TITLE} on {on_first} ({ORGANIZATION})", "REQUEST SEQUENCE:0 STATUS:CONFIRMED"),
        (CO, f"You are presenting: {TITLE} on {on_first} ({ORGANIZATION})", "REQUEST SEQUENCE:0 STATUS:CONFIRMED"),
        (CONTACT, f"Confirmed: {TITLE} on {on_first}", "REQUEST SEQUENCE:0 STATUS:CONFIRMED"),
    ]
    on_second = day(second_start)
    assert seen(rescheduled[5:]) == [
        (LEAD, f"Updated: {TITLE}, now on {on_second} ({ORGANIZATION})", "REQUEST SEQUENCE:1 STATUS:CONFIRMED"),
        (CO, f"Updated: {TITLE}, now on {on_second} ({ORGANIZATION})", "REQUEST SEQUENCE:1 STATUS:CONFIRMED"),
        (CONTACT, f"Updated: {TITLE}, now on {on_second}", "REQUEST SEQUENCE:1 STATUS:CONFIRMED"),
    ]
    assert seen(everything[8:]) == [
        (LEAD, f"Cancelled: {TITLE} on {on_second} ({ORGANIZATION})", "CANCEL SEQUENCE:2 STATUS:CANCELLED"),
        (CO, f"Cancelled: {TITLE} on {on_second} ({ORGANIZATION})", "CANCEL SEQUENCE:2 STATUS:CANCELLED"),
        (CONTACT, f"Cancelled: {TITLE} on {on_second}", "CANCEL SEQUENCE:2 STATUS:CANCELLED"),
        (STAFF, f"Cancelled: {ref} ({ORGANIZATION}) on {on_second}", ""),
    ]
    invites = events(everything)
    assert {str(event["UID"]) for event in invites} == {booking.uid}
    assert [(event.decoded("DTSTART"), event.decoded("DTEND")) for event in invites] == (
        [(first_start, first_end)] * 3 + [(second_start, second_end)] * 6
    )
    assert [sorted(str(a).removeprefix("mailto:") for a in event["ATTENDEE"]) for event in invites] == (
        [sorted([CONTACT, LEAD, CO])] * 9
    )
    outbox = [
        (CONTACT, Kind.REQUEST_RECEIVED, 0),
        (STAFF, Kind.STAFF_NEW_REQUEST, 0),
        (CONTACT, Kind.BOOKING_CONFIRMED, 0),
        (LEAD, Kind.PRESENTER_ASSIGNED, 0),
        (CO, Kind.PRESENTER_ASSIGNED, 0),
        (CONTACT, Kind.BOOKING_UPDATED, 1),
        (LEAD, Kind.PRESENTER_UPDATED, 1),
        (CO, Kind.PRESENTER_UPDATED, 1),
        (CONTACT, Kind.BOOKING_CANCELLED, 2),
        (LEAD, Kind.PRESENTER_CANCELLED, 2),
        (CO, Kind.PRESENTER_CANCELLED, 2),
        (STAFF, Kind.STAFF_BOOKING_CANCELLED, 2),
    ]
    assert sorted(Notification.objects.values_list("recipient", "kind", "sequence", "status", "attempts")) == sorted(
        (recipient, kind, sequence, NotificationStatus.SENT, 1) for recipient, kind, sequence in outbox
    )
    assert mail.outbox == []  # the worker sent them; nothing was sent in this process


def test_smtp_refusing_for_a_while_then_accepting_delivers_each_message_once(
    client, presentation, form_data, smtp_server, wait_for_mail
):
    smtp_server.refuse_first = 3

    response = submit(client, presentation, form_data)
    assert response.status_code == 302
    request = PresentationRequest.objects.get()
    # The worker's schedule is in seconds (NOTIFICATION_RETRY_BASE_SECONDS=1); the task retries
    # nothing itself, so the sweep (beat's, run here every 0.2 s) hands each row over when it is due.
    deadline = time.monotonic() + WAIT_SECONDS
    while len(smtp_server.delivered) < 2 and time.monotonic() < deadline:
        notifications_send_due()
        time.sleep(0.2)
    delivered = wait_for_mail(2)

    assert seen(delivered) == [
        (CONTACT, f"We received your presentation request {request.reference}", ""),
        (STAFF, f"New request {request.reference}: {TITLE} for {ORGANIZATION}", ""),
    ]
    refusals = Counter(recipient for (recipient,) in smtp_server.refused)
    assert sorted(refusals.values()) == [1, 2]
    assert sorted(Notification.objects.values_list("recipient", "status", "attempts", "last_error")) == [
        (CONTACT, NotificationStatus.SENT, 1 + refusals[CONTACT], ""),
        (STAFF, NotificationStatus.SENT, 1 + refusals[STAFF], ""),
    ]
    # Attempts are spaced by the row's backoff: at least half a second after the first failure.
    for row in request.notifications.all():
        assert row.sent_at - row.created_at >= timedelta(seconds=0.5)
    assert mail.outbox == []


def test_submission_while_the_broker_is_down_is_saved_and_mailed_once_it_is_back(
    client, presentation, form_data, redis_server, wait_for_mail
):
    # Mail has been flowing, so this process holds a pooled broker connection that the outage breaks.
    assert submit(client, presentation, form_data).status_code == 302
    wait_for_mail(2)
    redis_server.stop()

    response = submit(client, presentation, {**form_data, "contact_name": "Sam Lee", "contact_email": OTHER_CONTACT})

    assert response.status_code == 302
    request = PresentationRequest.objects.get(contact_email=OTHER_CONTACT)
    assert sorted(request.notifications.values_list("recipient", "status", "attempts")) == [
        (OTHER_CONTACT, NotificationStatus.PENDING, 0),
        (STAFF, NotificationStatus.PENDING, 0),
    ]

    redis_server.start()
    broker_outages.clear()  # the sweep comes a minute later, long after the process tries the broker again
    # What celery beat's "notifications-sweep" does every minute, a minute later (the rows' own
    # tasks never reached the broker).
    assert notifications_send_due() == 0
    assert notifications_send_due(now=timezone.now() + timedelta(seconds=61)) == 2
    delivered = wait_for_mail(4)

    assert seen(delivered[2:]) == [
        (OTHER_CONTACT, f"We received your presentation request {request.reference}", ""),
        (STAFF, f"New request {request.reference}: {TITLE} for {ORGANIZATION}", ""),
    ]
    assert sorted(request.notifications.values_list("recipient", "status", "attempts")) == [
        (OTHER_CONTACT, NotificationStatus.SENT, 1),
        (STAFF, NotificationStatus.SENT, 1),
    ]
    assert mail.outbox == []


def test_a_worker_killed_while_sending_leaves_its_message_to_the_sweep_after_the_lease(
    client, presentation, form_data, smtp_server, redis_server, worker_process, tmp_path
):
    in_data, release = threading.Event(), threading.Event()

    def hold_the_first_message() -> None:
        if not in_data.is_set():
            in_data.set()
            release.wait(WAIT_SECONDS)

    smtp_server.during_data = hold_the_first_message
    assert submit(client, presentation, form_data).status_code == 302
    request = PresentationRequest.objects.get()
    wait_for(in_data.is_set, what="the worker to be sending the first message", details=worker_process.log)

    worker_process.process.kill()  # SIGKILL in the middle of the SMTP conversation
    worker_process.process.wait(WAIT_SECONDS)
    killed_at = time.monotonic()
    smtp_server.reply = "451 4.3.0 Try again later"  # the server never took it: the client went away
    release.set()
    wait_for(lambda: len(smtp_server.refused) == 1, what="the held message's answer")
    smtp_server.reply = None
    (held,) = request.notifications.filter(attempts=1, status=NotificationStatus.PENDING)
    assert held.claimed_until is not None

    # The row the killed worker held stays its own until the lease (3 s here) runs out; then the
    # sweep hands it to the broker, where the replacement worker finds it.
    assert notifications_send_due() == 0
    while time.monotonic() - killed_at < WAIT_SECONDS and not notifications_send_due():
        time.sleep(0.1)
    handed_after = time.monotonic() - killed_at
    replacement = WorkerProcess(
        broker_url=redis_server.url, smtp_port=smtp_server.port, log_path=tmp_path / "replacement.log"
    )
    try:
        replacement.start()
        wait_for(lambda: len(smtp_server.delivered) == 2, what="both messages", details=replacement.log)
    finally:
        replacement.stop()

    assert 2 <= handed_after < 4
    assert sorted(d.rcpt_tos for d in smtp_server.delivered) == [(CONTACT,), (STAFF,)]
    held.refresh_from_db()
    assert (held.status, held.attempts, held.claimed_until) == (NotificationStatus.SENT, 2, None)
