"""Calendar feeds at 500, 5,000 and 20,000 events: cold next to the icalendar floor and django-ical, warm, 304.

    .venv/bin/python -m bench.feeds [--sizes 500 5000 20000] [--rounds 5] [--requests-304 300]

Production settings (bench.settings), a throwaway PostgreSQL database and a private Redis (see
bench.common). The database is filled with scheduled bookings by bulk inserts (the lifecycle
service would take an hour at 20,000), growing from one size to the next; after each fill the
data versions are moved, as every write in the application moves them. At each size, in rounds,
every variant once per round in turn (so a busy moment on the shared machine hits them all):

- floor: the same calendar built with the raw icalendar library from plain tuples fetched
  beforehand (the script checks that it is byte-identical to ours, so both do the same
  icalendar work; the floor does no query at all), with Python's garbage collector paused as
  ours builds it (common.collector), so that the two differ only in what ours adds;
- ours, cold: ``calendars.feeds.feed_calendar`` (the queries, the ORM and the text), and a
  whole GET through the view and every middleware with the cache emptied first (it builds the
  feed and stores it);
- peer: the public feed built with django-ical's ICalFeed over the same queryset and texts;
- warm: a whole GET without an ETag, answered from the stored copy;
- 304: a whole GET with the current ETag (If-None-Match), many times; at 5,000 and 20,000 events
  their ratio shows whether the answer grows with the data. The queries of one 304 are printed.

Each figure is the median of the rounds with their range (min-max), not the best round, and the
median CPU time of this process (PostgreSQL's work is not in it; the floor does no query).
"""

import argparse
import gc
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also run as a script: python bench/x.py

from bench.common import django_in_process, load_average, machine_description, table

PRESENTERS = 60
PER_DAY = 7
PENDING = 200


# --- A database full of bookings -----------------------------------------------------------------


