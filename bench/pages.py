"""The public pages under concurrent load on gunicorn, paired with a minimal view, and the queries of every page.

    .venv/bin/python -m bench.pages [--rounds 5] [--seconds 2] [--connections 8] [--generator auto|wrk|python]
                                    [--only TEXT ...] [--gunicorn-config PATH]

1. A throwaway database (see bench.common) filled through the service layer: the starter
   catalog, presenters, scheduled bookings on the weekdays ahead (some cancelled again) and
   requests waiting for staff; first a small set, then a larger one.
2. Query counts: every page through Django's test client in this process, at both data sizes:
   once built (the stored copies cleared first) and once served from its stored copy. A page
   whose count grows with the data does a query per row somewhere.
3. Throughput: gunicorn (``config.wsgi`` with production's ``config/gunicorn.py``, its access log
   included; bench.settings: production settings, DEBUG off, CONN_MAX_AGE as in production, static
   files by WhiteNoise after collectstatic) with 2 sync workers by default, loaded by one
   generator for every URL: wrk when it is installed, else threads with persistent http.client
   connections. Each URL is measured in several rounds, and
   in every round right after the minimal view (bench/urls.py: the whole middleware stack, no
   database, no template), so each ratio pairs two runs a few seconds apart on a machine whose
   load may change; the table gives the median ratio and its range over the rounds. Pages and
   feeds are loaded warm (their stored copy built, no ETag sent) and as conditional GETs
   (If-None-Match: their ETag, answered 304); `/events/`, the API catalog and the feeds once more
   warm as browsers and calendar apps ask (Accept-Encoding: gzip). For every answer of 64 KiB or
   more, the minimal view is also loaded sending as many bytes (``?bytes=N``): what those bytes cost
   on this machine with nothing of ours. Every load run is bounded in time, and the load
   generator's CPU time is counted beside the workers'.

A URL that answers 404 (a page not built yet) is reported "not available".
"""

