"""The staff calendar's reads: bookings and tentative times in a date range, bounded per day."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber, TruncDate

from common.times import program_zone
from outreach.enums import RequestStatus
from outreach.models import PresentationRequest, RequestWindow
from scheduling.models import Booking, ProposalState, ProposedTime


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


def tentative_days_for_calendar(*, start: datetime, end: datetime, per_day: int) -> list[TentativeDay]:
    """Preferred windows of requests waiting for a decision and times offered in open proposals,
    overlapping [start, end), grouped by the local day they start on: at most ``per_day`` of each
    day (earliest first), with the day's count. Two queries whose size is bounded by the days in
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
    for prefix, rows, request_of in kinds:
        counted = set()
        for row in rows:
            days[row.day].append((f"{prefix}-{row.pk}", request_of(row), row.start, row.end))
            if row.day not in counted:  # every row of a day carries the day's count
                totals[row.day] += row.on_day
                counted.add(row.day)
    return [
        TentativeDay(day=day, shown=sorted(days[day], key=lambda t: (t[2], t[0]))[:per_day], total=totals[day])
        for day in sorted(days)
    ]


def _first_per_day(rows: QuerySet, *, per_day: int, request: str) -> QuerySet:
    """``rows`` (windows or proposed times) with ``day`` (the local date of their start) and
    ``on_day`` (how many that day), at most ``per_day`` of each day: one query."""
    day = TruncDate("start", tzinfo=program_zone())
    return (
        rows.annotate(
            day=day,
            rank=Window(RowNumber(), partition_by=[day], order_by=[F("start").asc(), F("pk").asc()]),
            on_day=Window(Count("pk"), partition_by=[day]),
        )
        .filter(rank__lte=per_day)
        .select_related(f"{request}__presentation")
        .order_by("start", "pk")
    )
