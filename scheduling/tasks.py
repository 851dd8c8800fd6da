"""Periodic Celery tasks: thin wrappers that call one service. The send task lives beside its
service in ``scheduling.services.delivery`` (imported here, so the worker registers it too)."""

from celery import shared_task

from scheduling.services.delivery import notifications_send_due
from scheduling.services.notify import reminders_queue_due
from scheduling.services.retention import retention_apply
from scheduling.services.review import requests_expire_due


@shared_task(name="scheduling.sweep_notifications", acks_late=True)
def sweep_notifications() -> int:
    return notifications_send_due()


@shared_task(name="scheduling.send_reminders", acks_late=True)
def send_reminders() -> int:
    return reminders_queue_due()


@shared_task(name="scheduling.expire_requests", acks_late=True)
def expire_requests() -> int:
    return requests_expire_due()


@shared_task(name="scheduling.apply_retention", acks_late=True)
def apply_retention() -> dict[str, int]:
    return retention_apply()
