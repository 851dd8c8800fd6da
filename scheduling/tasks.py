"""Celery tasks: thin wrappers that take ids and call one service."""

from celery import shared_task

from scheduling.services.notify import (
    TemporaryDeliveryError,
    notification_deliver,
    notification_mark_failed,
    notifications_requeue_pending,
    reminders_queue_due,
)
from scheduling.services.review import requests_expire_due


@shared_task(
    name="scheduling.send_notification",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(TemporaryDeliveryError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_notification(notification_id: int) -> None:
    try:
        notification_deliver(notification_id=notification_id)
    except TemporaryDeliveryError:
        raise
    except Exception as exc:
        notification_mark_failed(notification_id=notification_id, error=f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name="scheduling.sweep_notifications", acks_late=True)
def sweep_notifications() -> int:
    return notifications_requeue_pending()


@shared_task(name="scheduling.send_reminders", acks_late=True)
def send_reminders() -> int:
    return reminders_queue_due()


@shared_task(name="scheduling.expire_requests", acks_late=True)
def expire_requests() -> int:
    return requests_expire_due()


@shared_task(name="scheduling.send_evaluation_reminders", acks_late=True)
def send_evaluation_reminders() -> int:
    from scheduling.services.outcomes import evaluation_reminders_queue_due

    return evaluation_reminders_queue_due()
