"""Reads for staff pages, tasks and feeds: each a constant number of queries.

The queue's reads are in ``queue``, the staff calendar's in ``calendar``; both are importable from here.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from common.links import live_links, live_subject_ids
from common.models import LinkPurpose
from outreach.enums import CLOSED_STATUSES, RequestStatus
from outreach.models import Language, Presentation, PresentationRequest, RequestWindow
from scheduling.models import (
    AssignmentAnswer,
    AuditEntry,
    Blackout,
    Booking,
    Notification,
    NotificationStatus,
    Presenter,
    Proposal,
    ProposalState,
    ProposedTime,
)
from scheduling.models.bookings import BusyKind
from scheduling.selectors.calendar import TentativeDay as TentativeDay
from scheduling.selectors.calendar import bookings_for_calendar as bookings_for_calendar
from scheduling.selectors.calendar import bookings_for_staff_calendar as bookings_for_staff_calendar
from scheduling.selectors.calendar import tentative_days_for_calendar as tentative_days_for_calendar
from scheduling.selectors.queue import request_ids_for_queue as request_ids_for_queue
from scheduling.selectors.queue import requests_for_queue as requests_for_queue
from scheduling.selectors.queue import requests_for_queue_page as requests_for_queue_page
from scheduling.selectors.queue import requests_with_declined_presenters as requests_with_declined_presenters


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


def requests_due_for_erasure(*, now: datetime | None = None) -> QuerySet[PresentationRequest]:
    """Closed requests not yet erased whose closing (their last status change) is RETENTION_DAYS old."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RETENTION_DAYS)
    return PresentationRequest.objects.filter(
        status__in=CLOSED_STATUSES, status_changed_at__lt=cutoff, erased_at__isnull=True
    )


def notifications_due_for_purge(*, now: datetime | None = None) -> QuerySet[Notification]:
    """Sent notifications that still hold their text, HTML and invite OUTBOX_RETENTION_DAYS after sending."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    return Notification.objects.filter(status=NotificationStatus.SENT, sent_at__lt=cutoff, body_erased_at__isnull=True)


def stale_cutoff(*, now: datetime | None = None) -> datetime:
    """Submitted before this, a request still waiting for a decision is marked stale in the queue."""
    return (now or timezone.now()) - timedelta(days=settings.STALE_REQUEST_DAYS)


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
        Notification.objects.filter(status=NotificationStatus.FAILED, body_erased_at__isnull=True)
        .select_related("request")
        .order_by("-last_attempt_at", "-pk")
    )
