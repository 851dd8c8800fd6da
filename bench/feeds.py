"""Calendar feeds: generation time next to the icalendar floor and django-ical, and the time to answer 304.

    .venv/bin/python bench/feeds.py [--bookings 5000] [--repeat 5]

It works on a throwaway database and never opens var/db.sqlite3: by default a SQLite file in a
temporary directory; with DATABASE_URL=postgres://... a test database (test_<name>) created on
that server and dropped at the end. It fills it with scheduled bookings (bulk inserts, not the
lifecycle service, which would take minutes), then prints, side by side:

- our public and staff feeds (calendars.selectors.feed_calendar: the queries, the ORM and the text);
- the floor: the same calendar built with the raw icalendar library from plain tuples fetched
  beforehand (the script checks that it is byte-identical to ours, so both do the same work);
- the peer: the public feed built with django-ical's ICalFeed over the same queryset;
- whole GET requests through Django's test client: a 200, and a 304 for If-None-Match.
"""

import argparse
import gc
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
TMP = Path(tempfile.mkdtemp(prefix="feeds-bench-"))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_ical.views import ICalFeed  # noqa: E402
from icalendar import Calendar, Event, vDuration  # noqa: E402

from calendars import builders as feed_calendars  # noqa: E402
from calendars import selectors as feeds  # noqa: E402
from calendars.services import staff_feed_token_rotate  # noqa: E402
from outreach.enums import COUNTY_CHOICES, Format, OrganizationType, RequestStatus  # noqa: E402
from outreach.models import (  # noqa: E402
    Audience,
    Language,
    Presentation,
    PresentationRequest,
    RequestWindow,
)
from scheduling.ical import PRODID, utc  # noqa: E402
from scheduling.models import Booking, BusyInterval, Presenter  # noqa: E402

PRESENTERS = 60
PER_DAY = 7
PENDING = 200


# --- A database full of bookings -----------------------------------------------------------------


def fill(count: int) -> None:
    english = Language.objects.create(code="en", name="English")
    audience = Audience.objects.create(name="Educators and school staff", slug="educators")
    presentations = []
    for k in range(6):
        presentation = Presentation.objects.create(
            title=f"Recognizing and Responding, part {k + 1}",
            slug=f"recognize-respond-{k + 1}",
            summary="What sex trafficking is, how it happens in Minnesota, and how to respond.",
            description="A description.",
        )
        presentation.audiences.set([audience])
        presentation.languages.set([english])
        presentations.append(presentation)
    presenters = Presenter.objects.bulk_create(
        Presenter(name=f"Presenter {k:02d}", email=f"presenter{k}@example.org", phone="+1 612-555-0100")
        for k in range(PRESENTERS)
    )
    counties = [value for value, _ in COUNTY_CHOICES]
    now = timezone.now()

    def request_row(n: int, status: str) -> PresentationRequest:
        return PresentationRequest(
            reference=f"OS-B{n:06d}",
            presentation=presentations[n % len(presentations)],
            status=status,
            organization_name=f"Organization {n}, Inc.",
            organization_type=OrganizationType.SCHOOL,
            street_address=f"{100 + n} Main St",
            city="Northfield",
            county=counties[n % len(counties)],
            zip_code="55057",
            contact_name=f"Contact {n}",
            contact_role="Counselor",
            contact_email=f"contact{n}@example.net",
            contact_phone="+1 507-555-0142",
            audience=audience,
            audience_size=40,
            age_range="Grades 9-12",
            language=english,
            format=Format.IN_PERSON if n % 4 else Format.VIRTUAL,
            accessibility_needs="An ASL interpreter." if n % 5 == 0 else "",
            may_list_publicly=n % 3 == 0,
            is_open_to_public=n % 6 == 0,
            notes="Park behind the gym; sign in at the front office." if n % 2 else "",
        )

    requests = PresentationRequest.objects.bulk_create(
        [request_row(n, RequestStatus.SCHEDULED) for n in range(count)], batch_size=500
    )
    bookings = []
    for n, request in enumerate(requests):
        day, slot = divmod(n, PER_DAY)
        start = (now + timedelta(days=day + 1)).replace(hour=14 + slot, minute=0, second=0, microsecond=0)
        bookings.append(
            Booking(
                request=request,
                start=start,
                end=start + timedelta(minutes=50),
                format=request.format,
                location=f"{request.street_address}, Room {n % 300}" if request.format == Format.IN_PERSON else "",
                virtual_link="" if request.format == Format.IN_PERSON else f"https://meet.example.com/j/{n}",
                lead_presenter=presenters[n % PRESENTERS],
            )
        )
    bookings = Booking.objects.bulk_create(bookings, batch_size=500)
    through = Booking.co_presenters.through
    through.objects.bulk_create(
        [
            through(booking_id=b.pk, presenter_id=presenters[(n + 1) % PRESENTERS].pk)
            for n, b in enumerate(bookings)
            if n % 3 == 0
        ],
        batch_size=1000,
    )
    busy = []
    for n, booking in enumerate(bookings):
        people = [booking.lead_presenter_id] + ([presenters[(n + 1) % PRESENTERS].pk] if n % 3 == 0 else [])
        for presenter_id in people:
            busy.append(
                BusyInterval(
                    booking=booking, presenter_id=presenter_id, kind="presenting", start=booking.start, end=booking.end
                )
            )
    BusyInterval.objects.bulk_create(busy, batch_size=1000)
    # One in fifty was cancelled in the last month: they stay in the feeds as STATUS:CANCELLED.
    cancelled = [b.pk for n, b in enumerate(bookings) if n % 50 == 7]
    Booking.objects.filter(pk__in=cancelled).update(cancelled_at=now - timedelta(days=3), sequence=1)
    BusyInterval.objects.filter(booking_id__in=cancelled).delete()
    PresentationRequest.objects.filter(booking__pk__in=cancelled).update(status=RequestStatus.CANCELLED)
    pending = PresentationRequest.objects.bulk_create(
        [request_row(count + n, RequestStatus.SUBMITTED) for n in range(PENDING)], batch_size=500
    )
    RequestWindow.objects.bulk_create(
        RequestWindow(
            request=request,
            position=position,
            start=now + timedelta(days=20 + n % 60, hours=position),
            end=now + timedelta(days=20 + n % 60, hours=position + 1),
        )
        for n, request in enumerate(pending)
        for position in (1, 2, 3)
    )
    # Everything was last changed a while ago, as in a feed at rest.
    Booking.objects.update(updated_at=now - timedelta(hours=2))


