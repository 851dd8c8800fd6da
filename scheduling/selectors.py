"""Reads for staff pages, tasks and feeds: each a constant number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone

from common.links import live_links, live_subject_ids
from common.models import LinkPurpose
from common.times import program_zone
from outreach.enums import RequestStatus
from outreach.models import Language, Presentation, PresentationRequest, RequestWindow
from scheduling.models import (
    Answer,
    AssignmentAnswer,
    AuditEntry,
    Blackout,
    Booking,
    BusyInterval,
    Notification,
    NotificationStatus,
    Presenter,
    Proposal,
    ProposalState,
    ProposedTime,
)
from scheduling.models.bookings import BusyKind


def requests_due_to_expire(*, now: datetime | None = None) -> QuerySet[PresentationRequest]:
    """Submitted requests whose every preferred window has ended and with no open proposed time ahead."""
    now = now or timezone.now()
    future_window = RequestWindow.objects.filter(request=OuterRef("pk"), end__gt=now)
    future_proposal = ProposedTime.objects.filter(
        proposal__request=OuterRef("pk"), proposal__state=ProposalState.OPEN, end__gt=now
    )
    return (
        PresentationRequest.objects.filter(status=RequestStatus.SUBMITTED)
        .exclude(Exists(future_window))
        .exclude(Exists(future_proposal))
    )


def stale_cutoff(*, now: datetime | None = None) -> datetime:
    """Submitted before this, a request still waiting for a decision is marked stale in the queue."""
    return (now or timezone.now()) - timedelta(days=settings.STALE_REQUEST_DAYS)


def requests_for_queue(
    *,
    status: str | None = RequestStatus.SUBMITTED,
    presentation_id: int | None = None,
    county: str | None = None,
    audience_id: int | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
) -> QuerySet[PresentationRequest]:
    """The staff queue: oldest waiting first, with what the table shows loaded up front.

    ``date_from``/``date_to`` select requests with a preferred window (or a booking) in that range.
    """
    requests = PresentationRequest.objects.select_related("presentation", "audience", "booking").prefetch_related(
        Prefetch("windows", queryset=RequestWindow.objects.order_by("position"))
    )
    if status:
        requests = requests.filter(status=status)
    if presentation_id:
        requests = requests.filter(presentation_id=presentation_id)
    if county:
        requests = requests.filter(county=county)
    if audience_id:
        requests = requests.filter(audience_id=audience_id)
    if date_from or date_to:
        in_range = Q()
        booked = Q()
        if date_from:
            in_range &= Q(windows__end__gt=date_from)
            booked &= Q(booking__end__gt=date_from)
        if date_to:
            in_range &= Q(windows__start__lt=date_to)
            booked &= Q(booking__start__lt=date_to)
        requests = requests.filter(in_range | booked).distinct()
    open_proposal = Proposal.objects.filter(request=OuterRef("pk"), state=ProposalState.OPEN)
    return (
        requests.annotate(last_window_end=Max("windows__end"), has_open_proposal=Exists(open_proposal))
        .annotate(**_answer_counts())
        .order_by("submitted_at", "pk")
    )


def _current_answers(answer: str):
    """Presenters' answers of kind ``answer`` to the request's booking as it is now (its SEQUENCE)."""
    return AssignmentAnswer.objects.filter(
        booking__request=OuterRef("pk"), sequence=OuterRef("booking__sequence"), answer=answer
    )


def _count(rows) -> Coalesce:
    return Coalesce(Subquery(rows.values("booking").annotate(n=Count("pk")).values("n")[:1]), 0)


def _answer_counts() -> dict:
    """``presenters_declined``, ``presenters_confirmed`` and ``presenters_assigned`` for each request."""
    assigned = BusyInterval.objects.filter(
        booking__request=OuterRef("pk"), booking__cancelled_at__isnull=True, kind=BusyKind.PRESENTING
    )
    return {
        "presenters_declined": _count(_current_answers(Answer.DECLINED)),
        "presenters_confirmed": _count(_current_answers(Answer.CONFIRMED)),
        "presenters_assigned": _count(assigned),
    }


def requests_with_declined_presenters() -> QuerySet[PresentationRequest]:
    """Scheduled requests whose booking a presenter has declined (as it is now): staff must find
    someone else. Soonest talk first."""
    return (
        PresentationRequest.objects.filter(status=RequestStatus.SCHEDULED, booking__cancelled_at__isnull=True)
        .filter(Exists(_current_answers(Answer.DECLINED)))
        .select_related("presentation", "booking")
        .annotate(**_answer_counts())
        .order_by("booking__start", "pk")
    )


def request_for_staff(*, pk: int) -> PresentationRequest | None:
    """One request with its windows, booking, proposals, audit trail and notifications."""
    return (
        PresentationRequest.objects.select_related("presentation", "audience", "language")
        .prefetch_related(
            Prefetch("windows", queryset=RequestWindow.objects.order_by("position")),
            Prefetch("audit_entries", queryset=AuditEntry.objects.select_related("by").order_by("at", "pk")),
            Prefetch("notifications", queryset=Notification.objects.order_by("created_at", "pk")),
            Prefetch(
                "proposals",
                queryset=Proposal.objects.select_related("lead_presenter").prefetch_related("co_presenters", "times"),
            ),
        )
        .filter(pk=pk)
        .first()
    )


def booking_for_request(*, request: PresentationRequest) -> Booking | None:
    """The request's booking with its presenters and their answers."""
    return (
        Booking.objects.select_related("lead_presenter", "request__presentation")
        .prefetch_related("co_presenters", "answers")
        .filter(request=request)
        .first()
    )


