"""A real Celery worker's log keeps private links out: a task's arguments, shown when the worker
cannot run it, name the status link's path and its token only as ``[redacted]``."""

import os
import subprocess
import sys

from celery import Celery
from django.conf import settings

from tests.scheduling.conftest import _stop, wait_for

STATUS_TOKEN = "Zx9_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7"


def test_worker_log_redacts_private_links_in_task_arguments(redis_server, tmp_path):
    log_path = tmp_path / "worker.log"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "worker-log-test-not-secret",
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": settings.SITE_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "REDIS_URL": redis_server.url,
    }
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "--hostname", "logs@%h"]
    with open(log_path, "ab") as log:
        worker = subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        # A worker takes a while to start on a busy machine.
        wait_for(lambda: " ready." in log_path.read_text(), what="the worker", timeout=120, details=log_path.read_text)
        publisher = Celery(broker=redis_server.url)
        try:
            publisher.send_task(
                "outreach.not_a_task", args=[f"{settings.SITE_URL}/requests/{STATUS_TOKEN}/"], kwargs={}
            )
        finally:
            publisher.close()
        wait_for(
            lambda: "outreach.not_a_task" in log_path.read_text(),
            what="the log line",
            timeout=60,
            details=log_path.read_text,
        )
    finally:
        _stop(worker)
    log = log_path.read_text()

    assert STATUS_TOKEN not in log
    assert f"{settings.SITE_URL}/requests/[redacted]/" in log