# --- The floor: raw icalendar from plain tuples ----------------------------------------------------


def plain_tuples(ics: bytes) -> list[tuple]:
    """The events of a calendar as plain tuples of final values, as a hand-written query would return them."""
    rows = []
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        rows.append(
            (
                str(event["UID"]),
                int(event["SEQUENCE"]),
                event.decoded("DTSTAMP"),
                event.decoded("DTSTART"),
                event.decoded("DTEND"),
                str(event["SUMMARY"]),
                str(event["STATUS"]),
                str(event["LOCATION"]),
                str(event["DESCRIPTION"]),
                str(event["URL"]),
            )
        )
    return rows


def floor_calendar(name: str, rows: list[tuple]) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(timedelta(hours=1)))
    for uid, sequence, changed, start, end, summary, status, location, description, url in rows:
        event = Event()
        event.add("uid", uid)
        event.add("sequence", sequence)
        event.add("dtstamp", changed)
        event.add("last-modified", changed)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        event.add("status", status)
        event.add("location", location)
        event.add("description", description)
        event.add("url", url)
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()


# --- The peer: django-ical -------------------------------------------------------------------------


class PeerPublicFeed(ICalFeed):
    """The public feed as django-ical builds it: the same queryset, the same texts."""

    product_id = PRODID
    timezone = settings.TIME_ZONE
    ttl = "PT1H"

    def __init__(self, now):
        super().__init__()
        self.now = now

    def title(self):
        return feeds.Feed(kind=feeds.PUBLIC).name

    def items(self):
        return feeds.feed_bookings(feed=feeds.Feed(kind=feeds.PUBLIC), now=self.now)

    def item_guid(self, item):
        return item.uid

    def item_title(self, item):
        title = f"{item.request.presentation.title} – {feed_calendars.public_organization(item.request)}"
        return f"{feed_calendars.CANCELLED_PREFIX}{title}" if item.cancelled_at else title

    def item_description(self, item):
        lines = [item.request.presentation.summary, f"Format: {item.get_format_display()}"]
        if item.request.may_list_publicly and item.request.is_open_to_public:
            lines.append("Open to the public.")
        return "\n".join(lines)

    def item_link(self, item):
        return settings.SITE_URL + item.request.presentation.get_absolute_url()

    def item_location(self, item):
        return feed_calendars.public_place(item.request)

    def item_start_datetime(self, item):
        return utc(item.start)

    def item_end_datetime(self, item):
        return utc(item.end)

    def item_updateddate(self, item):
        return utc(item.updated_at)

    def item_timestamp(self, item):
        return utc(item.updated_at)

    def item_status(self, item):
        return "CANCELLED" if item.cancelled_at else "CONFIRMED"

    def item_transparency(self, item):
        return "OPAQUE"

    def item_extra_kwargs(self, item):
        return {**super().item_extra_kwargs(item), "sequence": item.sequence}


# --- Timing ------------------------------------------------------------------------------------------


