"""Real services for delivery tests: an SMTP server on loopback, a private redis-server, a Celery worker process.

The worker is a separate process, so it sees only committed data: a test that uses it runs
with ``transactional_db`` on PostgreSQL (the ``postgres`` marker), and the worker connects to
the test database that pytest-django created. It runs under ``config.settings.production``,
configured from the environment the way a deployed worker is (DATABASE_URL, REDIS_URL,
EMAIL_URL), so the configuration path under test is the real one. Every wait is bounded.
"""

import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

# Upper bound for any one wait: a service starting, a message arriving, the broker emptying.
WAIT_SECONDS = 20
STOP_SECONDS = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(
    condition: Callable[[], bool], *, what: str, timeout: float = WAIT_SECONDS, details: Callable[[], str] = str
) -> None:
    """Poll ``condition`` until it holds; fail the test after ``timeout`` seconds, with ``details()``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout:g}s waiting for {what}.\n{details()}", pytrace=False)
        time.sleep(0.05)


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_SECONDS)


# --- SMTP -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """One message the SMTP server accepted: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage


class MailServer:
    """An aiosmtpd handler that records what it accepts.

    It answers ``451 4.3.0`` (try again later) to the first ``refuse_first`` messages, as a
    busy or greylisting server does, and accepts the rest. While ``reply`` is set it answers every
    message with that instead (``"451 ..."`` for an outage, ``"550 ..."`` for a refusal).
    ``during_data``, if set, is called (in a thread of its own, so it may use the database) while
    the sender waits for the answer to its message.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.refuse_first = 0
        self.reply: str | None = None
        self.during_data: Callable[[], None] | None = None
        self._delivered: list[Delivery] = []
        self._refused: list[tuple[str, ...]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.during_data is not None:
            hook = threading.Thread(target=self.during_data)
            hook.start()
            hook.join(WAIT_SECONDS)
        with self._lock:
            if self.reply is not None or len(self._refused) < self.refuse_first:
                self._refused.append(tuple(envelope.rcpt_tos))
                return self.reply or "451 4.3.0 Too busy, try again later"
            message = message_from_bytes(envelope.original_content, policy=policy.default)
            self._delivered.append(Delivery(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        return "250 2.0.0 Accepted"

    @property
    def delivered(self) -> list[Delivery]:
        with self._lock:
            return list(self._delivered)

    @property
    def refused(self) -> list[tuple[str, ...]]:
        with self._lock:
            return list(self._refused)


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1 and a free port, in this process (a thread with its own event loop)."""
    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=server.port)
    # aiosmtpd logs every SMTP command at INFO; keep a failing test's output to what matters.
    smtp_log = logging.getLogger("mail.log")
    saved_level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)
    try:
        controller.start()
        yield server
    finally:
        controller.stop()
        smtp_log.setLevel(saved_level)