@dataclass
class Filler:
    """Adds scheduled bookings by bulk inserts; ``count`` says how many were made so far."""

    count: int = 0
    presentations: list = field(default_factory=list)
    presenters: list = field(default_factory=list)
    audience: object = None
    language: object = None

    def catalog(self) -> None:
        from outreach.models import Audience, Language, Presentation
        from scheduling.models import Presenter

        self.language = Language.objects.create(code="en", name="English")
        self.audience = Audience.objects.create(name="Educators and school staff", slug="educators")
        for k in range(6):
            presentation = Presentation.objects.create(
                title=f"Recognizing and Responding, part {k + 1}",
                slug=f"recognize-respond-{k + 1}",
                summary="What sex trafficking is, how it happens in Minnesota, and how to respond.",
                description="A description.",
            )
            presentation.audiences.set([self.audience])
            presentation.languages.set([self.language])
            self.presentations.append(presentation)
        self.presenters = Presenter.objects.bulk_create(
            Presenter(name=f"Presenter {k:02d}", email=f"presenter{k}@example.org", phone="+1 612-555-0100")
            for k in range(PRESENTERS)
        )

    def request_row(self, n: int, status: str):
        from outreach.enums import COUNTY_CHOICES, Format, OrganizationType
        from outreach.models import PresentationRequest

        counties = [value for value, _ in COUNTY_CHOICES]
        return PresentationRequest(
            reference=f"OS-B{n:06d}",
            presentation=self.presentations[n % len(self.presentations)],
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
            audience=self.audience,
            audience_size=40,
            age_range="Grades 9-12",
            language=self.language,
            format=Format.IN_PERSON if n % 4 else Format.VIRTUAL,
            accessibility_needs="An ASL interpreter." if n % 5 == 0 else "",
            may_list_publicly=n % 3 == 0,
            is_open_to_public=n % 6 == 0,
            venue=f"Room {n % 300}, {100 + n} Main St" if n % 6 == 0 else "",
            notes="Park behind the gym; sign in at the front office." if n % 2 else "",
        )

    def bookings_until(self, total: int, *, now) -> None:
        """Scheduled bookings numbered ``count`` to ``total`` - 1, seven a day from tomorrow; one in
        fifty cancelled three days ago (kept in the feeds as STATUS:CANCELLED)."""
        from common.versions import CATALOG, SCHEDULE, version_bump
        from outreach.enums import Format, RequestStatus
        from outreach.models import PresentationRequest
        from scheduling.models import Booking, BusyInterval

        numbers = range(self.count, total)
        requests = PresentationRequest.objects.bulk_create(
            [self.request_row(n, RequestStatus.SCHEDULED) for n in numbers], batch_size=500
        )
        bookings = []
        for n, request in zip(numbers, requests, strict=True):
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
                    lead_presenter=self.presenters[n % PRESENTERS],
                )
            )
        bookings = Booking.objects.bulk_create(bookings, batch_size=500)
        through = Booking.co_presenters.through
        made = list(zip(numbers, bookings, strict=True))
        co = {b.pk: self.presenters[(n + 1) % PRESENTERS].pk for n, b in made if n % 3 == 0}
        through.objects.bulk_create(
            [through(booking_id=pk, presenter_id=presenter) for pk, presenter in co.items()], batch_size=1000
        )
        BusyInterval.objects.bulk_create(
            [
                BusyInterval(booking=b, presenter_id=p, kind="presenting", start=b.start, end=b.end)
                for b in bookings
                for p in [b.lead_presenter_id, *([co[b.pk]] if b.pk in co else [])]
            ],
            batch_size=1000,
        )
        cancelled = [b.pk for n, b in made if n % 50 == 7]
        Booking.objects.filter(pk__in=cancelled).update(cancelled_at=now - timedelta(days=3), sequence=1)
        BusyInterval.objects.filter(booking_id__in=cancelled).delete()
        PresentationRequest.objects.filter(booking__pk__in=cancelled).update(status=RequestStatus.CANCELLED)
        # Everything was last changed a while ago, as in a feed at rest.
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(updated_at=now - timedelta(hours=2))
        self.count = total
        # Bulk writes send no signals: move the versions as the application's writes do.
        version_bump(SCHEDULE, CATALOG)

    def pending(self, *, now) -> None:
        from outreach.enums import RequestStatus
        from outreach.models import PresentationRequest, RequestWindow

        pending = PresentationRequest.objects.bulk_create(
            [self.request_row(10_000_000 + n, RequestStatus.SUBMITTED) for n in range(PENDING)], batch_size=500
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


# --- The floor: raw icalendar from plain tuples ----------------------------------------------------


def plain_tuples(ics: bytes) -> list[tuple]:
    """The events of a calendar as plain tuples of final values, as a hand-written query would return them."""
    from icalendar import Calendar

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
                str(event.get("LOCATION", "")),
                str(event.get("DESCRIPTION", "")),
                str(event.get("URL", "")),
            )
        )
    return rows


def floor_calendar(name: str, rows: list[tuple]) -> bytes:
    """The floor, under the same paused collector as ``feed_calendar``'s build."""
    from common.collector import collector_paused

    with collector_paused():
        return _floor_calendar(name, rows)


def _floor_calendar(name: str, rows: list[tuple]) -> bytes:
    from django.conf import settings
    from icalendar import Calendar, Event, vDuration

    from scheduling.ical import PRODID

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
        if location:
            event.add("location", location)
        if description:
            event.add("description", description)
        if url:
            event.add("url", url)
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()


# --- The peer: django-ical -------------------------------------------------------------------------


def peer_feed(now):
    """The public feed as django-ical's ICalFeed builds it: the same queryset, the same texts."""
    from django.conf import settings
    from django_ical.views import ICalFeed

    from calendars import builders
    from calendars import selectors as feeds
    from scheduling.ical import PRODID, utc

    class PeerPublicFeed(ICalFeed):
        product_id = PRODID
        timezone = settings.TIME_ZONE
        ttl = "PT1H"

        def title(self):
            return feeds.Feed(kind=feeds.PUBLIC).name

        def items(self):
            return feeds.feed_bookings(feed=feeds.Feed(kind=feeds.PUBLIC), now=now)

        def item_guid(self, item):
            return item.uid

        def item_title(self, item):
            title = f"{item.request.presentation.title} – {item.request.organization_name}"
            return f"{builders.CANCELLED_PREFIX}{title}" if item.cancelled_at else title

        def item_description(self, item):
            lines = [item.request.presentation.summary, f"Format: {item.get_format_display()}"]
            if item.request.is_open_to_public:
                lines.append("Open to the public.")
            return "\n".join(lines)

        def item_link(self, item):
            return settings.SITE_URL + item.request.presentation.get_absolute_url()

        def item_location(self, item):
            return builders.public_place(item)

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

    return PeerPublicFeed()