@dataclass
class Timing:
    """Wall and CPU (this process) seconds of each run; the last result."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    result: object = None

    def measure(self, function) -> None:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        self.result = function()
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)


def interleaved(variants: dict[str, object], rounds: int) -> dict[str, Timing]:
    """Run every variant once per round, in turn, so that a busy moment on the machine hits them all."""
    timings = {name: Timing() for name in variants}
    for _ in range(rounds):
        for name, function in variants.items():
            timings[name].measure(function)
    return timings


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpu = model or platform.processor() or platform.machine()
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--requests-304", type=int, default=300)
    args = parser.parse_args()

    setup_test_environment()  # the test client's host, mail kept in memory
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(TMP / "bench.sqlite3")
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(args, test_name)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(TMP, ignore_errors=True)


def run(args, database: str) -> None:
    started = time.perf_counter()
    fill(args.bookings)
    print(f"Filled {connection.vendor} database {database} in {time.perf_counter() - started:.1f} s")
    now = timezone.now()
    public, staff = feeds.Feed(kind=feeds.PUBLIC), feeds.Feed(kind=feeds.STAFF)
    staff_tentative = feeds.Feed(kind=feeds.STAFF, tentative=True)
    events = feeds.feed_bookings(feed=public, now=now).count()
    user = get_user_model().objects.create_user("bench", is_staff=True)
    staff_path = f"/calendar/staff/{staff_feed_token_rotate(user=user)}.ics"
    client = Client()

    peer_request = RequestFactory().get("/calendar/public.ics")
    variants = {
        "public floor": lambda: floor_calendar(public.name, public_rows),
        "public ours": lambda: feed_calendars.feed_calendar(feed=public, now=now),
        "public peer": lambda: PeerPublicFeed(now)(peer_request).content,
        "public GET": lambda: client.get("/calendar/public.ics"),
        "staff floor": lambda: floor_calendar(staff.name, staff_rows),
        "staff ours": lambda: feed_calendars.feed_calendar(feed=staff, now=now),
        "staff GET": lambda: client.get(staff_path),
        "tentative ours": lambda: feed_calendars.feed_calendar(feed=staff_tentative, now=now),
    }
    public_rows = plain_tuples(feed_calendars.feed_calendar(feed=public, now=now))
    staff_rows = plain_tuples(feed_calendars.feed_calendar(feed=staff, now=now))
    t = interleaved(variants, args.repeat)

    not_modified = {}
    for label, path in [("public", "/calendar/public.ics"), ("staff", staff_path)]:
        etag = client.get(path)["ETag"]
        timing = Timing()
        for _ in range(args.requests_304):
            timing.measure(lambda path=path, etag=etag: client.get(path, HTTP_IF_NONE_MATCH=etag))
            assert timing.result.status_code == 304, timing.result.status_code
        not_modified[label] = timing

    same_public = t["public ours"].result == t["public floor"].result
    same_staff = t["staff ours"].result == t["staff floor"].result
    peer_events = t["public peer"].result.count(b"BEGIN:VEVENT")

    print()
    print(
        f"Calendar feeds, {args.bookings:,} scheduled bookings ({events:,} in the public feed, "
        f"{args.bookings // 50} of them cancelled), {connection.vendor}"
    )
    print(f"Machine: {machine()}; load average {os.getloadavg()[0]:.2f} at the end")
    print(f"Best of {args.repeat} interleaved runs; CPU = this process only (with SQLite, the database too)")
    print()
    print(f"{'':46}{'wall':>12}{'x floor':>9}{'CPU':>12}{'x floor':>9}")

    def line(label: str, name: str, floor: str | None = None) -> None:
        wall, cpu = min(t[name].wall), min(t[name].cpu)
        wall_ratio = f"{wall / min(t[floor].wall):8.2f}x" if floor else ""
        cpu_ratio = f"{cpu / min(t[floor].cpu):8.2f}x" if floor else ""
        print(f"{label:46}{ms(wall):>12}{wall_ratio:>9}{ms(cpu):>12}{cpu_ratio:>9}")

    line("public: floor (raw icalendar, plain tuples)", "public floor")
    line("public: ours  (feed_calendar)", "public ours", "public floor")
    line("public: peer  (django-ical ICalFeed)", "public peer", "public floor")
    line("public: GET 200, whole view", "public GET", "public floor")
    line("staff:  floor (raw icalendar, plain tuples)", "staff floor")
    line("staff:  ours  (feed_calendar)", "staff ours", "staff floor")
    line("staff:  GET 200, whole view", "staff GET", "staff floor")
    line(f"staff:  ours with ?tentative=1 (+{PENDING * 3} windows)", "tentative ours")
    print()
    for label, timing in not_modified.items():
        wall, cpu = sorted(timing.wall), sorted(timing.cpu)
        p95 = int(len(wall) * 0.95)
        print(
            f"{label + ': GET 304 (If-None-Match), whole view':46}"
            f"wall median {ms(statistics.median(wall))}, p95 {ms(wall[p95])}; "
            f"CPU median {ms(statistics.median(cpu))} ({args.requests_304} requests)"
        )
    print()
    print(
        f"ours == floor, byte for byte: public {same_public}, staff {same_staff}; "
        f"peer events: {peer_events:,}; public body {len(t['public ours'].result) / 1e6:.2f} MB, "
        f"staff body {len(t['staff ours'].result) / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
