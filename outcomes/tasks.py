"""Periodic Celery tasks of the outcomes: thin wrappers that call one service."""

from celery import shared_task

from outcomes.services import evaluation_reminders_queue_due


@shared_task(name="outcomes.send_evaluation_reminders", acks_late=True)
def send_evaluation_reminders() -> int:
    return evaluation_reminders_queue_due()