# --- Timing ------------------------------------------------------------------------------------------


@dataclass
class Timing:
    """Wall and CPU (this process) seconds of each run; the last result."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    result: object = None

    def measure(self, function, prepare=None) -> None:
        if prepare is not None:
            prepare()
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        self.result = function()
        self.wall.append(time.perf_counter() - started)
        self.cpu.append(time.process_time() - cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    def spread(self) -> str:
        return f"{ms(min(self.wall))}–{ms(max(self.wall))}"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}" if seconds < 0.1 else f"{seconds * 1000:,.0f}"


def interleaved(variants: dict[str, tuple], rounds: int) -> dict[str, Timing]:
    """Run every variant (function, prepare) once per round, in turn."""
    timings = {name: Timing() for name in variants}
    for _ in range(rounds):
        for name, (function, prepare) in variants.items():
            timings[name].measure(function, prepare)
    return timings


# --- One size ---------------------------------------------------------------------------------------


def measure_size(*, rounds: int, requests_304: int, client, staff_path: str, now) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from calendars import selectors as feeds
    from calendars.feeds import feed_calendar
    from common import pagecache

    public, staff = feeds.Feed(kind=feeds.PUBLIC), feeds.Feed(kind=feeds.STAFF)
    public_ours = feed_calendar(feed=public, now=now)
    staff_ours = feed_calendar(feed=staff, now=now)
    public_rows, staff_rows = plain_tuples(public_ours), plain_tuples(staff_ours)
    peer = peer_feed(now)
    peer_request = RequestFactory().get("/calendar/public.ics")
    client.get("/calendar/public.ics")  # the stored copies, for the warm GETs
    client.get(staff_path)

    def empty_caches() -> None:
        """No stored copy anywhere: neither in Redis nor in this process's own recent copies."""
        cache.clear()
        pagecache.recent.clear()

    def get(path: str):
        def run():
            response = client.get(path)
            assert response.status_code == 200, response.status_code
            return response

        return run

    variants = {
        "public floor": (lambda: floor_calendar(public.name, public_rows), None),
        "public ours": (lambda: feed_calendar(feed=public, now=now), None),
        "public peer": (lambda: peer(peer_request).content, None),
        "public GET cold": (get("/calendar/public.ics"), empty_caches),
        "public GET warm": (get("/calendar/public.ics"), None),
        "staff floor": (lambda: floor_calendar(staff.name, staff_rows), None),
        "staff ours": (lambda: feed_calendar(feed=staff, now=now), None),
        "staff GET cold": (get(staff_path), empty_caches),
        "staff GET warm": (get(staff_path), None),
    }
    timings = interleaved(variants, rounds)
    assert timings["public GET warm"].result.content == public_ours
    assert timings["staff GET warm"].result.content == staff_ours

    not_modified = {}
    for label, path in (("public", "/calendar/public.ics"), ("staff", staff_path)):
        etag = client.get(path)["ETag"]
        timing = Timing()
        for _ in range(requests_304):
            timing.measure(lambda path=path, etag=etag: client.get(path, HTTP_IF_NONE_MATCH=etag))
            assert timing.result.status_code == 304, timing.result.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(path, HTTP_IF_NONE_MATCH=etag)
        not_modified[label] = (timing, [q["sql"] for q in queries.captured_queries])

    return {
        "events": {"public": public_ours.count(b"BEGIN:VEVENT"), "staff": staff_ours.count(b"BEGIN:VEVENT")},
        "bytes": {"public": len(public_ours), "staff": len(staff_ours)},
        "same": {
            "public": public_ours == timings["public floor"].result,
            "staff": staff_ours == timings["staff floor"].result,
        },
        "peer events": timings["public peer"].result.count(b"BEGIN:VEVENT"),
        "timings": timings,
        "304": not_modified,
    }


