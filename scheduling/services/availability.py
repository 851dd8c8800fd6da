"""Who is free when: the no-double-booking rule and presenter suggestions.

The rule, checked here for every database and enforced again by PostgreSQL's exclusion
constraints on BusyInterval: a presenter's bookings may not overlap, an in-person booking
keeps the travel buffer free on both sides, and nobody presents during their blackout or a
program closure.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError
from outreach.enums import Format
from outreach.models import PresentationRequest
from scheduling.models import Blackout, Booking, BusyInterval, Presenter
from scheduling.models.bookings import BusyKind

MSG_CONFLICT = _("%(presenter)s is already booked for %(reference)s (%(title)s, %(organization)s) on %(when)s.")
MSG_CONFLICT_TRAVEL = _(
    "%(presenter)s is already booked for %(reference)s (%(title)s, %(organization)s) on %(when)s, "
    "too close to allow for the %(minutes)d-minute travel buffer."
)
MSG_BLACKOUT = _("%(presenter)s is unavailable from %(start)s to %(end)s%(reason)s.")
MSG_CLOSURE = _("The program is closed from %(start)s to %(end)s%(reason)s.")


class BookingConflict(DomainError):
    """The time collides with another booking, a blackout or a closure."""

    code = "booking_conflict"

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(str(m) for m in messages))
        self.messages = messages


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime


def travel_buffer() -> timedelta:
    return timedelta(minutes=settings.TRAVEL_BUFFER_MINUTES)


def _when(start: datetime, end: datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{date_format(start, 'N j, Y')}, {date_format(start, 'g:i A')}–{date_format(end, 'g:i A')}"


def _moment(at: datetime) -> str:
    return date_format(timezone.localtime(at), "N j, Y, g:i A")


def busy_spans(*, start: datetime, end: datetime, fmt: str) -> dict[str, Span]:
    """The BusyInterval rows one presenter's assignment to a booking needs, by kind."""
    spans = {BusyKind.PRESENTING: Span(start, end)}
    if fmt == Format.IN_PERSON:
        spans[BusyKind.TRAVEL] = Span(start - travel_buffer(), end + travel_buffer())
    return spans


def _colliding(*, presenter_ids, start: datetime, end: datetime, fmt: str, exclude_booking: Booking | None):
    spans = busy_spans(start=start, end=end, fmt=fmt)
    widest = spans.get(BusyKind.TRAVEL, spans[BusyKind.PRESENTING])
    rows = BusyInterval.objects.filter(presenter_id__in=presenter_ids).filter(
        Q(kind=BusyKind.PRESENTING, start__lt=widest.end, end__gt=widest.start)
        | Q(kind=BusyKind.TRAVEL, start__lt=end, end__gt=start)
    )
    if exclude_booking is not None and exclude_booking.pk:
        rows = rows.exclude(booking=exclude_booking)
    return rows


def booking_conflicts(
    *, presenters: list[Presenter], start: datetime, end: datetime, fmt: str, exclude_booking: Booking | None = None
) -> list[str]:
    """Messages naming every booking, blackout or closure the proposed assignment collides with."""
    ids = [p.pk for p in presenters]
    messages: list[str] = []
    rows = (
        _colliding(presenter_ids=ids, start=start, end=end, fmt=fmt, exclude_booking=exclude_booking)
        .select_related("presenter", "booking__request__presentation")
        .order_by("presenter__name", "booking__start", "booking_id")
    )
    seen = set()
    for row in rows:
        if (row.presenter_id, row.booking_id) in seen:
            continue
        seen.add((row.presenter_id, row.booking_id))
        request = row.booking.request
        direct = row.booking.start < end and row.booking.end > start
        template = MSG_CONFLICT if direct else MSG_CONFLICT_TRAVEL
        messages.append(
            template
            % {
                "presenter": row.presenter.name,
                "reference": request.reference,
                "title": request.presentation.title,
                "organization": request.organization_name,
                "when": _when(row.booking.start, row.booking.end),
                "minutes": settings.TRAVEL_BUFFER_MINUTES,
            }
        )
    blackouts = (
        Blackout.objects.filter(Q(presenter_id__in=ids) | Q(presenter__isnull=True), start__lt=end, end__gt=start)
        .select_related("presenter")
        .order_by("start")
    )
    for blackout in blackouts:
        values = {
            "presenter": blackout.presenter.name if blackout.presenter_id else "",
            "start": _moment(blackout.start),
            "end": _moment(blackout.end),
            "reason": f" ({blackout.reason})" if blackout.reason else "",
        }
        messages.append((MSG_CLOSURE if blackout.is_closure else MSG_BLACKOUT) % values)
    return messages


def presenters_available_for(*, request: PresentationRequest, start: datetime, end: datetime) -> QuerySet[Presenter]:
    """Active presenters qualified for the request's presentation, speaking its language and free
    at that time (travel buffer and blackouts included), least booked in that month first."""
    if Blackout.objects.filter(presenter__isnull=True, start__lt=end, end__gt=start).exists():
        return Presenter.objects.none()
    busy = _colliding(
        presenter_ids=Presenter.objects.values("pk"), start=start, end=end, fmt=request.format, exclude_booking=None
    )
    away = Blackout.objects.filter(presenter__isnull=False, start__lt=end, end__gt=start)
    local = timezone.localtime(start)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    return (
        Presenter.objects.filter(is_active=True, presentations=request.presentation, languages=request.language)
        .exclude(pk__in=busy.values("presenter_id"))
        .exclude(pk__in=away.values("presenter_id"))
        .annotate(
            month_load=Count(
                "busy_intervals",
                filter=Q(
                    busy_intervals__kind=BusyKind.PRESENTING,
                    busy_intervals__start__gte=month_start,
                    busy_intervals__start__lt=month_end,
                ),
            )
        )
        .order_by("month_load", "name")
    )
