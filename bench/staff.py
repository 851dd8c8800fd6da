"""Staff pages at scale: the calendar's events.json and the queue with 20,000 requests waiting for a decision.

    .venv/bin/python -m bench.staff [--pending 20000] [--days 100] [--rounds 7]

Production settings (bench.settings), a throwaway PostgreSQL database and a private Redis (see
bench.common). Filled by bulk inserts: ``--pending`` submitted requests, each with one to three
preferred windows spread over ``--days`` days from three weeks ahead, 1 in 20 of them with an open
proposal of two other times; 700 scheduled bookings from tomorrow (seven a day). Then, as a signed-in
staff user through Django's test client and every middleware, each URL ``--rounds`` times in turn:

- ``/staff/calendar/events.json`` for a week (the calendar's week view), six weeks (its month
  view) and the longest range it accepts (100 days), all inside the busy period;
- the queue (``/staff/``): its first and its last page of waiting requests.

Each figure is the median of the rounds with their range (min-max), and the median CPU time of
this process (the application's own work, without PostgreSQL's); the size is the body's; the
queries are those of one request. The goal for events.json: under 200 ms at 20,000 pending
requests over 100 days.
"""

import argparse
import contextlib
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also run as a script: python bench/x.py

from bench.common import django_start, load_average, machine_description, private_redis, table, throwaway_database
from bench.feeds import Filler


def fill(*, pending: int, days: int, now) -> None:
    from common.versions import CATALOG, SCHEDULE, version_bump
    from outreach.enums import RequestStatus
    from outreach.models import PresentationRequest, RequestWindow
    from scheduling.models import Proposal, ProposedTime

    filler = Filler()
    filler.catalog()
    filler.bookings_until(700, now=now)
    first_day = (now + timedelta(days=21)).replace(hour=15, minute=0, second=0, microsecond=0)
    made = 0
    while made < pending:
        batch = range(made, min(pending, made + 2000))
        requests = PresentationRequest.objects.bulk_create(
            [filler.request_row(1_000_000 + n, RequestStatus.SUBMITTED) for n in batch], batch_size=500
        )
        windows = []
        for n, request in zip(batch, requests, strict=True):
            for position in range(1, n % 3 + 2):
                start = first_day + timedelta(days=(n * 7 + position * 3) % days, hours=(n + position) % 6)
                windows.append(
                    RequestWindow(request=request, position=position, start=start, end=start + timedelta(hours=1))
                )
        RequestWindow.objects.bulk_create(windows, batch_size=1000)
        proposals = Proposal.objects.bulk_create(
            [
                Proposal(request=request, lead_presenter=filler.presenters[n % len(filler.presenters)])
                for n, request in zip(batch, requests, strict=True)
                if n % 20 == 0
            ]
        )
        ProposedTime.objects.bulk_create(
            ProposedTime(
                proposal=proposal,
                position=position,
                start=first_day + timedelta(days=(k * 11 + position) % days, hours=position),
                end=first_day + timedelta(days=(k * 11 + position) % days, hours=position + 1),
            )
            for k, proposal in enumerate(proposals)
            for position in (1, 2)
        )
        made = batch.stop
    version_bump(SCHEDULE, CATALOG)


def measure(client, paths: dict[str, str], rounds: int) -> dict[str, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls: dict[str, list[float]] = {label: [] for label in paths}
    cpus: dict[str, list[float]] = {label: [] for label in paths}
    last = {}
    for _ in range(rounds):
        for label, path in paths.items():
            gc.collect()
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            walls[label].append(time.perf_counter() - started)
            cpus[label].append(time.process_time() - cpu)
            assert response.status_code == 200, (path, response.status_code)
            last[label] = response
    results = {}
    for label, path in paths.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        body = last[label].content
        results[label] = {
            "median": statistics.median(walls[label]),
            "cpu": statistics.median(cpus[label]),
            "min": min(walls[label]),
            "max": max(walls[label]),
            "bytes": len(body),
            "events": body.count(b'"id":') if path.startswith("/staff/calendar/") else None,
            "queries": len(queries.captured_queries),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    began = time.monotonic()

    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_database("staff"))
        redis_url = stack.enter_context(private_redis())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="outreach_bench_staff_")))
        django_start(
            {
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "BENCH_CONN_MAX_AGE": os.environ.get("BENCH_CONN_MAX_AGE", "60"),
                "BENCH_STATIC_ROOT": str(workdir / "static"),
            }
        )
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)  # the pages' static files, as in production
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.utils import timezone

        from outreach.models import RequestWindow
        from scheduling.models import ProposedTime

        setup_test_environment()
        machine = machine_description()
        now = timezone.now()
        print(f"Filling: {args.pending:,} pending requests over {args.days} days ...", flush=True)
        fill(pending=args.pending, days=args.days, now=now)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give tables this size
        windows, proposed = RequestWindow.objects.count(), ProposedTime.objects.count()
        print(f"Filled in {time.monotonic() - began:.0f} s: {windows:,} preferred windows, {proposed:,} proposed times")

        user = get_user_model().objects.create_user("bench-staff", is_staff=True)
        client = Client()
        client.force_login(user)
        first = timezone.localdate(now) + timedelta(days=21)

        def calendar(days: int) -> str:
            return f"/staff/calendar/events.json?start={first}T00:00:00&end={first + timedelta(days=days)}T00:00:00"

        last_page = (args.pending + 99) // 100
        paths = {
            "events.json, 7 days (week view)": calendar(7),
            "events.json, 42 days (month view)": calendar(42),
            "events.json, 100 days (longest range)": calendar(100),
            "queue, first page (100 of the waiting)": "/staff/",
            f"queue, last page ({last_page})": f"/staff/?page={last_page}",
        }
        results = measure(client, paths, args.rounds)

        rows = [
            [
                label,
                f"{r['median'] * 1000:,.0f}",
                f"{r['min'] * 1000:,.0f}-{r['max'] * 1000:,.0f}",
                f"{r['cpu'] * 1000:,.0f}",
                f"{r['bytes'] / 1024:,.1f}",
                r["events"] if r["events"] is not None else "",
                r["queries"],
            ]
            for label, r in results.items()
        ]
        print()
        title = f"{args.pending:,} pending requests over {args.days} days; median of {args.rounds} rounds"
        headers = ["URL", "median ms", "range ms", "CPU ms", "KiB", "events", "queries"]
        print(table(headers, rows, title=title))
        print("(CPU ms: this process's CPU time, median: the work on the application's side; the rest of the")
        print(" wall time is PostgreSQL's and waiting for a core on the shared machine)")
        worst = results["events.json, 100 days (longest range)"]["median"]
        print(f"\nevents.json, longest range: {worst * 1000:,.0f} ms (goal: under 200 ms)")
        print()
        for name, value in machine:
            print(f"{name}: {value}")
        print(f"load average at the end: {load_average()}")
        print(f"took {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
