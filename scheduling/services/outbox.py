"""The outbox's retry schedule: when a row is tried, who may send it, what each attempt's outcome does.

Every row carries its own schedule: ``next_attempt_at`` (no attempt before then) and ``claimed_until``
(the lease of the worker sending it). A worker claims a due row with one conditional UPDATE, which
also counts the attempt; it then talks to the mail server with no transaction open and no row locked;
and it records the outcome with another conditional UPDATE that only the holder of the claim can
make. So one delivery of a row is in flight at a time, however many tasks name it, and the periodic
sweep and the tasks never race each other. A worker that dies mid-send leaves a lease that runs out
(NOTIFICATION_CLAIM_SECONDS); the sweep then hands the row to another worker.

A temporary failure (the server refused the connection, timed out, or answered 4xx) schedules the
next attempt with exponential backoff and jitter; a permanent one (5xx) fails the row at once; after
NOTIFICATION_MAX_ATTEMPTS attempts the row fails too. A failed row waits for staff to resend it.
"""

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q

from scheduling.models import Notification, NotificationStatus

logger = logging.getLogger(__name__)


def retry_delay(*, attempts: int, jitter: float | None = None) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt before the next one.

    NOTIFICATION_RETRY_BASE_SECONDS doubled with each attempt, at most NOTIFICATION_RETRY_MAX_SECONDS,
    less a random part of up to half of it (``jitter`` in [0, 1] picks that part; random by default).
    """
    if jitter is None:
        jitter = random.random()  # noqa: S311 (spreading retries out, not a secret)
    ceiling = min(
        settings.NOTIFICATION_RETRY_MAX_SECONDS, settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    )
    return timedelta(seconds=ceiling * (1 - jitter / 2))


def _unclaimed(now: datetime) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def notification_claim(*, notification_id: int, now: datetime) -> Notification | None:
    """Take a pending, due and unclaimed row for one attempt, counting the attempt; None if it is not
    there to take (sent, failed, not yet due, or being sent by another worker).

    One conditional UPDATE, so of any number of workers holding the id at most one gets it."""
    lease = now + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    taken = (
        Notification.objects.filter(_unclaimed(now), pk=notification_id, status=NotificationStatus.PENDING)
        .filter(next_attempt_at__lte=now)
        .update(claimed_until=lease, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    if not taken:
        return None
    return Notification.objects.get(pk=notification_id)


def _record(notification: Notification, **fields) -> bool:
    """Write the outcome of the attempt ``notification`` was claimed for, if the claim is still ours."""
    updated = Notification.objects.filter(
        pk=notification.pk, status=NotificationStatus.PENDING, claimed_until=notification.claimed_until
    ).update(claimed_until=None, **fields)
    if not updated:
        logger.warning("Notification %s: the claim ran out before the outcome was recorded", notification.pk)
        return False
    for name, value in fields.items():
        setattr(notification, name, value)
    notification.claimed_until = None
    return True


def notification_record_sent(*, notification: Notification, now: datetime) -> NotificationStatus:
    """The mail server took the message."""
    _record(notification, status=NotificationStatus.SENT, sent_at=now, last_error="")
    return NotificationStatus.SENT


def notification_record_failure(
    *, notification: Notification, error: str, temporary: bool, now: datetime
) -> NotificationStatus:
    """The attempt failed: schedule the next one (temporary, and attempts remain), or fail the row."""
    error = error[:2000]
    if temporary and notification.attempts < settings.NOTIFICATION_MAX_ATTEMPTS:
        next_attempt_at = now + retry_delay(attempts=notification.attempts)
        _record(notification, last_error=error, next_attempt_at=next_attempt_at)
        logger.info(
            "Notification %s: attempt %s of %s failed for now; next attempt at %s",
            notification.pk,
            notification.attempts,
            settings.NOTIFICATION_MAX_ATTEMPTS,
            next_attempt_at.isoformat(),
        )
        return NotificationStatus.PENDING
    _record(notification, status=NotificationStatus.FAILED, last_error=error)
    logger.warning(
        "Notification %s failed after %s attempt(s); staff may resend it", notification.pk, notification.attempts
    )
    return NotificationStatus.FAILED


def notification_reschedule_now(*, notification_id: int, now: datetime) -> bool:
    """Put a failed row back in the queue, due at once and with its attempts counted from zero
    (not one whose content was erased)."""
    return bool(
        Notification.objects.filter(
            pk=notification_id, status=NotificationStatus.FAILED, body_erased_at__isnull=True
        ).update(status=NotificationStatus.PENDING, attempts=0, last_error="", next_attempt_at=now, claimed_until=None)
    )
