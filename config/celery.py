"""The Celery application: configuration from Django settings (CELERY_*), tasks from every app;
production settings unless DJANGO_SETTINGS_MODULE says otherwise.

A worker replaces the logging handlers Django configured with its own; each of them gets the
filter that keeps private links out of log lines (common.logging), as Django's handlers have.
"""

import logging
import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from common.logging import RedactPrivateLinks

# Production settings unless told otherwise, as for config.wsgi: a worker or beat started without
# DJANGO_SETTINGS_MODULE must not send mail with development links and secrets. ``make worker`` and
# ``make beat`` name the development settings themselves.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("outreach_scheduler")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def redact_worker_logs(logger: logging.Logger, **kwargs) -> None:
    for handler in logger.handlers:
        if not any(isinstance(f, RedactPrivateLinks) for f in handler.filters):
            handler.addFilter(RedactPrivateLinks())