def open_proposal_for(*, request: PresentationRequest) -> Proposal | None:
    return (
        Proposal.objects.filter(request=request, state=ProposalState.OPEN)
        .select_related("lead_presenter")
        .prefetch_related("times")
        .first()
    )


REMINDER_WINDOWS = {
    # kind: (sent when the start is at most this far ahead, ... and more than this)
    "reminder_week": (timedelta(days=7), timedelta(days=1)),
    "reminder_day": (timedelta(days=1), timedelta(0)),
}


def bookings_due_for_reminder(*, kind: str, now: datetime | None = None) -> QuerySet[Booking]:
    """Active bookings whose ``kind`` reminder is due and was not sent for their current SEQUENCE."""
    now = now or timezone.now()
    ahead_max, ahead_min = REMINDER_WINDOWS[kind]
    already = Notification.objects.filter(
        booking=OuterRef("pk"), kind=kind, recipient=OuterRef("request__contact_email"), sequence=OuterRef("sequence")
    )
    return (
        Booking.objects.filter(
            request__status=RequestStatus.SCHEDULED,
            cancelled_at__isnull=True,
            start__gt=now + ahead_min,
            start__lte=now + ahead_max,
        )
        .exclude(Exists(already))
        .select_related("request__presentation", "request__audience", "lead_presenter")
        .prefetch_related("co_presenters")
    )


# --- Staff pages, the presenter's schedule and the requester's status page -------------------


def request_for_requester(*, token: str) -> PresentationRequest | None:
    """The request a private status link points to, with what its page shows, or None.

    Two queries: the request with its booking (and lead presenter) and whether a proposal is
    waiting for an answer, then its windows; a third for the co-presenters when there is a
    booking. The page loads the open proposal only when one is waiting.
    """
    open_proposal = Proposal.objects.filter(request=OuterRef("pk"), state=ProposalState.OPEN)
    found = (
        PresentationRequest.objects.select_related("presentation", "audience", "language", "booking__lead_presenter")
        .annotate(has_open_proposal=Exists(open_proposal))
        .prefetch_related(
            Prefetch("windows", queryset=RequestWindow.objects.order_by("position")), "booking__co_presenters"
        )
        .filter(pk__in=live_subject_ids(purpose=LinkPurpose.REQUEST_STATUS, token=token))
        .first()
    )
    if found is not None:
        found.status_token = token
    return found


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


