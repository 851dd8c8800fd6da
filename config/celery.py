"""The Celery application: configuration from Django settings (CELERY_*), tasks from every app.

A worker replaces the logging handlers Django configured with its own; each of them gets the
filter that keeps private links out of log lines (common.logging), as Django's handlers have.
"""

import logging
import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from common.logging import RedactPrivateLinks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("outreach_scheduler")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def redact_worker_logs(logger: logging.Logger, **kwargs) -> None:
    for handler in logger.handlers:
        if not any(isinstance(f, RedactPrivateLinks) for f in handler.filters):
            handler.addFilter(RedactPrivateLinks())
