"""The public pages under concurrent load on gunicorn, next to a minimal view, and the queries of every page.

    .venv/bin/python -m bench.pages [--seconds 10] [--connections 8] [--generator auto|wrk|python]

1. A throwaway database (see bench.common) filled through the service layer: the starter
   catalog, presenters, scheduled bookings on the weekdays ahead (some cancelled again) and
   requests waiting for staff; first a small set, then a larger one.
2. Query counts: every page through Django's test client in this process, each page fetched once
   to warm up and then counted with CaptureQueriesContext, at both data sizes. A page whose count
   grows with the data does a query per row somewhere.
3. Throughput: gunicorn (``config.wsgi``, bench.settings: production settings, DEBUG off, static
   files by WhiteNoise after collectstatic) with 2 sync workers by default, loaded by one
   generator for every URL: wrk when it is installed, else threads with persistent http.client
   connections. The minimal view (bench/urls.py: the whole middleware stack, no database, no
   template) is measured first and last, in the same server, and each URL is given as a ratio to
   it. Every load run is bounded in time and stops by itself.

A URL that answers 404 (a page not built yet) is reported "not available".
"""

import argparse
import contextlib
import http.client
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench.common import (
    MINIMAL_PATH,
    VENV_BIN,
    World,
    bookings_add,
    data_size,
    django_start,
    free_port,
    local_datetime,
    log_tail,
    machine_description,
    pending_add,
    percentile,
    presenters_add,
    private_redis,
    request_submit_for_bench,
    started,
    table,
    throwaway_database,
    wait_until,
    world_create,
)

PUBLIC, STAFF, PRESENTER = "public", "staff", "presenter"
FEED_PATH = "/calendar/public.ics"


# --- Query counts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    who: str = PUBLIC


@dataclass
class Counted:
    status: str
    queries: int | None = None
    size: int | None = None


def pages_to_count(world: World) -> list[Page]:
    """Every page, public and staff, with the objects they show made in the small data set."""
    from django.utils import timezone

    from calendars.services import presenter_feed_token_rotate, staff_feed_token_rotate

    presentation = world.presentations[0]
    scheduled = world.scheduled[0]  # in person or virtual, with a co-presenter, not cancelled
    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in (20, 27, 34)]
    waiting = request_submit_for_bench(
        world, presentation, [(local_datetime(day, 9), local_datetime(day, 15)) for day in days]
    )
    world.submitted.append(waiting)
    presenter_token = presenter_feed_token_rotate(presenter=world.presenters[0])
    staff_token = staff_feed_token_rotate(user=world.staff)
    range_query = f"start={today.isoformat()}&end={(today + timedelta(days=60)).isoformat()}"
    slug = presentation.slug
    return [
        Page("/", "/"),
        Page("/presentations/", "/presentations/"),
        Page("/presentations/<slug>/", f"/presentations/{slug}/"),
        Page("/presentations/<slug>/request/ (the form)", f"/presentations/{slug}/request/"),
        Page("/requests/<token>/received/", f"/requests/{waiting.status_token}/received/"),
        Page("/requests/<token>/ (submitted)", f"/requests/{waiting.status_token}/"),
        Page("/requests/<token>/ (scheduled)", f"/requests/{scheduled.status_token}/"),
        Page("/requests/<token>/event.ics", f"/requests/{scheduled.status_token}/event.ics"),
        Page("/events/", "/events/"),
        Page(FEED_PATH, FEED_PATH),
        Page("/calendar/presenter/<token>.ics", f"/calendar/presenter/{presenter_token}.ics"),
        Page("/calendar/staff/<token>.ics", f"/calendar/staff/{staff_token}.ics"),
        Page("/calendar/staff/<token>.ics?tentative=1", f"/calendar/staff/{staff_token}.ics?tentative=1"),
        Page("/my/schedule/ (presenter)", "/my/schedule/", PRESENTER),
        Page("/staff/ (the queue)", "/staff/", STAFF),
        Page("/staff/requests/<pk>/ (submitted, 3 windows)", f"/staff/requests/{waiting.pk}/", STAFF),
        Page("/staff/requests/<pk>/ (scheduled)", f"/staff/requests/{scheduled.pk}/", STAFF),
        Page("/staff/calendar/", "/staff/calendar/", STAFF),
        Page("/staff/calendar/events.json (60 days)", f"/staff/calendar/events.json?{range_query}", STAFF),
        Page("/staff/presenters/", "/staff/presenters/", STAFF),
        Page("/staff/feeds/", "/staff/feeds/", STAFF),
        Page("/staff/reports/", "/staff/reports/", STAFF),
        Page("/api/v1/presentations/", "/api/v1/presentations/"),
        Page("/api/v1/presentations/<slug>/", f"/api/v1/presentations/{slug}/"),
        Page("/api/v1/requests/<token>/", f"/api/v1/requests/{scheduled.status_token}/"),
        Page("/api/v1/staff/requests/", "/api/v1/staff/requests/", STAFF),
        Page("/api/v1/staff/requests/<pk>/", f"/api/v1/staff/requests/{scheduled.pk}/", STAFF),
        Page("/api/v1/staff/bookings/ (60 days)", f"/api/v1/staff/bookings/?{range_query}", STAFF),
        Page("/api/v1/staff/presenters/", "/api/v1/staff/presenters/", STAFF),
        Page("/api/v1/staff/blackouts/", "/api/v1/staff/blackouts/", STAFF),
        Page("/api/v1/staff/notifications/", "/api/v1/staff/notifications/", STAFF),
    ]


