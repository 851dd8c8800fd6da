"""Notification throughput: submissions through a real Celery worker to an SMTP server on loopback.

    .venv/bin/python -m bench.notifications [--count 500] [--concurrency 2] [--timeout 300]

A throwaway database (see bench.common), a private redis-server as the broker, an aiosmtpd sink
in this process that records when each message arrives, and ``celery -A config worker
--concurrency 2`` under bench.settings with EMAIL_URL pointing at the sink: the production path of
a notification (the outbox row written in the submission's transaction, the task enqueued on
commit, the worker locking the row and sending it over SMTP, a new connection per message).

A submitter process then makes ``--count`` requests through outreach.services.request_submit, one
after another as fast as it can; each queues two emails (the acknowledgement and the staff
notice). It is a process of its own so that it does not compete with the sink for this
interpreter's lock, which would delay the recorded arrivals.

Reported: messages per second from the first submission to the last delivery, and for each
message the time from Notification.created_at to its arrival at the sink (median, 95th
percentile, maximum). The baseline, measured first in the same run: the same number of messages
sent straight to the same sink by Django's SMTP backend from as many processes as the worker has,
without Celery or the database. Waiting is bounded (--timeout, from the first submission); on a
timeout the figures so far are reported and marked.
"""

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

from bench.common import (
    VENV_BIN,
    World,
    django_start,
    free_port,
    log_tail,
    machine_description,
    percentile,
    private_redis,
    request_submit_for_bench,
    started,
    table,
    throwaway_database,
    wait_until,
)

RESULT_PREFIX = "BENCH_RESULT "
# Sizes close to a real acknowledgement: the baseline sends messages of the same weight.
BASELINE_TEXT = "Thank you for your request.\n" * 60
BASELINE_HTML = "<p>Thank you for your request.</p>\n" * 90


# --- The SMTP sink -----------------------------------------------------------------------------


@dataclass
class Arrival:
    at: float
    recipients: tuple[str, ...]
    content: bytes


