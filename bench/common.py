"""What the benchmarks share: a throwaway database, a private Redis, processes that stop, realistic data, tables.

Everything is bounded: each wait has a deadline, each process started here runs in its own
process group and is stopped (that group only) when the block that started it ends, and the
throwaway database is dropped at the end. Django is set up only by ``django_start``, after the
database and Redis exist, because the settings read DATABASE_URL and REDIS_URL from the
environment once.
"""

import contextlib
import math
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
# The PostgreSQL server (and a database on it to connect to) where throwaway databases are made.
ADMIN_DATABASE_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
STOP_SECONDS = 15
# The minimal view (bench/urls.py) every page is compared with.
MINIMAL_PATH = "/bench/minimal/"


# --- Small helpers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(ready: Callable[[], bool], *, seconds: float, what: str, process: subprocess.Popen | None = None):
    """Poll ``ready`` until it is true; raise if ``seconds`` pass or ``process`` exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.returncode} before it was ready")
        time.sleep(0.1)
    raise TimeoutError(f"{what} was not ready after {seconds:g} s")


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes, as printed beside every run."""
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


def milliseconds_per_call(call: Callable[[], object], calls: int) -> float:
    """``call()``'s time in milliseconds, the mean of ``calls`` calls in a row after one unmeasured call."""
    call()
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls * 1000


