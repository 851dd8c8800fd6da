"""Calendar feeds people subscribe to: which events each holds, and its version (the reads).

- public: upcoming presentations whose requester agreed to a public listing, with no personal data
  (a booking without that consent is left out altogether, not shown anonymously);
- presenter: one presenter's bookings with full logistics;
- staff: every booking with full logistics, and on request pending requests' windows (TENTATIVE).
  A booking whose request's personal details were erased stays, its organization, contact and
  place reading "(personal details erased)" (outreach.models.ERASED_LABEL).

A cancelled booking stays in a feed, STATUS:CANCELLED, for CANCELLED_KEPT, so that subscribed
calendars drop it; private feeds keep PRIVATE_HISTORY of past bookings; the public one shows
what is still to come. calendars.feeds writes the iCalendar text.

A feed is built once per change of the data versions it reads (common.versions) and kept in
the cache (calendars.views); ``feed_state`` gives, when it is built, its last change and the next
moment time alone changes it. The events are loaded in a constant number of queries.

Here: what a feed is, which bookings it holds and its version, the public feed's rows and the
/events/ pages, the requester's download. The presenter and staff feeds' rows are in ``private``,
the reads of the feeds' private links in ``links``.
"""

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import get_translation_fields

from common.times import local_instant
from outreach.enums import RequestStatus
from outreach.models import Presentation, PresentationRequest, RequestWindow
from scheduling.ical import utc
from scheduling.models import Booking, Presenter

PUBLIC, PRESENTER, STAFF = "public", "presenter", "staff"
# Part of every stored copy's key and so of its ETag: change it when the feeds' text changes.
FEED_FORMAT = "4"
CANCELLED_KEPT = timedelta(days=30)
PRIVATE_HISTORY = timedelta(days=90)
# /events/ lists the public feed's events by periods of this many months: the first page from now,
# each next page ("Later presentations") the months after; at most EVENTS_PAGES_MAX pages (ten years).
EVENTS_PERIOD_MONTHS = 3
EVENTS_PAGES_MAX = 40

# Translators: the names of calendar feeds, as a calendar app lists them: "<organization>: presentations".
NAME_PUBLIC = _("%(organization)s: presentations")
NAME_PRESENTER = _("%(program)s: %(presenter)s")
NAME_STAFF = _("%(program)s: all bookings")
NAME_STAFF_TENTATIVE = _("%(program)s: all bookings and pending requests")

# What the public feed and /events/ load: nothing else of a request is read, so nothing else can leak.
PUBLIC_FIELDS = (
    "request",
    "request__presentation",
    "uid",
    "sequence",
    "start",
    "end",
    "format",
    "updated_at",
    "cancelled_at",
    "request__organization_name",
    "request__may_list_publicly",
    "request__is_open_to_public",
    "request__venue",
    "request__registration_url",
    "request__no_registration_needed",
    "request__presentation__slug",
    # The title and summary in every language: the page's own, and English where it has none.
    *(f"request__presentation__{name}" for name in get_translation_fields("title", "summary")),
)


@dataclass(frozen=True)
class Feed:
    """One feed: its kind, the presenter of a presenter feed, and whether pending windows are wanted."""

    kind: str
    presenter_id: int | None = None
    tentative: bool = False

    @cached_property
    def presenter(self) -> Presenter | None:
        """The presenter of a presenter feed, read only when the feed is built (for its name)."""
        return Presenter.objects.get(pk=self.presenter_id) if self.presenter_id is not None else None

    @property
    def key(self) -> str:
        """Which feed this is, for its stored key: a presenter's by the hash of their id (never a token or name)."""
        presenter = (
            hashlib.sha256(f"presenter-{self.presenter_id}".encode()).hexdigest()[:16] if self.presenter_id else ""
        )
        return f"{self.kind}:{presenter}:{int(self.tentative)}"

    @property
    def name(self) -> str:
        program = settings.PROGRAM_NAME
        if self.kind == PUBLIC:
            return str(NAME_PUBLIC % {"organization": settings.ORGANIZATION_NAME})
        if self.kind == PRESENTER:
            return str(NAME_PRESENTER % {"program": program, "presenter": self.presenter.name})
        return str((NAME_STAFF_TENTATIVE if self.tentative else NAME_STAFF) % {"program": program})