@dataclass
class Sink:
    """An aiosmtpd handler that accepts everything and records when each message arrived."""

    arrivals: list[Arrival] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        self.arrivals.append(Arrival(time.time(), tuple(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def take(self) -> list[Arrival]:
        taken, self.arrivals = self.arrivals, []
        return taken


@contextlib.contextmanager
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    from aiosmtpd.controller import Controller

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def wait_for(sink: Sink, count: int, *, deadline: float) -> bool:
    """Wait until ``count`` messages arrived or the deadline passed; True if they all arrived."""
    while time.time() < deadline:
        if len(sink.arrivals) >= count:
            return True
        time.sleep(0.05)
    return len(sink.arrivals) >= count


# --- The processes that send ---------------------------------------------------------------------


def run_submitter(count: int, slug: str, deadline: float) -> None:
    """(In the submitter process.) ``count`` requests, one after another, until the deadline."""
    import django

    django.setup()
    from django.utils import timezone

    from bench.common import local_datetime
    from outreach.models import Presentation

    presentation = Presentation.objects.prefetch_related("languages", "audiences").get(slug=slug)
    world = World(staff=None, presenter_user=None, presentations=[presentation])
    day = timezone.localdate() + timedelta(days=20)
    window = [(local_datetime(day, 9), local_datetime(day, 12))]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started_at = time.time()
    with CaptureQueriesContext(connection) as queries:  # the first one only: counting costs time
        request_submit_for_bench(world, presentation, window)
    submitted = 1
    while submitted < count and time.time() < deadline:
        request_submit_for_bench(world, presentation, window)
        submitted += 1
    result = {
        "started": started_at,
        "finished": time.time(),
        "submitted": submitted,
        "queries": len(queries.captured_queries),
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)


def run_smtp_sender(count: int, tag: str) -> None:
    """(In a baseline process.) ``count`` messages straight to EMAIL_URL, a new connection each, as the worker sends."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.mail import EmailMultiAlternatives

    for n in range(count):
        message = EmailMultiAlternatives(
            subject=f"Baseline {tag}-{n}",
            body=BASELINE_TEXT,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[f"baseline-{tag}-{n}@bench.test"],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(BASELINE_HTML, "text/html")
        message.send()


def smtp_baseline(sink: Sink, *, messages: int, processes: int, env: dict, deadline: float) -> dict:
    """Messages per second straight to the sink, measured from its arrivals (first to last)."""
    sink.take()
    per_process = [messages // processes + (1 if n < messages % processes else 0) for n in range(processes)]
    senders = [
        subprocess.Popen(  # noqa: S603 (this module, in another process)
            [sys.executable, "-m", "bench.notifications", "--smtp-sender", str(count), "--tag", str(n)], env=env
        )
        for n, count in enumerate(per_process)
    ]
    for sender in senders:
        try:
            sender.wait(timeout=max(1.0, deadline - time.time()))
        except subprocess.TimeoutExpired:
            sender.kill()
            sender.wait()
    wait_for(sink, messages, deadline=min(deadline, time.time() + 10))
    arrivals = sink.take()
    times = sorted(a.at for a in arrivals)
    span = times[-1] - times[0] if len(times) > 1 else 0
    return {"delivered": len(arrivals), "per_second": (len(times) - 1) / span if span else None}


def worker_capacity(sink: Sink, *, messages: int, deadline: float) -> dict:
    """``messages`` delivered outbox rows made pending again and handed to the worker at once by the
    sweep (notifications_send_due, what beat runs every minute): messages per second while
    the worker has a full queue. One more row is delivered in this process first, to count its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scheduling.models import Notification, NotificationStatus
    from scheduling.services.delivery import notification_deliver, notifications_send_due

    chosen = list(Notification.objects.order_by("pk").values_list("pk", flat=True)[: messages + 1])
    Notification.objects.filter(pk__in=chosen).update(status=NotificationStatus.PENDING, sent_at=None)
    first = Notification.objects.get(pk=chosen[0])
    with CaptureQueriesContext(connection) as queries:
        notification_deliver(notification_id=first.pk)
    wait_for(sink, 1, deadline=time.time() + 10)
    sink.take()
    began = time.time()
    handed = notifications_send_due()
    complete = wait_for(sink, handed, deadline=deadline)
    arrivals = sink.take()
    last = max((a.at for a in arrivals), default=None)
    return {
        "handed": handed,
        "delivered": len(arrivals),
        "seconds": last - began if last else None,
        "per_second": len(arrivals) / (last - began) if last else None,
        "queries": len(queries.captured_queries),
        "complete": complete,
    }


@contextlib.contextmanager
def celery_worker(env: dict, *, concurrency: int, log: Path):
    """``celery -A config worker`` under bench.settings; yields once it answers a ping."""
    from config.celery import app

    command = [
        str(VENV_BIN / "celery"),
        "-A",
        "config",
        "worker",
        "--concurrency",
        str(concurrency),
        "--loglevel",
        "INFO",
        "--without-gossip",
        "--without-mingle",
        "--hostname",
        f"bench-{os.getpid()}@%h",
    ]
    with started(command, log=log, env=env) as worker:
        try:
            wait_until(lambda: bool(app.control.ping(timeout=0.5)), seconds=60, what="celery worker", process=worker)
        except (RuntimeError, TimeoutError):
            print(log_tail(log))
            raise
        yield worker


# --- Figures --------------------------------------------------------------------------------------


def delivery_figures(arrivals: list[Arrival], submitted: dict) -> dict:
    """Match each arrival to its outbox row by (recipient, subject) and measure created_at -> arrival."""
    from scheduling.models import Notification

    rows = list(Notification.objects.values_list("recipient", "subject", "created_at", "status"))
    created = {(recipient.lower(), subject): at.timestamp() for recipient, subject, at, _ in rows}
    statuses: dict[str, int] = {}
    for *_, status in rows:
        statuses[status] = statuses.get(status, 0) + 1
    latencies, seen, unmatched, duplicates = [], set(), 0, 0
    for arrival in arrivals:
        subject = " ".join(str(message_from_bytes(arrival.content, policy=policy.default)["Subject"]).split())
        for recipient in arrival.recipients:
            key = (recipient.lower(), subject)
            if key not in created:
                unmatched += 1
            elif key in seen:
                duplicates += 1
            else:
                seen.add(key)
                latencies.append(arrival.at - created[key])
    last = max((a.at for a in arrivals), default=None)
    span = last - submitted["started"] if last else None
    return {
        "queued": len(created),
        "delivered": len(seen),
        "duplicates": duplicates,
        "unmatched": unmatched,
        "statuses": statuses,
        "per_second": len(seen) / span if span else None,
        "span": span,
        "drain": last - submitted["finished"] if last else None,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "max": max(latencies, default=None),
    }


def _seconds(value: float | None, unit: str = "ms") -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f}" if unit == "ms" else f"{value:.1f}"


def report(figures: dict, submitted: dict, baseline: dict, capacity: dict, args, complete: bool) -> str:
    submit_seconds = submitted["finished"] - submitted["started"]
    rows = [
        ["submissions (request_submit, one process)", submitted["submitted"]],
        ["submitting took (s)", f"{submit_seconds:.1f}"],
        ["submissions per second", f"{submitted['submitted'] / submit_seconds:.1f}" if submit_seconds else "-"],
        ["queries per submission", submitted["queries"]],
        ["messages queued (outbox rows)", figures["queued"]],
        ["messages delivered to the sink", figures["delivered"]],
        ["duplicates / unmatched arrivals", f"{figures['duplicates']} / {figures['unmatched']}"],
        ["outbox rows by status", ", ".join(f"{k} {v}" for k, v in sorted(figures["statuses"].items()))],
        ["first submission to last delivery (s)", _seconds(figures["span"], "s")],
        ["last submission to last delivery (s)", _seconds(figures["drain"], "s")],
        ["messages per second (first submit to last delivery)", _rate(figures["per_second"])],
        ["submit -> delivered, median (ms)", _seconds(figures["p50"])],
        ["submit -> delivered, 95th percentile (ms)", _seconds(figures["p95"])],
        ["submit -> delivered, maximum (ms)", _seconds(figures["max"])],
        [
            f"baseline: messages per second straight to the sink ({args.concurrency} processes)",
            _rate(baseline["per_second"]),
        ],
        ["ratio: messages per second / baseline", _ratio(figures["per_second"], baseline["per_second"])],
        [
            f"worker capacity: messages per second, {capacity['handed']} queued at once"
            + ("" if capacity["complete"] else f" (TIMED OUT, {capacity['delivered']}/{capacity['handed']})"),
            _rate(capacity["per_second"]),
        ],
        ["ratio: worker capacity / baseline", _ratio(capacity["per_second"], baseline["per_second"])],
        ["queries per delivery (notification_deliver)", capacity["queries"]],
    ]
    title = (
        f"Notifications: {args.count} submissions, celery worker --concurrency {args.concurrency} on a private "
        "Redis, SMTP to aiosmtpd on loopback"
    )
    if not complete:
        title += f"\nTIMED OUT after {args.timeout:g} s: partial figures (not every message arrived)"
    return table(["", "value"], rows, title=title)


def _rate(value: float | None) -> str:
    return f"{value:.1f}" if value else "-"


def _ratio(value: float | None, baseline: float | None) -> str:
    return f"{value / baseline:.2f}" if value and baseline else "-"


# --- The run ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="submissions (each queues two emails)")
    parser.add_argument("--concurrency", type=int, default=2, help="celery worker --concurrency")
    parser.add_argument("--timeout", type=float, default=300, help="seconds, from the first submission")
    parser.add_argument("--drain-timeout", type=float, default=180, help="seconds for the worker-capacity run")
    parser.add_argument("--submitter", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--slug", help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--smtp-sender", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--tag", default="0", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.submitter is not None:
        return run_submitter(args.submitter, args.slug, args.deadline)
    if args.smtp_sender is not None:
        return run_smtp_sender(args.smtp_sender, args.tag)
    began = time.monotonic()

    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_database("notifications"))
        redis_url = stack.enter_context(private_redis())
        sink, smtp_port = stack.enter_context(smtp_sink())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="outreach_bench_notifications_")))
        env = django_start(
            {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
        )
        from io import StringIO

        from django.conf import settings
        from django.core.management import call_command

        from outreach.models import Presentation

        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise SystemExit("CELERY_TASK_ALWAYS_EAGER is on: the worker would not be measured")
        call_command("load_catalog", stdout=StringIO())
        slug = Presentation.objects.filter(is_active=True).values_list("slug", flat=True).first()
        machine = machine_description()

        print(f"Baseline: {2 * args.count} messages straight to the sink ...", flush=True)
        baseline = smtp_baseline(
            sink, messages=2 * args.count, processes=args.concurrency, env=env, deadline=time.time() + 120
        )

        stack.enter_context(celery_worker(env, concurrency=args.concurrency, log=workdir / "worker.log"))
        print(f"Submitting {args.count} requests ...", flush=True)
        deadline = time.time() + args.timeout
        command = [sys.executable, "-m", "bench.notifications", "--submitter", str(args.count)]
        output = subprocess.run(  # noqa: S603 (this module, in another process)
            [*command, "--slug", slug, "--deadline", str(deadline)],
            env=env,
            capture_output=True,
            text=True,
            timeout=args.timeout + 60,
            check=False,
        )
        line = next((line for line in output.stdout.splitlines() if line.startswith(RESULT_PREFIX)), None)
        if line is None:
            print(output.stderr[-3000:])
            raise SystemExit("the submitter failed")
        submitted = json.loads(line.removeprefix(RESULT_PREFIX))
        print(f"Waiting for {2 * submitted['submitted']} messages ...", flush=True)
        complete = wait_for(sink, 2 * submitted["submitted"], deadline=deadline)
        arrivals = sink.take()
        figures = delivery_figures(arrivals, submitted)

        messages = min(args.count, figures["queued"] - 1)
        print(f"Worker capacity: {messages} outbox rows handed over at once ...", flush=True)
        capacity = worker_capacity(sink, messages=messages, deadline=time.time() + args.drain_timeout)

    print()
    print("Machine: " + "; ".join(f"{name} {value}" for name, value in machine))
    print()
    print(report(figures, submitted, baseline, capacity, args, complete))
    print(f"\n(bench.notifications took {time.monotonic() - began:.0f} s)")


if __name__ == "__main__":
    main()
