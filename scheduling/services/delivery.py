"""Delivering the notification outbox: hand each row to a worker, send it once, resend a failure.

A row is handed to the worker only after the transaction that wrote it commits (``notify``). If
the broker is unreachable the row simply stays pending and the periodic sweep hands it to a worker
later, so an outage delays mail and never loses it. The retry schedule of each row is in
``outbox``.
"""

import logging
import smtplib
from datetime import datetime
from functools import partial

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerError

from common.exceptions import DomainError
from common.links import links_fill
from common.mail import message_id
from common.models import LinkPurpose
from common.outages import Outages
from scheduling.invites import invite_restamp
from scheduling.models import Notification, NotificationStatus
from scheduling.selectors import notifications_due
from scheduling.services.outbox import (
    notification_claim,
    notification_record_failure,
    notification_record_sent,
    notification_reschedule_now,
)

logger = logging.getLogger(__name__)

# After the broker fails to take a task, this process leaves it alone for a few seconds: the rows
# stay pending for the sweep, and a page that queues several messages waits for one timeout, not one each.
BROKER_RETRY_AFTER_SECONDS = 5.0
broker_outages = Outages(retry_after=BROKER_RETRY_AFTER_SECONDS)

MSG_NOT_FAILED = _("Only a notification that failed can be sent again.")
MSG_CONTENT_ERASED = _("This notification's content was erased, so it cannot be sent again.")


class NotificationNotFailed(DomainError):
    """Only a notification that failed can be sent again."""

    code = "invalid_transition"


def notification_enqueue(*, notification_id: int) -> bool:
    """Hand a notification to the worker. Returns False, leaving the row pending, if the broker is down."""
    if broker_outages.is_down("broker"):
        return False
    try:
        send_notification.delay(notification_id)
    except (BrokerError, OSError) as exc:
        broker_outages.record("broker")
        logger.warning(
            "Broker unreachable; notification %s stays pending for the sweep (%s)", notification_id, type(exc).__name__
        )
        return False
    return True


def _is_temporary(exc: Exception) -> bool:
    """A 4xx answer, a refused or lost connection, a timeout: the server may take the message later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPException, OSError, TimeoutError))


def _with_live_links(notification: Notification) -> tuple[str, str, str]:
    """The row's text, HTML and invite with a new private link where each placeholder is
    (common.links): one link per purpose, shared by the three parts. The invite is unfolded
    first, so that no placeholder is split across lines."""
    ics = notification.ics.replace("\r\n ", "").replace("\r\n\t", "")
    subjects = {
        LinkPurpose.REQUEST_STATUS: notification.request_id,
        LinkPurpose.HOST_EVALUATION: notification.booking_id,
        LinkPurpose.AUDIENCE_SURVEY: notification.booking_id,
    }
    text, html, ics = links_fill([notification.body_text, notification.body_html, ics], subjects=subjects)
    return text, html, ics


def email_for(notification: Notification) -> EmailMultiAlternatives:
    """The message as sent: multipart/alternative (text, HTML, and the invite as text/calendar)
    inside multipart/mixed with the invite also attached as invite.ics. Each private link in it
    is made now (the stored row holds placeholders)."""
    body_text, body_html, stored_ics = _with_live_links(notification)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={
            "Auto-Submitted": "auto-generated",
            # The same for every attempt at one row, so a retry after a doubtful attempt is one message.
            "Message-ID": message_id(f"notification.{notification.pk}.{notification.created_at:%Y%m%d%H%M%S}"),
        },
    )
    message.attach_alternative(body_html, "text/html")
    if notification.ics:
        ics = invite_restamp(stored_ics, stamp=timezone.now())
        message.attach_alternative(ics, f"text/calendar; method={notification.ics_method}")
        # As UTF-8 bytes: given a str, the email package base64-encodes a non-text part after
        # turning every non-ASCII character into a literal escape (an en dash into "\u2013").
        message.attach("invite.ics", ics.encode("utf-8"), f"application/ics; method={notification.ics_method}")
    return message


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> NotificationStatus | None:
    """Make one attempt at sending an outbox row, if it is due and no other worker holds it.

    Claims the row (a short conditional UPDATE that counts the attempt), sends it with no
    transaction open and no row locked, then records the outcome: sent; pending with the next
    attempt's time after a temporary failure; failed after a permanent one or the last attempt
    (see ``scheduling.services.outbox``). Returns the row's status, or None if there was nothing
    to do (already sent or failed, not yet due, or being sent by another worker).
    """
    now = now or timezone.now()
    notification = notification_claim(notification_id=notification_id, now=now)
    if notification is None:
        return None
    try:
        email_for(notification).send()
    except Exception as exc:  # every outcome is recorded on the row; none escapes to the task
        return notification_record_failure(
            notification=notification, error=f"{type(exc).__name__}: {exc}", temporary=_is_temporary(exc), now=now
        )
    return notification_record_sent(notification=notification, now=now)


@shared_task(name="scheduling.send_notification", acks_late=True, reject_on_worker_lost=True)
def send_notification(notification_id: int) -> None:
    """The worker's side of the outbox: one attempt at one row (kept beside the service it runs).

    It retries nothing itself: a failed attempt writes the next attempt's time on the row, and the
    sweep hands the row to a worker again when that time comes."""
    notification_deliver(notification_id=notification_id)


def notification_resend(*, notification: Notification) -> Notification:
    """Put a failed notification back in the queue (staff's "resend"), due at once.

    Raises NotificationNotFailed for one that is pending or sent: only a failure is sent again.
    """
    if not notification_reschedule_now(notification_id=notification.pk, now=timezone.now()):
        notification.refresh_from_db(fields=["body_erased_at"])
        raise NotificationNotFailed(MSG_CONTENT_ERASED if notification.body_erased_at else MSG_NOT_FAILED)
    transaction.on_commit(partial(notification_enqueue, notification_id=notification.pk))
    notification.refresh_from_db()
    return notification


def notifications_send_due(*, now: datetime | None = None) -> int:
    """Hand every notification that is due (``selectors.notifications_due``) to the worker: what the
    periodic sweep runs. Returns how many were handed over."""
    ids = list(notifications_due(now=now).values_list("pk", flat=True))
    return sum(notification_enqueue(notification_id=pk) for pk in ids)