def report(size: int, result: dict, rounds: int) -> str:
    t = result["timings"]

    def row(label: str, name: str, floor: str | None) -> list:
        timing = t[name]
        ratio = f"{timing.median / t[floor].median:.2f}x" if floor else ""
        cpu = statistics.median(timing.cpu)
        cpu_ratio = f"{cpu / statistics.median(t[floor].cpu):.2f}x" if floor else ""
        return [label, ms(timing.median), timing.spread(), ratio, ms(cpu), cpu_ratio]

    rows = [
        row("public: floor (raw icalendar, plain tuples)", "public floor", None),
        row("public: ours, cold build (feed_calendar)", "public ours", "public floor"),
        row("public: peer (django-ical ICalFeed)", "public peer", "public floor"),
        row("public: GET 200 cold (empty cache: build, store)", "public GET cold", "public floor"),
        row("public: GET 200 warm (stored copy, no ETag)", "public GET warm", "public floor"),
        row("staff: floor (raw icalendar, plain tuples)", "staff floor", None),
        row("staff: ours, cold build (feed_calendar)", "staff ours", "staff floor"),
        row("staff: GET 200 cold (empty cache: build, store)", "staff GET cold", "staff floor"),
        row("staff: GET 200 warm (stored copy, no ETag)", "staff GET warm", "staff floor"),
    ]
    for label, (timing, _queries) in result["304"].items():
        rows.append(
            [
                f"{label}: GET 304 (If-None-Match), {len(timing.wall)} requests",
                ms(timing.median),
                timing.spread(),
                "",
                ms(statistics.median(timing.cpu)),
                "",
            ]
        )
    events, sizes = result["events"], result["bytes"]
    title = (
        f"{size:,} bookings: public feed {events['public']:,} events ({sizes['public'] / 1e6:.2f} MB), "
        f"staff feed {events['staff']:,} events ({sizes['staff'] / 1e6:.2f} MB); median of {rounds} rounds, ms"
    )
    lines = [table(["", "median ms", "range ms", "x floor", "CPU ms", "CPU x floor"], rows, title=title)]
    lines.append(
        f"ours == floor byte for byte: public {result['same']['public']}, staff {result['same']['staff']}; "
        f"peer events {result['peer events']:,}"
    )
    for label, (_timing, queries) in result["304"].items():
        lines.append(f"queries of one {label} 304: {len(queries)}")
        lines.extend(f"  {sql[:160]}" for sql in queries)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests-304", type=int, default=300)
    args = parser.parse_args()
    began = time.monotonic()

    with django_in_process("feeds"):
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.utils import timezone

        from calendars.services import staff_feed_token_rotate

        setup_test_environment()  # the test client's host; mail kept in memory
        machine = machine_description()
        backend = settings.CACHES["default"]["BACKEND"]
        print(f"CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']}; cache {backend}")
        now = timezone.now()
        filler = Filler()
        filler.catalog()
        filler.pending(now=now)
        user = get_user_model().objects.create_user("bench", is_staff=True)
        staff_path = f"/calendar/staff/{staff_feed_token_rotate(user=user)}.ics"
        client = Client()
        results = {}
        for size in sorted(args.sizes):
            started = time.monotonic()
            filler.bookings_until(size, now=now)
            print(f"\nFilled to {size:,} bookings in {time.monotonic() - started:.0f} s; measuring ...", flush=True)
            results[size] = measure_size(
                rounds=args.rounds, requests_304=args.requests_304, client=client, staff_path=staff_path, now=now
            )
            print(report(size, results[size], args.rounds), flush=True)

        sizes = sorted(results)
        if len(sizes) >= 2:
            print()
            small, large = sizes[-2], sizes[-1]
            for label in ("public", "staff"):
                a, b = results[small]["304"][label][0].median, results[large]["304"][label][0].median
                print(f"304 {label}: {ms(a)} ms at {small:,}, {ms(b)} ms at {large:,}: {b / a:.2f}x (goal: 1.5x)")
        print()
        for name, value in machine:
            print(f"{name}: {value}")
        print(f"load average at the end: {load_average()}")
        print(f"took {time.monotonic() - began:.0f} s")


if __name__ == "__main__":
    main()