import argparse
import contextlib
import http.client
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
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
    load_average,
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
# What production starts gunicorn with (docker-compose.yml, README): its access log included.
GUNICORN_CONFIG = "config/gunicorn.py"
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
    built: int | None = None  # queries with no stored copy
    stored: int | None = None  # queries when served again
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
        Page("/events/?page=2", "/events/?page=2"),
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
    """Each page fetched once to warm up the process; then, with the stored copies cleared (in the
    cache and in this process's memory), fetched and counted twice: as built, and as served from its
    stored copy (pages that are never stored: built both times)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from common.pagecache import recent

    clients = {PUBLIC: Client(), STAFF: Client(), PRESENTER: Client()}
    clients[STAFF].force_login(world.staff)
    clients[PRESENTER].force_login(world.presenter_user)
    counted = {}
    for page in pages:
        client = clients[page.who]
        try:
            client.get(page.path)
            cache.clear()
            recent.clear()
            with CaptureQueriesContext(connection) as built:
                response = client.get(page.path)
            with CaptureQueriesContext(connection) as stored:
                client.get(page.path)
        except Exception as exc:  # a page being built by someone else may fail; report it, go on
            counted[page.label] = Counted(status=f"error: {type(exc).__name__}")
            continue
        if response.status_code == 404:
            counted[page.label] = Counted(status="not available")
            continue
        body = b"".join(response) if response.streaming else response.content
        counted[page.label] = Counted(
            str(response.status_code), len(built.captured_queries), len(stored.captured_queries), len(body)
        )
    return counted


def query_table(pages: list[Page], small: dict[str, Counted], large: dict[str, Counted], sizes) -> str:
    rows = []
    for page in pages:
        a, b = small[page.label], large[page.label]
        if a.built is None or b.built is None:
            rows.append([page.label, a.status if a.status == b.status else f"{a.status} / {b.status}", *[""] * 5])
            continue
        verdict = "constant" if a.built == b.built else f"GROWS (+{b.built - a.built})"
        if b.built < a.built:
            verdict = f"fewer ({b.built - a.built})"
        status = a.status if a.status == b.status else f"{a.status}/{b.status}"
        size = f"{a.size / 1024:.1f} -> {b.size / 1024:.1f}"
        rows.append([page.label, status, a.built, b.built, b.stored, size, verdict])
    small_size, large_size = sizes
    title = (
        f"Queries per page: small = {_size_text(small_size)}; large = {_size_text(large_size)}\n"
        "(Django test client in-process; built = no stored copy; stored = the same page again, large set)"
    )
    return table(["page", "status", "built small", "built large", "stored", "KiB", "queries"], rows, title=title)


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
    client_cpu_seconds: float | None = None  # the load generator's user + system CPU time

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
    cpu_before = _children_cpu_seconds()
    output = subprocess.run(  # noqa: S603 (our own command line)
        [*args, url], capture_output=True, text=True, timeout=duration + 30, check=True
    ).stdout
    client_cpu = _children_cpu_seconds() - cpu_before
    line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT"))
    requests, duration_us, p50_us, p95_us, errors = (float(v) for v in line.split()[1:])
    return Load(int(requests), duration_us / 1e6, p50_us / 1000, p95_us / 1000, int(errors), client_cpu)


def _children_cpu_seconds() -> float:
    """User and system CPU time of this process's children that have ended (wrk, once run returns)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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

    began, cpu_before = time.perf_counter(), time.process_time()
    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - began
    every = [latency for own in latencies for latency in own]
    p50, p95 = percentile(every, 50), percentile(every, 95)
    return Load(
        len(every),
        elapsed,
        p50 and p50 * 1000,
        p95 and p95 * 1000,
        sum(errors) + sum(t.is_alive() for t in threads),
        time.process_time() - cpu_before,
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


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    conditional: bool = False  # sent with If-None-Match: its ETag
    gzip: bool = False  # sent with Accept-Encoding: gzip, as browsers and calendar apps send it
    size: int | None = None  # the body the minimal view sends (same_size_targets)

    @property
    def sent(self) -> dict[str, str]:
        return {"Accept-Encoding": "gzip"} if self.gzip else {}


@dataclass
class Measured:
    """One URL over the rounds: each round's load, and the minimal view's run just before it."""

    target: Target
    note: str = ""
    status: int = 0
    size: int = 0
    runs: list[Load] = field(default_factory=list)
    minimal: list[Load] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [
            run.per_second / base.per_second for run, base in zip(self.runs, self.minimal, strict=True) if base.requests
        ]


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


def targets_for(pages: list[Page], only: list[str]) -> list[Target]:
    """The public pages and every feed, warm, then each as a conditional GET (304); the larger ones
    warm once more as a client that accepts gzip asks for them. ``only``: labels containing one of these."""
    by_label = {page.label: page.path for page in pages}
    wanted = [
        "/",
        "/presentations/",
        "/presentations/<slug>/",
        "/events/",
        "/api/v1/presentations/",
        FEED_PATH,
        "/calendar/presenter/<token>.ics",
        "/calendar/staff/<token>.ics",
        "/calendar/staff/<token>.ics?tentative=1",
    ]
    compressed = {"/events/", "/api/v1/presentations/", *wanted[-4:]}
    warm = [Target(label, by_label[label]) for label in wanted]
    targets = [
        Target("/healthz (1 query)", "/healthz"),
        *warm,
        *(Target(f"{t.label} gzip", t.path, gzip=True) for t in warm if t.label in compressed),
        *(Target(f"{t.label} -> 304", t.path, conditional=True) for t in warm),
    ]
    return [t for t in targets if not only or any(part in t.label for part in only)]


# An answer this large (uncompressed) is also compared with the minimal view sending as many bytes.
SAME_SIZE_FROM = 64 * 1024


def same_size_targets(results: list["Measured"]) -> list[Target]:
    """The minimal view sending as many bytes as each URL whose plain answer is large: what the bytes
    alone cost on this machine (copying them through the kernel, the load generator reading them),
    with nothing of the application's."""
    return [
        Target(f"minimal view, {m.size / 1024:.1f} KiB body", f"{MINIMAL_PATH}?bytes={m.size}", size=m.size)
        for m in results
        if m.status == 200
        and not m.note
        and not m.target.gzip
        and not m.target.conditional
        and m.size >= SAME_SIZE_FROM
    ]


def throughput(env: dict[str, str], workdir: Path, args, targets: list[Target]) -> tuple[list[Measured], str]:
    """Start gunicorn; in each round load the minimal view and then each URL in turn; stop gunicorn."""
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    load = load_wrk if generator == "wrk" else load_python
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi",
        *(["--config", args.gunicorn_config] if args.gunicorn_config else []),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
    ]
    configured = f"-c {args.gunicorn_config}" if args.gunicorn_config else "no config file (no access log)"
    description = (
        f"gunicorn config.wsgi {configured}, {args.workers} sync workers (DJANGO_SETTINGS_MODULE=bench.settings);"
        " load by "
        f"{'wrk (1 thread)' if generator == 'wrk' else 'Python threads with http.client'}, "
        f"{args.connections} connections; {args.rounds} rounds, each URL {args.seconds:g} s right after "
        f"{args.seconds:g} s of the minimal view ({args.warmup:g} s unmeasured warm-up of each URL in the first round)"
    )
    if args.conn_max_age is not None:
        env = {**env, "BENCH_CONN_MAX_AGE": str(args.conn_max_age)}
        description += f"; CONN_MAX_AGE={args.conn_max_age} (not production's)"
    else:
        description += "; CONN_MAX_AGE as in production (60 s: persistent database connections)"
    load_before = load_average()
    results = [Measured(target) for target in targets]
    log = workdir / "gunicorn.log"
    with started(command, log=log, env=env) as server:
        try:
            wait_until(lambda: fetch(base + "/healthz")[0] == 200, seconds=60, what="gunicorn", process=server)
        except (RuntimeError, TimeoutError):
            print(log_tail(log))
            raise
        headers = {measured.target.label: measured.target.sent for measured in results}
        for measured in results:
            status, body, answer = fetch(base + measured.target.path, measured.target.sent)
            measured.status, measured.size = status, len(body)
            if status == 404:
                measured.note = "not available"
            elif status != 200:
                measured.note = f"answers {status}; not measured"
            elif measured.target.gzip and answer.get("Content-Encoding") != "gzip":
                measured.note = "not compressed"
            elif measured.target.conditional:
                if not answer.get("ETag"):
                    measured.note = "no ETag"
                    continue
                headers[measured.target.label] = {**measured.target.sent, "If-None-Match": answer["ETag"]}
                status, body, _ = fetch(base + measured.target.path, headers[measured.target.label])
                measured.status, measured.size = status, len(body)
                if status != 304:
                    measured.note = f"answers {status} to its ETag; not measured"
        for target in same_size_targets(results):
            status, body, _ = fetch(base + target.path)
            note = "" if status == 200 and len(body) == target.size else f"answers {status}; not measured"
            results.append(Measured(target, note=note, status=status, size=len(body)))
        for round_number in range(args.rounds):
            print(f"  round {round_number + 1} of {args.rounds} (load average {load_average()}) ...", flush=True)
            for measured in results:
                if measured.note:
                    continue
                url, sent = base + measured.target.path, headers.get(measured.target.label, {})
                if round_number == 0:
                    load(url, seconds=args.warmup, connections=args.connections, headers=sent, workdir=workdir)
                measured.minimal.append(
                    load(
                        base + MINIMAL_PATH,
                        seconds=args.seconds,
                        connections=args.connections,
                        headers={},
                        workdir=workdir,
                    )
                )
                cpu_before = workers_cpu_seconds(server.pid)
                measured.runs.append(
                    load(url, seconds=args.seconds, connections=args.connections, headers=sent, workdir=workdir)
                )
                measured.cpu_seconds.append(workers_cpu_seconds(server.pid) - cpu_before)
    description += f"\nload average (1, 5, 15 min) before: {load_before}, after: {load_average()}"
    return results, description


