"""Periodic Celery tasks of the catalog side: thin wrappers that call one service."""

from celery import shared_task

from outreach.submissions import submission_keys_prune


@shared_task(name="outreach.prune_submission_keys", acks_late=True)
def prune_submission_keys() -> int:
    return submission_keys_prune()