@dataclass(frozen=True)
class FeedState:
    """What a feed's stored copy needs besides its text: when it last changed, and when time alone changes it."""

    changed: datetime | None  # the latest change to an event in the feed; None for an empty feed
    valid_until: datetime | None  # the next moment an event leaves the feed; None when none will


# --- Which events a feed holds, and its version ----------------------------------------------


def _since(feed: Feed, now: datetime) -> datetime:
    return now if feed.kind == PUBLIC else now - PRIVATE_HISTORY


def _holds(feed: Feed, now: datetime) -> Q:
    return Q(end__gt=_since(feed, now)) & (Q(cancelled_at__isnull=True) | Q(cancelled_at__gt=now - CANCELLED_KEPT))


def _scope(feed: Feed) -> QuerySet[Booking]:
    bookings = Booking.objects.all()
    if feed.kind == PUBLIC:
        bookings = bookings.filter(request__may_list_publicly=True)
    if feed.kind == PRESENTER:
        co_presenting = Booking.co_presenters.through.objects.filter(presenter_id=feed.presenter_id)
        bookings = bookings.filter(
            Q(lead_presenter_id=feed.presenter_id) | Q(pk__in=co_presenting.values("booking_id"))
        )
    return bookings


def feed_state(*, feed: Feed, now: datetime) -> FeedState:
    """When the feed's events last changed, and the next moment one leaves it (one or two aggregate queries).

    Read when the feed is built, not for a conditional GET: the stored copy keeps both. The
    latest change covers the booking, its request, its presentation and its lead presenter
    (an admin correction moves their ``updated_at``); an event leaves when its end passes the
    feed's history or its cancellation grows older than CANCELLED_KEPT.
    """
    since = _since(feed, now)
    row = (
        _scope(feed)
        .filter(_holds(feed, now))
        .aggregate(
            changed=Max("updated_at"),
            request_changed=Max("request__updated_at"),
            presentation_changed=Max("request__presentation__updated_at"),
            presenter_changed=Max("lead_presenter__updated_at"),
            first_end=Min("end"),
            first_cancelled=Min("cancelled_at"),
        )
    )
    changes = [row["changed"], row["request_changed"], row["presentation_changed"], row["presenter_changed"]]
    leaving = [row["first_end"] and row["first_end"] + (now - since)]
    leaving.append(row["first_cancelled"] and row["first_cancelled"] + CANCELLED_KEPT)
    if feed.tentative:
        windows = RequestWindow.objects.filter(end__gt=since).aggregate(
            changed=Max("request__status_changed_at"),
            first_end=Min("end", filter=Q(request__status=RequestStatus.SUBMITTED)),
        )
        changes.append(windows["changed"])
        leaving.append(windows["first_end"] and windows["first_end"] + (now - since))
    known = [utc(moment) for moment in changes if moment is not None]
    ahead = [utc(moment) for moment in leaving if moment is not None]
    return FeedState(changed=max(known) if known else None, valid_until=min(ahead) if ahead else None)


def feed_last_modified(*, feed: Feed, now: datetime, state: FeedState) -> datetime | None:
    """When the feed last changed: a change to one of its events, or an event leaving it.

    An event leaves when its end passes the window or its cancellation grows older than
    CANCELLED_KEPT; counting that moment keeps an If-Modified-Since from being answered 304
    after an event dropped out. One more query, run only for a 200 or an If-Modified-Since.
    None for a feed that holds nothing (then only the ETag validates).
    """
    if state.changed is None:
        return None
    since = _since(feed, now)
    row = _scope(feed).aggregate(
        ended=Max("end", filter=Q(end__lte=since)),
        dropped=Max("cancelled_at", filter=Q(cancelled_at__lte=now - CANCELLED_KEPT)),
    )
    moments = [state.changed, row["ended"] and row["ended"] + (now - since)]
    moments.append(row["dropped"] and row["dropped"] + CANCELLED_KEPT)
    if feed.tentative:
        windows = RequestWindow.objects.filter(request__status=RequestStatus.SUBMITTED, end__lte=since)
        ended = windows.aggregate(ended=Max("end"))["ended"]
        moments.append(ended and ended + (now - since))
    return max(utc(moment) for moment in moments if moment is not None)


def bookings_in_feed(*, feed: Feed, now: datetime) -> QuerySet[Booking]:
    """The bookings in ``feed`` at ``now``, by start: those still within its history (a cancelled one
    for CANCELLED_KEPT), of its kind (listed publicly, a presenter's own, or every one)."""
    return _scope(feed).filter(_holds(feed, now)).order_by("start", "pk")