def _ratio(value: float) -> str:
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}"


def throughput_table(results: list[Measured]) -> str:
    rows = []
    minimal_rates = [base.per_second for m in results for base in m.minimal]
    for m in results:
        if not m.runs:
            rows.append([m.target.label, m.status or "", "", "", "", "", "", "", "", m.note])
            continue
        ratios = m.ratios
        cpu = [
            seconds * 1000 / run.requests for seconds, run in zip(m.cpu_seconds, m.runs, strict=True) if run.requests
        ]
        client_cpu = [
            run.client_cpu_seconds * 1000 / run.requests
            for run in m.runs
            if run.requests and run.client_cpu_seconds is not None
        ]
        rows.append(
            [
                m.target.label,
                m.status,
                f"{m.size / 1024:.1f}",
                f"{statistics.median(run.per_second for run in m.runs):.0f}",
                f"{statistics.median(run.p50_ms for run in m.runs if run.p50_ms is not None):.1f}",
                sum(run.errors for run in m.runs),
                _ratio(statistics.median(ratios)),
                f"{_ratio(min(ratios))}-{_ratio(max(ratios))}",
                f"{statistics.median(cpu):.2f}" if cpu else "",
                f"{statistics.median(client_cpu):.3f}" if client_cpu else "",
            ]
        )
    title = (
        "Throughput on gunicorn: req/s, p50 and CPU are medians over the rounds; ratio = the URL's req/s divided\n"
        "by the minimal view's in the run just before it, median and range over the rounds; CPU ms/req = user +\n"
        "system CPU of the gunicorn workers per request (PostgreSQL and Redis not included); client CPU ms/req =\n"
        "the load generator's (wrk's) user + system CPU per request; 'minimal view, N KiB body' sends as many\n"
        "bytes as the URL above it of that size does uncompressed, doing nothing else"
    )
    if minimal_rates:
        title += (
            f"\nminimal view: median {statistics.median(minimal_rates):.0f} req/s, "
            f"range {min(minimal_rates):.0f}-{max(minimal_rates):.0f} over {len(minimal_rates)} runs"
        )
    headers = [
        "URL",
        "status",
        "KiB",
        "req/s",
        "p50 ms",
        "errors",
        "ratio",
        "ratio range",
        "CPU ms/req",
        "client CPU ms/req",
    ]
    return table(headers, rows, title=title)


# --- The run ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds; every URL is measured once in each")
    parser.add_argument("--seconds", type=float, default=2, help="measured seconds per URL and per minimal-view run")
    parser.add_argument("--warmup", type=float, default=1, help="unmeasured seconds before each URL, first round")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--gunicorn-config",
        default=GUNICORN_CONFIG,
        metavar="PATH",
        help=f"gunicorn's settings file (default: production's, {GUNICORN_CONFIG}, with its access log); '' for none",
    )
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--only", nargs="+", default=[], metavar="TEXT", help="load only URLs whose label holds TEXT")
    parser.add_argument(
        "--conn-max-age", type=int, default=None, help="CONN_MAX_AGE for gunicorn (default: production's, 60)"
    )
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

        print()
        print("Machine: " + "; ".join(f"{name} {value}" for name, value in machine))
        print()
        print(query_table(pages, small, large, (small_size, large_size)), flush=True)
        print()
        print("Loading the pages on gunicorn ...", flush=True)
        results, description = throughput(env, workdir, args, targets_for(pages, args.only))

    print()
    print(description)
    print(throughput_table(results))
    print(f"\n(bench.pages took {time.monotonic() - began:.0f} s)")


if __name__ == "__main__":
    main()