def query_counts(world: World, pages: list[Page]) -> dict[str, Counted]:
    """Each page fetched once to warm up, then once more with its queries counted."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {PUBLIC: Client(), STAFF: Client(), PRESENTER: Client()}
    clients[STAFF].force_login(world.staff)
    clients[PRESENTER].force_login(world.presenter_user)
    counted = {}
    for page in pages:
        client = clients[page.who]
        try:
            client.get(page.path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path)
        except Exception as exc:  # a page being built by someone else may fail; report it, go on
            counted[page.label] = Counted(status=f"error: {type(exc).__name__}")
            continue
        if response.status_code == 404:
            counted[page.label] = Counted(status="not available")
            continue
        body = b"".join(response) if response.streaming else response.content
        counted[page.label] = Counted(str(response.status_code), len(queries.captured_queries), len(body))
    return counted


def query_table(pages: list[Page], small: dict[str, Counted], large: dict[str, Counted], sizes) -> str:
    rows = []
    for page in pages:
        a, b = small[page.label], large[page.label]
        if a.queries is None or b.queries is None:
            rows.append([page.label, a.status if a.status == b.status else f"{a.status} / {b.status}", "", "", "", ""])
            continue
        verdict = "constant" if a.queries == b.queries else f"GROWS (+{b.queries - a.queries})"
        if b.queries < a.queries:
            verdict = f"fewer ({b.queries - a.queries})"
        status = a.status if a.status == b.status else f"{a.status}/{b.status}"
        rows.append([page.label, status, a.queries, b.queries, f"{a.size / 1024:.1f} -> {b.size / 1024:.1f}", verdict])
    small_size, large_size = sizes
    title = (
        f"Queries per page: small = {_size_text(small_size)}; large = {_size_text(large_size)}\n"
        "(Django test client in-process, second fetch of each page counted)"
    )
    return table(["page", "status", "small", "large", "KiB", "queries"], rows, title=title)


def _size_text(size: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in size.items())


# --- Load ---------------------------------------------------------------------------------------


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float | None
    p95_ms: float | None
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %.0f %.0f %.0f %.0f %.0f\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def load_wrk(url: str, *, seconds: float, connections: int, headers: dict[str, str], workdir: Path) -> Load:
    script = workdir / "report.lua"
    script.write_text(WRK_REPORT)
    duration = max(1, round(seconds))  # wrk counts whole seconds
    args = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s", "-s", str(script)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    output = subprocess.run(  # noqa: S603 (our own command line)
        [*args, url], capture_output=True, text=True, timeout=duration + 30, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT"))
    requests, duration_us, p50_us, p95_us, errors = (float(v) for v in line.split()[1:])
    return Load(int(requests), duration_us / 1e6, p50_us / 1000, p95_us / 1000, int(errors))


def load_python(url: str, *, seconds: float, connections: int, headers: dict[str, str], workdir: Path) -> Load:
    """``connections`` threads, each with one persistent http.client connection (reopened when the server closes it)."""
    parts = urllib.request.urlparse(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    deadline = time.perf_counter() + seconds

    def run(n: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[n] += 1
                connection.close()
                continue
            latencies[n].append(time.perf_counter() - began)
            if response.status >= 400:
                errors[n] += 1
        connection.close()

    began = time.perf_counter()
    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - began
    every = [latency for own in latencies for latency in own]
    p50, p95 = percentile(every, 50), percentile(every, 95)
    return Load(
        len(every), elapsed, p50 and p50 * 1000, p95 and p95 * 1000, sum(errors) + sum(t.is_alive() for t in threads)
    )


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback http)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)
    except (OSError, http.client.HTTPException):
        return 0, b"", {}


@dataclass
class Measured:
    label: str
    path: str
    note: str = ""
    status: int = 0
    size: int = 0
    load: Load | None = None
    cpu_seconds: float | None = None

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.cpu_seconds is None or not self.load or not self.load.requests:
            return None
        return self.cpu_seconds * 1000 / self.load.requests


def workers_cpu_seconds(master_pid: int) -> float:
    """User and system CPU time used so far by the processes whose parent is ``master_pid`` (the workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master_pid:  # fields[1] is the parent's pid; [11] and [12] utime and stime
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def load_average() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def throughput(env: dict[str, str], workdir: Path, args) -> tuple[list[Measured], str]:
    """Start gunicorn, load each URL in turn with the same generator, stop gunicorn."""
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    load = load_wrk if generator == "wrk" else load_python
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--log-level",
        "warning",
    ]
    description = (
        f"gunicorn config.wsgi, {args.workers} sync workers (DJANGO_SETTINGS_MODULE=bench.settings); load by "
        f"{'wrk (1 thread)' if generator == 'wrk' else 'Python threads with http.client'}, "
        f"{args.connections} connections, {args.warmup:g} s warm-up then {args.seconds:g} s per URL"
    )
    targets = [
        ("minimal view (first)", MINIMAL_PATH, {}),
        ("/healthz (1 query)", "/healthz", {}),
        ("/presentations/", "/presentations/", {}),
        ("/events/", "/events/", {}),
        (FEED_PATH, FEED_PATH, {}),
        (f"{FEED_PATH} (If-None-Match: 304)", FEED_PATH, None),
        ("minimal view (last)", MINIMAL_PATH, {}),
    ]
    if args.conn_max_age:
        env = {**env, "BENCH_CONN_MAX_AGE": str(args.conn_max_age)}
        description += f"; CONN_MAX_AGE={args.conn_max_age} (persistent database connections)"
    else:
        description += "; CONN_MAX_AGE=0 as in production (a new database connection per request)"
    load_before = load_average()
    results = []
    log = workdir / "gunicorn.log"
    with started(command, log=log, env=env) as server:
        try:
            wait_until(lambda: fetch(base + "/healthz")[0] == 200, seconds=60, what="gunicorn", process=server)
        except (RuntimeError, TimeoutError):
            print(log_tail(log))
            raise
        etag = fetch(base + FEED_PATH)[2].get("ETag")
        for label, path, headers in targets:
            if headers is None:  # the conditional request a subscribed calendar makes
                if etag is None:
                    results.append(Measured(label, path, note="not available"))
                    continue
                headers = {"If-None-Match": etag}
            status, body, _ = fetch(base + path, headers)
            measured = Measured(label, path, status=status, size=len(body))
            results.append(measured)
            if status == 404:
                measured.note = "not available"
                continue
            if not 200 <= status < 400:
                measured.note = f"answers {status}; not measured"
                continue
            print(f"  loading {label} ...", flush=True)
            load(base + path, seconds=args.warmup, connections=args.connections, headers=headers, workdir=workdir)
            cpu_before = workers_cpu_seconds(server.pid)
            measured.load = load(
                base + path, seconds=args.seconds, connections=args.connections, headers=headers, workdir=workdir
            )
            measured.cpu_seconds = workers_cpu_seconds(server.pid) - cpu_before
    description += f"\nload average (1, 5, 15 min) before: {load_before}, after: {load_average()}"
    return results, description