def presenters_for_staff(*, now: datetime | None = None) -> QuerySet[Presenter]:
    """Every presenter, active first, with languages, presentations and ``upcoming`` (active
    bookings not yet ended, as lead or co-presenter: one PRESENTING busy row each) and ``has_feed``
    (whether a live private feed link exists)."""
    now = now or timezone.now()
    return (
        Presenter.objects.prefetch_related(
            Prefetch("languages", queryset=Language.objects.order_by("name")),
            Prefetch("presentations", queryset=Presentation.objects.order_by("display_order", "title")),
        )
        .annotate(
            upcoming=Count(
                "busy_intervals",
                filter=Q(busy_intervals__kind=BusyKind.PRESENTING, busy_intervals__end__gt=now),
            ),
            has_feed=Exists(live_links(purpose=LinkPurpose.PRESENTER_FEED).filter(subject_id=OuterRef("pk"))),
        )
        .order_by("-is_active", "name")
    )


def presenter_for_user(*, user) -> Presenter | None:
    """The active presenter a login belongs to, or None."""
    if not user.is_authenticated:
        return None
    return Presenter.objects.filter(user=user, is_active=True).first()


def bookings_for_presenter(*, presenter: Presenter, now: datetime | None = None) -> QuerySet[Booking]:
    """The presenter's scheduled bookings that have not ended, as lead or co-presenter, soonest first,
    with the presenter's answer to each (``my_answers``: none or one)."""
    now = now or timezone.now()
    mine = Booking.objects.filter(Q(lead_presenter=presenter) | Q(co_presenters=presenter)).values("pk")
    return (
        Booking.objects.filter(
            pk__in=mine, cancelled_at__isnull=True, request__status=RequestStatus.SCHEDULED, end__gt=now
        )
        .select_related("request__presentation", "request__audience", "request__language", "lead_presenter")
        .prefetch_related(
            "co_presenters",
            Prefetch("answers", queryset=AssignmentAnswer.objects.filter(presenter=presenter), to_attr="my_answers"),
        )
        .order_by("start", "pk")
    )


def time_off_for_presenter(*, presenter: Presenter, now: datetime | None = None) -> QuerySet[Blackout]:
    """The presenter's own time off and the program's closures that have not ended, earliest first."""
    now = now or timezone.now()
    return Blackout.objects.filter(Q(presenter=presenter) | Q(presenter__isnull=True), end__gt=now).order_by(
        "start", "pk"
    )


def booking_for_presenter(*, presenter: Presenter, pk: int) -> Booking | None:
    """One booking the presenter is on (lead or co-presenter), in any state, with what its page shows
    and the presenter's answer (``my_answers``: none or one), or None."""
    mine = Booking.objects.filter(Q(lead_presenter=presenter) | Q(co_presenters=presenter)).values("pk")
    return (
        Booking.objects.filter(pk=pk, pk__in=mine)
        .select_related("request__presentation", "request__audience", "request__language", "lead_presenter")
        .prefetch_related(
            "co_presenters",
            Prefetch("answers", queryset=AssignmentAnswer.objects.filter(presenter=presenter), to_attr="my_answers"),
        )
        .first()
    )


# --- The staff API's lists ------------------------------------------------------------------


def blackouts_for_staff() -> QuerySet[Blackout]:
    """Every blackout period and closure, earliest first, with its presenter."""
    return Blackout.objects.select_related("presenter").order_by("start", "pk")


def notifications_for_staff() -> QuerySet[Notification]:
    """Every notification, newest first, with its request's reference."""
    return Notification.objects.select_related("request").order_by("-created_at", "-pk")


def notifications_due(*, now: datetime | None = None) -> QuerySet[Notification]:
    """Pending notifications the sweep hands to a worker: due, held by no worker, and, if never tried,
    left NOTIFICATION_RETRY_AFTER_SECONDS to the task queued with them (which normally sends them at once)."""
    now = now or timezone.now()
    untried_before = now - timedelta(seconds=settings.NOTIFICATION_RETRY_AFTER_SECONDS)
    return (
        Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(attempts__gt=0) | Q(next_attempt_at__lte=untried_before))
        .order_by("next_attempt_at", "pk")
    )


def notifications_failed_for_staff() -> QuerySet[Notification]:
    """Notifications that could not be sent and wait for staff to resend them, newest first, with their request."""
    return (
        Notification.objects.filter(status=NotificationStatus.FAILED)
        .select_related("request")
        .order_by("-last_attempt_at", "-pk")
    )
