"""The first notifications: their content, sending after commit, and surviving a broker outage."""

import json
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import redis
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outreach.models import PresentationRequest
from scheduling.models import Notification, NotificationKind, NotificationStatus
from scheduling.services.delivery import broker_outages, notification_deliver, notifications_send_due, send_notification
from tests.links import status_link_in

pytestmark = pytest.mark.django_db

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def submit(client, presentation, data):
    return client.post(
        reverse("outreach:request_create", kwargs={"slug": presentation.slug}), {**data, "step": "confirm"}
    )


@pytest.fixture
def submitted(client, presentation, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, presentation, form_data)
    token = response.url.split("/")[2]
    return PresentationRequest.objects.get(), token


def test_acknowledgement_reaches_the_contact(submitted):
    request, token = submitted

    ack = mail.outbox[0]

    assert ack.to == ["maria.lopez@example.edu"]
    assert ack.from_email == "Outreach Scheduler <outreach@outreach.test>"
    assert ack.subject == f"We received your presentation request {request.reference}"
    status_url = status_link_in(ack.body, request)  # a link of its own, made as the email was sent
    assert status_url.endswith("/?lang=en")  # opens in the language the request used
    assert token not in ack.body
    assert f"Reference: {request.reference}" in ack.body
    assert f"Your private status link (keep it; anyone with it can see the request):\n{status_url}\n" in ack.body
    assert "Presentation: Recognizing and Responding: Schools\n" in ack.body
    assert "Audience: Educators and school staff, about 45 people\n" in ack.body
    assert "What happens next:" in ack.body
    html, mimetype = ack.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{status_url}"' in html
    assert "&amp;" not in ack.body


def test_staff_notice_links_to_the_request(submitted):
    request, _ = submitted

    notice = mail.outbox[1]

    assert notice.to == ["staff@outreach.test"]
    assert (
        notice.subject
        == f"New request {request.reference}: Recognizing and Responding: Schools for Roosevelt High School"
    )
    assert f"Review it: https://outreach.test/staff/requests/{request.pk}/" in notice.body
    assert "Maria Lopez, School counselor, maria.lopez@example.edu, +1 612-555-0123" in notice.body


def test_submission_writes_two_outbox_rows_marked_sent(submitted):
    request, _ = submitted

    rows = list(request.notifications.values_list("kind", "recipient", "sequence", "status", "attempts"))

    assert rows == [
        (NotificationKind.REQUEST_RECEIVED, "maria.lopez@example.edu", 0, NotificationStatus.SENT, 1),
        (NotificationKind.STAFF_NEW_REQUEST, "staff@outreach.test", 0, NotificationStatus.SENT, 1),
    ]


def test_emails_are_sent_only_after_commit(client, presentation, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(client, presentation, form_data)

    assert mail.outbox == []
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 2
    assert len(callbacks) == 2

    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 2
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2


def test_submission_with_broker_unreachable_is_saved_and_mail_sent_later(
    client, presentation, form_data, django_capture_on_commit_callbacks, celery_broker
):
    celery_broker(UNREACHABLE_BROKER)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, presentation, form_data)

    assert response.status_code == 302
    assert PresentationRequest.objects.count() == 1
    assert Notification.objects.filter(status=NotificationStatus.PENDING).count() == 2
    assert mail.outbox == []

    from config import celery_app

    celery_app.conf.task_always_eager = True  # the broker is back (in-process here)
    broker_outages.clear()  # the sweep comes a minute later, long after the process tries the broker again
    # The sweep leaves a new row a minute for its own task, then hands it over.
    assert notifications_send_due() == 0
    assert notifications_send_due(now=timezone.now() + timedelta(seconds=61)) == 2

    assert len(mail.outbox) == 2
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2


def test_sweep_leaves_fresh_pending_rows_alone(client, presentation, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        submit(client, presentation, form_data)

    assert notifications_send_due() == 0
    assert mail.outbox == []

    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=61))
    assert notifications_send_due() == 2
    assert len(mail.outbox) == 2