def _ratio(value: float, baseline: float | None) -> str:
    if not baseline:
        return ""
    ratio = value / baseline
    return f"{ratio:.3f}" if ratio < 0.1 else f"{ratio:.2f}"


def throughput_table(results: list[Measured]) -> str:
    baselines = [m.load.per_second for m in results if m.path == MINIMAL_PATH and m.load]
    baseline = sum(baselines) / len(baselines) if baselines else None
    rows = []
    for m in results:
        if m.load is None:
            rows.append([m.label, m.status or "", "", "", "", "", "", m.note, ""])
            continue
        ratio = _ratio(m.load.per_second, baseline)
        cpu = m.cpu_ms_per_request
        rows.append(
            [
                m.label,
                m.status,
                f"{m.size / 1024:.1f}",
                f"{m.load.per_second:.0f}",
                f"{m.load.p50_ms:.1f}",
                f"{m.load.p95_ms:.1f}",
                m.load.errors,
                ratio,
                "" if cpu is None else f"{cpu:.2f}",
            ]
        )
    title = (
        "Throughput on gunicorn (ratio = req/s divided by the mean of the two minimal-view runs;\n"
        "CPU ms/req = user+system CPU of the gunicorn workers per request, PostgreSQL not included)"
    )
    if len(baselines) == 2 and abs(baselines[0] - baselines[1]) > 0.1 * baseline:
        first, last = baselines
        title += f"\nNOTE: the minimal view's two runs differ by more than 10% ({first:.0f} vs {last:.0f} req/s)"
    headers = ["URL", "status", "KiB", "req/s", "p50 ms", "p95 ms", "errors", "ratio", "CPU ms/req"]
    return table(headers, rows, title=title)


