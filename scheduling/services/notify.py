"""The notification outbox: queue rows with the change that causes them, deliver each once.

A row is written inside the caller's transaction; the send task is enqueued only after that
transaction commits. If the broker is unreachable the row simply stays pending and the
periodic sweep hands it to a worker later, so an outage delays mail and never loses it.
"""

import logging
import smtplib
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from outreach.models import PresentationRequest
from scheduling.models import Notification, NotificationKind, NotificationStatus

logger = logging.getLogger(__name__)

# After this many failed attempts a row is marked failed and left for staff to resend.
MAX_ATTEMPTS = 10


class TemporaryDeliveryError(Exception):
    """The mail server could not take the message now; trying again later may succeed."""


def notification_queue(
    *,
    request: PresentationRequest,
    kind: NotificationKind,
    recipient: str,
    context: dict,
    sequence: int = 0,
) -> Notification:
    """Render the email for ``kind`` and write it to the outbox; send it after commit.

    Templates: ``scheduling/email/<kind>_subject.txt``, ``<kind>.txt`` and ``<kind>.html``.
    Queuing the same request, kind, recipient and sequence twice returns the first row.
    """
    context = {
        "request_obj": request,
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "site_url": settings.SITE_URL,
        **context,
    }
    base = f"scheduling/email/{kind}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    notification, created = Notification.objects.get_or_create(
        request=request,
        kind=kind,
        recipient=recipient,
        sequence=sequence,
        defaults={
            "subject": subject[:200],
            "body_text": render_to_string(f"{base}.txt", context),
            "body_html": render_to_string(f"{base}.html", context),
        },
    )
    if created:
        transaction.on_commit(partial(notification_enqueue, notification_id=notification.pk))
    return notification


def notification_enqueue(*, notification_id: int) -> bool:
    """Hand a notification to the worker. Returns False, leaving the row pending, if the broker is down."""
    from scheduling.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except (BrokerError, OSError) as exc:
        logger.warning(
            "Broker unreachable; notification %s stays pending for the sweep (%s)", notification_id, type(exc).__name__
        )
        return False
    return True


def _is_temporary(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPException, OSError, TimeoutError))


def _email_for(notification: Notification) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(notification.body_html, "text/html")
    return message


def notification_deliver(*, notification_id: int) -> NotificationStatus | None:
    """Send one outbox row unless it was sent already; record the outcome on the row.

    The row is locked for the duration, so two workers holding the same id send it once.
    Raises TemporaryDeliveryError when the mail server may take it later (the row stays
    pending); a permanent refusal marks the row failed.
    """
    temporary_error = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.status != NotificationStatus.PENDING:
            return None
        notification.attempts += 1
        notification.last_attempt_at = timezone.now()
        try:
            _email_for(notification).send()
        except Exception as exc:
            if not _is_temporary(exc):
                raise
            notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
            else:
                temporary_error = exc
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = notification.last_attempt_at
            notification.last_error = ""
        notification.save(update_fields=["attempts", "last_attempt_at", "status", "sent_at", "last_error"])
    if temporary_error is not None:
        raise TemporaryDeliveryError(str(temporary_error)) from temporary_error
    return notification.status


def notification_mark_failed(*, notification_id: int, error: str) -> None:
    """Record a permanent failure (an error that retrying cannot fix)."""
    Notification.objects.filter(pk=notification_id, status=NotificationStatus.PENDING).update(
        status=NotificationStatus.FAILED, last_error=error[:2000], last_attempt_at=timezone.now()
    )


def notifications_requeue_pending(*, older_than: timedelta | None = None) -> int:
    """Hand every notification still pending after ``older_than`` to the worker again."""
    if older_than is None:
        older_than = timedelta(seconds=settings.NOTIFICATION_RETRY_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    ids = list(
        Notification.objects.filter(status=NotificationStatus.PENDING, created_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
    return sum(notification_enqueue(notification_id=pk) for pk in ids)


def _staff_request_url(request: PresentationRequest) -> str:
    return settings.SITE_URL + request.get_staff_url()


def request_submitted_notify(*, request: PresentationRequest, status_url: str) -> None:
    """Acknowledge a new request to its contact and tell the staff inbox about it."""
    notification_queue(
        request=request,
        kind=NotificationKind.REQUEST_RECEIVED,
        recipient=request.contact_email,
        context={"status_url": status_url},
    )
    notification_queue(
        request=request,
        kind=NotificationKind.STAFF_NEW_REQUEST,
        recipient=settings.STAFF_NOTIFICATION_EMAIL,
        context={"staff_url": _staff_request_url(request)},
    )


def request_withdrawn_notify(*, request: PresentationRequest) -> None:
    """Confirm a withdrawal to the contact and tell the staff inbox."""
    notification_queue(
        request=request, kind=NotificationKind.REQUEST_WITHDRAWN, recipient=request.contact_email, context={}
    )
    notification_queue(
        request=request,
        kind=NotificationKind.STAFF_REQUEST_WITHDRAWN,
        recipient=settings.STAFF_NOTIFICATION_EMAIL,
        context={"staff_url": _staff_request_url(request)},
    )
