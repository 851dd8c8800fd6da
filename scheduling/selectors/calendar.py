"""The staff calendar's reads: bookings and tentative times in a date range, bounded per day."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate
from modeltranslation.utils import get_translation_fields

from common.times import program_zone
from outreach.enums import RequestStatus
from outreach.models import PresentationRequest, RequestWindow
from scheduling.models import Booking, Presenter, ProposalState, ProposedTime


def bookings_for_calendar(*, start: datetime, end: datetime) -> QuerySet[Booking]:
    """Active bookings (scheduled or completed) overlapping [start, end), with what an event shows."""
    return (
        Booking.objects.filter(
            cancelled_at__isnull=True,
            request__status__in=[RequestStatus.SCHEDULED, RequestStatus.COMPLETED],
            start__lt=end,
            end__gt=start,
        )
        .select_related("request__presentation", "lead_presenter")
        .prefetch_related("co_presenters")
        .order_by("start", "pk")
    )


@dataclass(frozen=True)
class TentativeDay:
    """The tentative times of one local day: the first ``shown`` of them, and how many there are in all."""

    day: date
    shown: list[tuple[str, PresentationRequest, datetime, datetime]]  # (event id, request, start, end)
    total: int


# What the staff calendar's events show (scheduling.views.staff.calendar_events): only these columns
# are loaded, and each presentation's title in every language (for the active one's fallback).
_TITLES = tuple(get_translation_fields("title"))
CALENDAR_BOOKING_FIELDS = (
    "start",
    "end",
    "format",
    "request__reference",
    "request__organization_name",
    "request__status",
    "request__erased_at",
    "request__presentation",
    "lead_presenter__name",
    *(f"request__presentation__{name}" for name in _TITLES),
)


def bookings_for_staff_calendar(*, start: datetime, end: datetime) -> QuerySet[Booking]:
    """``bookings_for_calendar`` with only what the staff calendar's events show loaded."""
    return (
        bookings_for_calendar(start=start, end=end)
        .only(*CALENDAR_BOOKING_FIELDS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("co_presenters", queryset=Presenter.objects.only("name")))
    )


def tentative_days_for_calendar(*, start: datetime, end: datetime, per_day: int) -> list[TentativeDay]:
    """Preferred windows of requests waiting for a decision and times offered in open proposals,
    overlapping [start, end), grouped by the local day they start on: at most ``per_day`` of each
    day (earliest first), with the day's count. Four queries whose answers are bounded by the days in
    the range, whatever the number of requests."""
    windows = _first_per_day(
        RequestWindow.objects.filter(request__status=RequestStatus.SUBMITTED, start__lt=end, end__gt=start),
        per_day=per_day,
        request="request",
    )
    proposed = _first_per_day(
        ProposedTime.objects.filter(
            proposal__state=ProposalState.OPEN,
            proposal__request__status=RequestStatus.SUBMITTED,
            start__lt=end,
            end__gt=start,
        ),
        per_day=per_day,
        request="proposal__request",
    )
    days: dict[date, list] = defaultdict(list)
    totals: dict[date, int] = defaultdict(int)
    kinds = (("window", windows, lambda row: row.request), ("proposed", proposed, lambda row: row.proposal.request))
    for prefix, (rows, on_day), request_of in kinds:
        for day, count in on_day.items():
            totals[day] += count
        for day, row in rows:
            days[day].append((f"{prefix}-{row.pk}", request_of(row), row.start, row.end))
    return [
        TentativeDay(day=day, shown=sorted(days[day], key=lambda t: (t[2], t[0]))[:per_day], total=totals[day])
        for day in sorted(days)
    ]


def _first_per_day(rows: QuerySet, *, per_day: int, request: str) -> tuple[list[tuple[date, object]], dict[date, int]]:
    """The first ``per_day`` of ``rows`` (windows or proposed times) on each local day, as (day, row)
    earliest first, and how many there are each day. Two queries: the ranking reads only ids and
    times (sorting the wide rows of every pending request would cost ten times more), then the
    rows shown are loaded with their requests."""
    day = TruncDate("start", tzinfo=program_zone())
    ranked = list(
        rows.annotate(
            day=day,
            rank=Window(RowNumber(), partition_by=[day], order_by=[F("start").asc(), F("pk").asc()]),
            on_day=Window(Count("pk"), partition_by=[day]),
        )
        .filter(rank__lte=per_day)
        .order_by("start", "pk")
        .values_list("pk", "day", "on_day")
    )
    shown = rows.model.objects.select_related(f"{request}__presentation").only(
        "start",
        "end",
        f"{request}__reference",
        f"{request}__organization_name",
        *(f"{request}__presentation__{name}" for name in _TITLES),
    )
    loaded = shown.in_bulk([pk for pk, _, _ in ranked])
    return [(on, loaded[pk]) for pk, on, _ in ranked], {on: count for _, on, count in ranked}