# --- Redis ------------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of the test's own on a free loopback port; the test may stop and restart it.

    It never touches the shared server on 6379, and keeps nothing on disk, so a restart
    comes back empty as a real broker failure would.
    """

    def __init__(self, binary: str, directory: Path) -> None:
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"redis-server exited with {self.process.returncode}.\n{self.log()}", pytrace=False)
        try:
            with self.client() as client:
                return client.ping()
        except redis.ConnectionError:
            return False

    def start(self) -> None:
        # redis-server sets SO_REUSEADDR, so a restart can take the same port at once.
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with open(self.directory / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                [*command, "--daemonize", "no", "--dir", str(self.directory)], stdout=log, stderr=subprocess.STDOUT
            )
        wait_for(self._answers, what=f"redis-server on port {self.port}", details=self.log)

    def stop(self) -> None:
        _stop(self.process)

    def log(self) -> str:
        path = self.directory / "redis.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


@pytest.fixture
def redis_server(tmp_path):
    """A private, running redis-server (see RedisServer); stopped after the test."""
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "needs the redis-server binary on PATH (a private broker that the test can stop)"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(binary, directory)
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- The Celery worker ------------------------------------------------------------------------


def _test_database_url() -> str:
    """The test database pytest-django created (test_<name>), as a DATABASE_URL for another process."""
    db = connection.settings_dict
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"], safe="") if db["HOST"].startswith("/") else db["HOST"]  # a socket directory
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


class WorkerProcess:
    """``celery -A config worker`` in its own process, with a solo pool, on the private broker."""

    def __init__(self, *, broker_url: str, smtp_port: int, log_path: Path) -> None:
        self.name = f"delivery-{uuid.uuid4().hex[:8]}@%h"
        self.log_path = log_path
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "delivery-tests-worker-not-secret",
            "ALLOWED_HOSTS": "localhost",
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": "5",
            # The message is rendered when it is queued (here, under the test settings); only
            # the From is taken at sending time, so the worker gets the same one.
            "DEFAULT_FROM_EMAIL": settings.DEFAULT_FROM_EMAIL,
            "SITE_URL": settings.SITE_URL,
            "STAFF_NOTIFICATION_EMAIL": settings.STAFF_NOTIFICATION_EMAIL,
            "TIME_ZONE": settings.TIME_ZONE,
            "LOG_LEVEL": "INFO",
            # A retry schedule in seconds rather than minutes, so a test can watch several attempts.
            "NOTIFICATION_RETRY_BASE_SECONDS": "1",
            "NOTIFICATION_RETRY_MAX_SECONDS": "2",
            # A short lease, so a test can watch a killed worker's message go to another worker.
            "NOTIFICATION_CLAIM_SECONDS": "3",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--hostname", self.name]
        options = ["--pool", "solo", "--concurrency", "1", "--without-heartbeat", "--without-gossip"]
        options += ["--without-mingle", "--loglevel", "INFO"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [*command, *options],
                cwd=settings.BASE_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self._ready, what="the Celery worker to be ready", details=self.log)

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"The Celery worker exited with {self.process.returncode}.\n{self.log()}", pytrace=False)
        return " ready." in self.log()

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), then SIGKILL if it does not end in time."""
        _stop(self.process)

    def log(self) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- worker log (last 6000 characters) ---\n{text[-6000:]}"


@pytest.fixture
def worker_process(transactional_db, redis_server, smtp_server, celery_broker, tmp_path):
    """A running Celery worker on ``redis_server`` that sends mail to ``smtp_server``.

    This process publishes to the same broker (not eagerly). The test's data must be committed
    for the worker to see it, hence ``transactional_db``; the worker is stopped before the
    tables are flushed and before the test database is dropped.
    """
    celery_broker(redis_server.url)
    worker = WorkerProcess(broker_url=redis_server.url, smtp_port=smtp_server.port, log_path=tmp_path / "worker.log")
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def wait_for_mail(smtp_server, redis_server, worker_process) -> Callable[[int], list[Delivery]]:
    """``wait_for_mail(n)``: wait until n messages have arrived in all and the worker has nothing left
    to run, then return every message delivered so far, in order of arrival."""

    def details() -> str:
        delivered = "\n".join(f"  {d.rcpt_tos} {d.message['Subject']}" for d in smtp_server.delivered)
        return f"Delivered so far:\n{delivered}\n{worker_process.log()}"

    def wait(count: int) -> list[Delivery]:
        wait_for(lambda: len(smtp_server.delivered) >= count, what=f"{count} messages", details=details)
        with redis_server.client() as broker:
            # Kombu's Redis transport keeps a task in the "celery" list until the worker takes it,
            # then in the "unacked" hash until it is done (acks_late); a retry waits there too.
            wait_for(
                lambda: broker.llen("celery") == 0 and broker.hlen("unacked") == 0,
                what="the worker to finish every task",
                details=details,
            )
        return smtp_server.delivered

    return wait