def test_send_task_run_twice_sends_once(client, presentation, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        submit(client, presentation, form_data)
    ack = Notification.objects.get(kind=NotificationKind.REQUEST_RECEIVED)

    send_notification.apply(args=[ack.pk])
    send_notification.apply(args=[ack.pk])

    assert [m.subject for m in mail.outbox] == [ack.subject]
    ack.refresh_from_db()
    assert (ack.status, ack.attempts) == (NotificationStatus.SENT, 1)


def test_temporary_smtp_failure_keeps_row_pending_until_its_next_attempt(
    client, presentation, form_data, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=False):
        submit(client, presentation, form_data)
    ack = Notification.objects.get(kind=NotificationKind.REQUEST_RECEIVED)
    now = timezone.now()

    refused = ConnectionRefusedError(111, "Connection refused")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=refused):
        assert notification_deliver(notification_id=ack.pk, now=now) == NotificationStatus.PENDING

    ack.refresh_from_db()
    assert (ack.status, ack.attempts, ack.last_error, ack.claimed_until) == (
        NotificationStatus.PENDING,
        1,
        "ConnectionRefusedError: [Errno 111] Connection refused",
        None,
    )
    base = timedelta(seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS)
    assert now + base / 2 <= ack.next_attempt_at <= now + base
    # Not due yet: neither the task nor the sweep tries it again before its time.
    assert notification_deliver(notification_id=ack.pk, now=ack.next_attempt_at - timedelta(seconds=1)) is None
    assert notifications_send_due(now=ack.next_attempt_at - timedelta(seconds=1)) == 0
    assert mail.outbox == []

    assert notification_deliver(notification_id=ack.pk, now=ack.next_attempt_at) == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    ack.refresh_from_db()
    assert (ack.status, ack.attempts, ack.last_error) == (NotificationStatus.SENT, 2, "")


def test_permanent_smtp_refusal_marks_row_failed_with_the_attempt_counted(
    client, presentation, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submit(client, presentation, form_data)
    ack = Notification.objects.get(kind=NotificationKind.REQUEST_RECEIVED)
    refused = smtplib.SMTPRecipientsRefused({"maria.lopez@example.edu": (550, b"No such user")})

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=refused):
        send_notification.apply(args=[ack.pk])

    ack.refresh_from_db()
    assert (ack.status, ack.attempts) == (NotificationStatus.FAILED, 1)
    assert ack.last_error.startswith("SMTPRecipientsRefused")
    assert mail.outbox == []


def test_row_fails_after_the_last_attempt(
    client, presentation, form_data, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=False):
        submit(client, presentation, form_data)
    ack = Notification.objects.get(kind=NotificationKind.REQUEST_RECEIVED)
    Notification.objects.filter(pk=ack.pk).update(attempts=settings.NOTIFICATION_MAX_ATTEMPTS - 1)

    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=TimeoutError("timed out")):
        assert notification_deliver(notification_id=ack.pk) == NotificationStatus.FAILED

    ack.refresh_from_db()
    assert (ack.status, ack.attempts, ack.last_error) == (
        NotificationStatus.FAILED,
        settings.NOTIFICATION_MAX_ATTEMPTS,
        "TimeoutError: timed out",
    )


@pytest.mark.redis
def test_submission_publishes_send_tasks_to_redis_after_commit(
    client, presentation, form_data, django_capture_on_commit_callbacks, celery_broker, redis_url
):
    broker_url = redis_url.rsplit("/", 1)[0] + "/15"
    queue = redis.Redis.from_url(broker_url)
    queue.flushdb()
    celery_broker(broker_url)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(client, presentation, form_data)
    assert queue.llen("celery") == 0

    for callback in callbacks:
        callback()

    messages = [json.loads(raw) for raw in queue.lrange("celery", 0, -1)]
    published = sorted((m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages)
    ids = sorted(Notification.objects.values_list("pk", flat=True))
    assert published == sorted(("scheduling.send_notification", f"({pk},)") for pk in ids)
    assert mail.outbox == []
    queue.flushdb()
