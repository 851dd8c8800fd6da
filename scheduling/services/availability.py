"""Who is free when: the no-double-booking rule and presenter suggestions.

The rule, checked here for every database and enforced again by PostgreSQL's exclusion
constraints on BusyInterval: a presenter's bookings may not overlap, an in-person booking
keeps the travel buffer free on both sides, and nobody presents during their blackout or a
program closure. Suggestions also honour what presenters set for themselves: their regular
weekly hours and how many talks a month they take.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError
from outreach.enums import Format, RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import Blackout, Booking, BusyInterval, Presenter, WeeklyHours
from scheduling.models.bookings import BusyKind

MSG_CONFLICT = _("%(presenter)s is already booked for %(reference)s (%(title)s, %(organization)s) on %(when)s.")
MSG_CONFLICT_TRAVEL = _(
    "%(presenter)s is already booked for %(reference)s (%(title)s, %(organization)s) on %(when)s, "
    "too close to allow for the %(minutes)d-minute travel buffer."
)
MSG_BLACKOUT = _("%(presenter)s is unavailable from %(start)s to %(end)s%(reason)s.")
MSG_CLOSURE = _("The program is closed from %(start)s to %(end)s%(reason)s.")
MSG_NOT_QUALIFIED = _("%(presenter)s is not qualified to give this presentation.")
MSG_LANGUAGE_NOT_SPOKEN = _(
    "%(presenter)s does not speak %(language)s, the language this presentation is requested in."
)
MSG_BLACKOUT_OVER_BOOKING = _(
    "This overlaps %(reference)s (%(title)s, %(organization)s) on %(when)s, presented by %(presenters)s: "
    "reschedule or cancel it."
)


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


def _colliding(*, start: datetime, end: datetime, fmt: str, exclude_booking: Booking | None) -> QuerySet[BusyInterval]:
    """Busy rows (anyone's) that a booking from ``start`` to ``end`` in format ``fmt`` would collide with."""
    spans = busy_spans(start=start, end=end, fmt=fmt)
    widest = spans.get(BusyKind.TRAVEL, spans[BusyKind.PRESENTING])
    rows = BusyInterval.objects.filter(
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
        _colliding(start=start, end=end, fmt=fmt, exclude_booking=exclude_booking)
        .filter(presenter_id__in=ids)
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


def presenter_fit_problems(*, request: PresentationRequest, presenter: Presenter) -> list[str]:
    """What makes a presenter a poor fit for the request: not qualified for its presentation, or
    not speaking the language it is requested in (the test suggestions use)."""
    values = {"presenter": presenter.name, "language": request.language.name}
    problems = []
    if not presenter.presentations.filter(pk=request.presentation_id).exists():
        problems.append(MSG_NOT_QUALIFIED % values)
    if not presenter.languages.filter(pk=request.language_id).exists():
        problems.append(MSG_LANGUAGE_NOT_SPOKEN % values)
    return problems


def blackout_booking_overlaps(*, presenter: Presenter | None, start: datetime, end: datetime) -> list[str]:
    """Messages naming each scheduled booking a blackout (or, without a presenter, a closure) overlaps."""
    rows = BusyInterval.objects.filter(kind=BusyKind.PRESENTING, start__lt=end, end__gt=start)
    if presenter is not None:
        rows = rows.filter(presenter=presenter)
    bookings = (
        Booking.objects.filter(pk__in=rows.values("booking_id"), request__status=RequestStatus.SCHEDULED)
        .select_related("request__presentation", "lead_presenter")
        .prefetch_related("co_presenters")
        .order_by("start", "pk")
    )
    return [
        MSG_BLACKOUT_OVER_BOOKING
        % {
            "reference": booking.request.reference,
            "title": booking.request.presentation.title,
            "organization": booking.request.organization_name,
            "when": _when(booking.start, booking.end),
            "presenters": ", ".join(p.name for p in booking.presenters()),
        }
        for booking in bookings
    ]


class Reason(StrEnum):
    """Why a presenter is not suggested for a time; the staff page words each."""

    NOT_QUALIFIED = "not_qualified"
    LANGUAGE = "language"
    PROGRAM_CLOSED = "program_closed"
    TIME_OFF = "time_off"
    BOOKED = "booked"
    OUTSIDE_WEEKLY_HOURS = "outside_weekly_hours"
    MONTHLY_LIMIT = "monthly_limit"


@dataclass(frozen=True)
class PresenterFit:
    """One active presenter for one time: their bookings that month and why they are not suggested
    (``reasons`` empty: suggested). ``hours_that_day`` are their regular hours on that weekday, if any."""

    presenter: Presenter
    month_load: int
    reasons: tuple[Reason, ...]
    hours_that_day: WeeklyHours | None = None

    @property
    def suggested(self) -> bool:
        return not self.reasons


def _month_load(start: datetime, *, exclude_booking: Booking | None) -> Count:
    """Talks (PRESENTING busy rows) starting in the program-time-zone month of ``start``."""
    local = timezone.localtime(start)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    condition = Q(
        busy_intervals__kind=BusyKind.PRESENTING,
        busy_intervals__start__gte=month_start,
        busy_intervals__start__lt=month_end,
    )
    if exclude_booking is not None and exclude_booking.pk:
        condition &= ~Q(busy_intervals__booking=exclude_booking)
    return Count("busy_intervals", filter=condition)


def _within_weekly_hours(hours: list[WeeklyHours], start: datetime, end: datetime) -> tuple[bool, WeeklyHours | None]:
    """Whether the talk falls inside the presenter's regular hours (none given: any time), and that day's hours."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    that_day = next((row for row in hours if row.weekday == local_start.weekday()), None)
    if not hours:
        return True, None
    fits = (
        that_day is not None
        and local_end.date() == local_start.date()
        and that_day.covers(local_start.time(), local_end.time())
    )
    return fits, that_day


def presenter_fits(
    *, request: PresentationRequest, start: datetime, end: datetime, exclude_booking: Booking | None = None
) -> list[PresenterFit]:
    """Every active presenter for the request at that time, and why each is not suggested: not
    qualified for its presentation, not presenting in its language, a program closure, their own
    time off, another booking (travel buffer included), outside their regular weekly hours, or at
    their monthly limit of talks. Suggested first (least booked that month first, then by name),
    then the others by name. Three queries, whatever the number of presenters.

    ``exclude_booking``: the request's own booking, when looking for someone to take it over (its
    time does not count against anyone).
    """
    qualified = Presenter.presentations.through.objects.filter(
        presenter_id=OuterRef("pk"), presentation_id=request.presentation_id
    )
    speaks = Presenter.languages.through.objects.filter(presenter_id=OuterRef("pk"), language_id=request.language_id)
    away = Blackout.objects.filter(presenter_id=OuterRef("pk"), start__lt=end, end__gt=start)
    busy = _colliding(start=start, end=end, fmt=request.format, exclude_booking=exclude_booking).filter(
        presenter_id=OuterRef("pk")
    )
    presenters = (
        Presenter.objects.filter(is_active=True)
        .annotate(
            is_qualified=Exists(qualified),
            speaks_language=Exists(speaks),
            is_away=Exists(away),
            is_busy=Exists(busy),
            month_load=_month_load(start, exclude_booking=exclude_booking),
        )
        .prefetch_related("weekly_hours")
        .order_by("name", "pk")
    )
    closed = Blackout.objects.filter(presenter__isnull=True, start__lt=end, end__gt=start).exists()
    fits = []
    for presenter in presenters:
        within_hours, that_day = _within_weekly_hours(list(presenter.weekly_hours.all()), start, end)
        checks = [
            (Reason.NOT_QUALIFIED, not presenter.is_qualified),
            (Reason.LANGUAGE, not presenter.speaks_language),
            (Reason.PROGRAM_CLOSED, closed),
            (Reason.TIME_OFF, presenter.is_away),
            (Reason.BOOKED, presenter.is_busy),
            (Reason.OUTSIDE_WEEKLY_HOURS, not within_hours),
            (
                Reason.MONTHLY_LIMIT,
                presenter.max_talks_per_month is not None and presenter.month_load >= presenter.max_talks_per_month,
            ),
        ]
        reasons = tuple(reason for reason, applies in checks if applies)
        fits.append(PresenterFit(presenter, presenter.month_load, reasons, that_day))
    return sorted(fits, key=lambda fit: (not fit.suggested, fit.month_load if fit.suggested else 0))


def presenters_available_for(*, request: PresentationRequest, start: datetime, end: datetime) -> QuerySet[Presenter]:
    """The presenters ``presenter_fits`` suggests (qualified, speaking the request's language, free
    then, within their weekly hours and under their monthly limit), least booked that month first."""
    suggested = [fit.presenter.pk for fit in presenter_fits(request=request, start=start, end=end) if fit.suggested]
    return (
        Presenter.objects.filter(pk__in=suggested)
        .annotate(month_load=_month_load(start, exclude_booking=None))
        .order_by("month_load", "name")
    )