def percentile(values: Sequence[float], pct: float) -> float | None:
    """The nearest-rank percentile (the smallest value with at least ``pct`` % of values at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, title: str = "") -> str:
    """A plain-text table; columns whose cells are all numbers (or "-") are right-aligned."""
    cells = [[str(h) for h in headers]] + [["-" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def numeric(i: int) -> bool:
        values = [row[i] for row in cells[1:]]
        return bool(values) and all(_is_number(v) or v in ("-", "") for v in values)

    right = [numeric(i) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)).rstrip()

    out = [title] if title else []
    out += [line(cells[0]), "  ".join("-" * w for w in widths)] + [line(row) for row in cells[1:]]
    return "\n".join(out)


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", "").rstrip("x%"))
    except ValueError:
        return False
    return True


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- Processes ---------------------------------------------------------------------------------


@contextlib.contextmanager
def started(args: list[str], *, log: Path, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """Run ``args`` in its own process group (output to ``log``); stop that group when the block ends."""
    with open(log, "ab") as out:
        process = subprocess.Popen(  # noqa: S603 (our own command lines)
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        process_group_stop(process)


def process_group_stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process group ``process`` leads, then SIGKILL to it if it has not exited in time."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure nothing it started is left behind in its group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        return


@contextlib.contextmanager
def private_redis() -> Iterator[str]:
    """A redis-server of our own on a free port, keeping nothing on disk; yields its URL."""
    import redis

    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="outreach_bench_redis_"))
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    try:
        with started([*args, "--dir", str(workdir)], log=workdir / "redis.log") as process:
            client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5, socket_timeout=1)

            def answers() -> bool:
                try:
                    return bool(client.ping())
                except redis.RedisError:
                    return False

            wait_until(answers, seconds=10, what="redis-server", process=process)
            client.close()
            yield f"redis://127.0.0.1:{port}/0"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --- The database ------------------------------------------------------------------------------


def _django_connections_close() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def _postgres_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(ADMIN_DATABASE_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def throwaway_database(label: str) -> Iterator[str]:
    """Yield a DATABASE_URL for the run.

    DATABASE_URL when it is set (used as it is: its rows stay); else a new PostgreSQL database
    ``outreach_bench_<label>_<pid>`` dropped at the end; else, with PostgreSQL unreachable, a
    SQLite file under the temporary directory, deleted at the end.
    """
    given = os.environ.get("DATABASE_URL")
    if given:
        print(f"Using the database DATABASE_URL names ({urlsplit(given).path.lstrip('/')}); the rows stay there.")
        yield given
        return
    name = f"outreach_bench_{label}_{os.getpid()}"
    if not _postgres_reachable():
        path = Path(tempfile.gettempdir()) / f"{name}.sqlite3"
        print(f"PostgreSQL is unreachable at {ADMIN_DATABASE_URL}: using SQLite at {path}")
        try:
            yield f"sqlite:///{path}"
        finally:
            _django_connections_close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return

    import psycopg
    from psycopg import sql

    with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True, connect_timeout=3) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    parts = urlsplit(ADMIN_DATABASE_URL)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        _django_connections_close()
        with psycopg.connect(ADMIN_DATABASE_URL, autocommit=True, connect_timeout=3) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def django_start(env: dict[str, str]) -> dict[str, str]:
    """Put ``env`` in this process's environment, set Django up on bench.settings and migrate.

    Returns the environment for the processes started later (gunicorn, the worker), which read the
    same settings the same way.
    """
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    # Request and task logs at INFO would be written for every request; the bench reads none of them.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return dict(os.environ)


@contextlib.contextmanager
def django_in_process(label: str) -> Iterator[None]:
    """A throwaway database and Redis (``throwaway_database``, ``private_redis``) and Django set up
    on them in this process (``django_start``), with production's connection setting (CONN_MAX_AGE
    60, or BENCH_CONN_MAX_AGE); everything is dropped and stopped at the end."""
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(throwaway_database(label))
        redis_url = stack.enter_context(private_redis())
        static = stack.enter_context(tempfile.TemporaryDirectory(prefix=f"outreach_bench_{label}_"))
        django_start(
            {
                "DATABASE_URL": database_url,
                "REDIS_URL": redis_url,
                "BENCH_CONN_MAX_AGE": os.environ.get("BENCH_CONN_MAX_AGE", "60"),
                "BENCH_STATIC_ROOT": static,  # nothing here serves a static file; WhiteNoise wants the folder
            }
        )
        yield


# --- The machine ------------------------------------------------------------------------------


def machine_description() -> list[tuple[str, str]]:
    """What the figures were measured on, as (name, value) pairs."""
    from django import get_version
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    else:
        database = f"{connection.vendor} {connection.Database.sqlite_version}"
    redis_version = "?"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        output = subprocess.run(
            ["redis-server", "--version"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
        redis_version = next((p.split("=", 1)[1] for p in output.split() if p.startswith("v=")), "?")
    return [
        ("CPU", f"{len(os.sched_getaffinity(0))} cores available (nproc), {cpu}"),
        ("memory", memory),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("Django", get_version()),
        ("database", database),
        ("Redis", redis_version),
    ]


# --- Realistic data through the service layer --------------------------------------------------

CITIES = [
    ("Minneapolis", "hennepin", "55401"),
    ("Saint Paul", "ramsey", "55101"),
    ("Duluth", "st_louis", "55802"),
    ("Rochester", "olmsted", "55901"),
    ("Northfield", "rice", "55057"),
    ("Bemidji", "beltrami", "56601"),
    ("Mankato", "blue_earth", "56001"),
    ("St. Cloud", "stearns", "56301"),
    ("Moorhead", "clay", "56560"),
    ("Winona", "winona", "55987"),
    ("Fargo", "outside_mn", "58102"),
]
ORGANIZATIONS = [
    ("Roosevelt High School", "school"),
    ("Northfield Community Church", "faith"),
    ("Lakeview Clinic", "health_care"),
    ("County Social Services", "social_services"),
    ("Police Department", "law_enforcement"),
    ("Community College", "college"),
    ("Parents Network", "community_group"),
    ("Hotel Association", "business"),
]
FIRST_BOOKING_DAY = 16  # past REQUEST_LEAD_DAYS (14) in any time zone


@dataclass
class World:
    """The data the benchmarks made, and where the next booking goes."""

    staff: object
    presenter_user: object
    presentations: list = field(default_factory=list)
    presenters: list = field(default_factory=list)
    scheduled: list = field(default_factory=list)
    submitted: list = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(20250101))
    serial: int = 0
    day: int = FIRST_BOOKING_DAY

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


def local_datetime(day: date, hour: int, minute: int = 0) -> datetime:
    from django.conf import settings

    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _days_ahead(days: int) -> date:
    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)


def world_create(*, presenters: int) -> World:
    """The starter catalog, a staff user, ``presenters`` presenters (the first can sign in)."""
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from outreach.models import Presentation

    call_command("load_catalog", stdout=StringIO())
    users = get_user_model().objects
    world = World(
        staff=users.create_user("bench-staff", "staff@bench.test", is_staff=True),
        presenter_user=users.create_user("bench-presenter", "presenter0@bench.test"),
        presentations=list(Presentation.objects.filter(is_active=True).prefetch_related("languages")),
    )
    presenters_add(world, presenters)
    return world


def presenters_add(world: World, count: int) -> None:
    """``count`` more presenters, each qualified for every presentation and speaking every language."""
    from outreach.models import Language
    from scheduling.services.people import presenter_create

    languages = list(Language.objects.all())
    for _ in range(count):
        n = len(world.presenters)
        world.presenters.append(
            presenter_create(
                name=f"Presenter {n:02d}",
                email=f"presenter{n}@bench.test",
                languages=languages,
                presentations=world.presentations,
                phone="+1 612-555-0199",
                user=world.presenter_user if n == 0 else None,
            )
        )


def _request_fields(world: World, presentation, *, virtual: bool, contact_email: str | None = None) -> dict:
    rng = world.rng
    n = world.next_serial()
    organization, kind = rng.choice(ORGANIZATIONS)
    city, county, zip_code = rng.choice(CITIES)
    listed = rng.random() < 0.6
    open_to_public = listed and rng.random() < 0.5
    return {
        "organization_name": f"{city} {organization} {n}",
        "organization_type": kind,
        "street_address": f"{100 + n} Main Street",
        "city": city,
        "county": county,
        "zip_code": zip_code,
        "contact_name": f"Contact Person {n}",
        "contact_role": "Program coordinator",
        "contact_email": contact_email or f"contact{n}@requester.test",
        "contact_phone": "+1 612-555-0142",
        "audience": rng.choice(list(presentation.audiences.all())),
        "audience_size": rng.randint(12, 400),
        "language": rng.choice(list(presentation.languages.all())),
        "format": "virtual" if virtual else "in_person",
        "virtual_platform": "Zoom" if virtual else "",
        "is_open_to_public": open_to_public,
        # A listed in-person event open to the public needs the venue the public should see.
        "venue": f"{city} Public Library, room {n % 4 + 1}" if open_to_public and not virtual else "",
        "may_list_publicly": listed,
        "notes": "Parking behind the building." if rng.random() < 0.3 else "",
    }


def request_submit_for_bench(world: World, presentation, windows: list[tuple[datetime, datetime]], **kw):
    """A request through outreach.services.request_submit (notifications queued as for a real one)."""
    from outreach.services import Window, request_submit

    virtual = presentation.offers_virtual and (not presentation.offers_in_person or world.rng.random() < 0.25)
    fields = _request_fields(world, presentation, virtual=virtual, **kw)
    return request_submit(presentation=presentation, windows=[Window(s, e) for s, e in windows], **fields)


def bookings_add(world: World, count: int, *, per_day: int = 4, cancel_every: int = 20) -> None:
    """``count`` scheduled bookings on the weekdays ahead, submitted then approved through the services.

    Each weekday gets ``per_day`` bookings at 10:00, each with its own lead presenter and every
    third with a co-presenter, all different that day, so no two collide (travel buffer included).
    Every ``cancel_every``-th booking is cancelled again (the public feed keeps it as CANCELLED).
    """
    from scheduling.services.review import Plan, booking_cancel, request_approve

    per_day = min(per_day, len(world.presenters) // 2)
    made = 0
    while made < count:
        day = _days_ahead(world.day)
        world.day += 1
        if day.weekday() >= 5:
            continue
        people = world.rng.sample(world.presenters, 2 * per_day)
        for slot in range(min(per_day, count - made)):
            presentation = world.rng.choice(world.presentations)
            request = request_submit_for_bench(world, presentation, [(local_datetime(day, 9), local_datetime(day, 16))])
            start = local_datetime(day, 10)
            in_person = request.format == "in_person"
            request_approve(
                request=request,
                by=world.staff,
                plan=Plan(
                    start=start,
                    end=start + timedelta(minutes=presentation.duration_minutes),
                    lead_presenter=people[slot],
                    co_presenters=[people[per_day + slot]] if (len(world.scheduled) % 3 == 0) else [],
                    format=request.format,
                    location=f"{request.street_address}, {request.city}, room {slot + 1}" if in_person else "",
                    virtual_link="" if in_person else f"https://meet.example.org/{request.reference}",
                ),
            )
            world.scheduled.append(request)
            made += 1
            if len(world.scheduled) % cancel_every == 0:
                booking_cancel(request=request, by=world.staff, reason="The venue is closed that day.")


def pending_add(world: World, count: int) -> None:
    """``count`` submitted requests waiting for staff, with one to three preferred windows in the next months."""
    for _ in range(count):
        presentation = world.rng.choice(world.presentations)
        days = sorted(world.rng.sample(range(FIRST_BOOKING_DAY, 110), world.rng.randint(1, 3)))
        windows = [
            (local_datetime(_days_ahead(d), 9 + 4 * (i % 2)), local_datetime(_days_ahead(d), 12 + 4 * (i % 2)))
            for i, d in enumerate(days)
        ]
        world.submitted.append(request_submit_for_bench(world, presentation, windows))


def data_size() -> dict[str, int]:
    from outreach.models import PresentationRequest
    from scheduling.models import Booking, Notification, Presenter

    return {
        "requests": PresentationRequest.objects.count(),
        "bookings": Booking.objects.filter(cancelled_at__isnull=True).count(),
        "cancelled bookings": Booking.objects.filter(cancelled_at__isnull=False).count(),
        "pending requests": PresentationRequest.objects.filter(status="submitted").count(),
        "presenters": Presenter.objects.count(),
        "notifications": Notification.objects.count(),
    }