# --- The run ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per URL")
    parser.add_argument("--warmup", type=float, default=2, help="unmeasured seconds before each URL")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--conn-max-age", type=int, default=0, help="CONN_MAX_AGE for gunicorn (production: 0)")
    sizes = ("PRESENTERS", "BOOKINGS", "PENDING")
    parser.add_argument("--small", type=int, nargs=3, default=[8, 40, 10], metavar=sizes, help="the small data set")
    parser.add_argument("--large", type=int, nargs=3, default=[16, 300, 60], metavar=sizes, help="the large data set")
    args = parser.parse_args()
    began = time.monotonic()

    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_database("pages"))
        redis_url = stack.enter_context(private_redis())
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="outreach_bench_pages_")))
        env = django_start(
            {"DATABASE_URL": database_url, "REDIS_URL": redis_url, "BENCH_STATIC_ROOT": str(workdir / "static")}
        )
        from django.core.management import call_command
        from django.db import connections

        call_command("collectstatic", interactive=False, verbosity=0)
        machine = machine_description()

        print("Filling the database (small) ...", flush=True)
        presenters, bookings, pending = args.small
        world = world_create(presenters=presenters)
        bookings_add(world, bookings)
        pending_add(world, pending)
        pages = pages_to_count(world)
        small_size = data_size()
        small = query_counts(world, pages)

        print("Filling the database (large) ...", flush=True)
        presenters, bookings, pending = args.large
        presenters_add(world, presenters - len(world.presenters))
        bookings_add(world, bookings - len(world.scheduled))
        pending_add(world, pending - (len(world.submitted) - 1))
        large_size = data_size()
        large = query_counts(world, pages)
        connections.close_all()

        print("Loading the pages on gunicorn ...", flush=True)
        results, description = throughput(env, workdir, args)

    print()
    print("Machine: " + "; ".join(f"{name} {value}" for name, value in machine))
    print()
    print(query_table(pages, small, large, (small_size, large_size)))
    print()
    print(description)
    print(throughput_table(results))
    print(f"\n(bench.pages took {time.monotonic() - began:.0f} s)")


if __name__ == "__main__":
    main()