def feed_bookings(*, feed: Feed, now: datetime) -> QuerySet[Booking]:
    """The bookings in ``feed`` at ``now``, by start, with what the public listing shows loaded up
    front (PUBLIC_FIELDS), for /events/ and the API; the feeds themselves are built from plain rows
    (``public_feed_rows``, ``private.private_feed_rows``)."""
    return bookings_in_feed(feed=feed, now=now).select_related("request__presentation").only(*PUBLIC_FIELDS)


# The columns of one public feed event, in the order public_feed_rows gives them.
PUBLIC_ROW = (
    "uid",
    "sequence",
    "start",
    "end",
    "format",
    "updated_at",
    "cancelled_at",
    "request__presentation_id",
    "request__organization_name",
    "request__is_open_to_public",
    "request__venue",
    "request__registration_url",
    "request__no_registration_needed",
)


def public_feed_rows(*, now: datetime) -> tuple[list[tuple], dict[int, Presentation]]:
    """The public feed's events at ``now`` as plain rows (PUBLIC_ROW, by start), and their presentations
    by id: the same bookings and consent as ``feed_bookings`` (only those whose requester agreed to a
    public listing), but no model instance per event. Two queries whatever the number of events."""
    feed = Feed(kind=PUBLIC)
    rows = list(_scope(feed).filter(_holds(feed, now)).order_by("start", "pk").values_list(*PUBLIC_ROW))
    presentations = Presentation.objects.only("slug", *get_translation_fields("title", "summary")).in_bulk(
        {row[7] for row in rows}
    )
    return rows, presentations


@dataclass(frozen=True)
class EventsPage:
    """One page of /events/: its period's events, how many come after it, and when time alone changes it."""

    number: int
    bookings: list[Booking]
    first_day: date  # the period's first day (today on the first page)
    last_day: date
    later: int  # events listed on the pages after this one
    valid_until: datetime  # the next local midnight, or sooner the moment an event leaves the listing


def _months_after(day: date, months: int) -> date:
    """The same day of the month ``months`` later (the month's last day where it has fewer)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def public_events_page(*, number: int, now: datetime) -> EventsPage | None:
    """Page ``number`` of /events/: the public feed's events (``feed_bookings``) that start in its
    period of EVENTS_PERIOD_MONTHS, or None for a page past the last event.

    The first page holds what is under way or to come until its period ends; page n the events
    starting in the n-th period from today (local dates). Two queries, whatever the number of
    events: the page's events, and one aggregate for the number after it and the moment the page
    changes by itself: the next local midnight (the periods move on), or sooner when an event ends
    or a cancellation grows older than CANCELLED_KEPT.
    """
    if not 1 <= number <= EVENTS_PAGES_MAX:
        return None
    feed = Feed(kind=PUBLIC)
    today = timezone.localdate(now)
    first_day = _months_after(today, EVENTS_PERIOD_MONTHS * (number - 1))
    next_first_day = _months_after(today, EVENTS_PERIOD_MONTHS * number)
    ends = local_instant(next_first_day, time.min)
    summary = (
        _scope(feed)
        .filter(_holds(feed, now))
        .aggregate(
            later=Count("pk", filter=Q(start__gte=ends)), first_end=Min("end"), first_cancelled=Min("cancelled_at")
        )
    )
    period = Q(start__lt=ends)
    if number > 1:
        period &= Q(start__gte=local_instant(first_day, time.min))
    bookings = list(feed_bookings(feed=feed, now=now).filter(period))
    if number > 1 and not bookings and not summary["later"]:
        return None
    moments = [local_instant(today + timedelta(days=1), time.min), summary["first_end"]]
    moments.append(summary["first_cancelled"] and summary["first_cancelled"] + CANCELLED_KEPT)
    return EventsPage(
        number=number,
        bookings=bookings,
        first_day=first_day,
        last_day=next_first_day - timedelta(days=1),
        later=summary["later"],
        valid_until=min(utc(moment) for moment in moments if moment is not None),
    )


def booking_for_download(*, request: PresentationRequest) -> Booking | None:
    """The request's booking, if it is scheduled (not cancelled, not completed), for its .ics download."""
    if request.status != RequestStatus.SCHEDULED:
        return None
    return (
        Booking.objects.select_related("request__presentation", "lead_presenter")
        .prefetch_related("co_presenters")
        .filter(request=request, cancelled_at__isnull=True)
        .first()
    )
