"""Reads for the outcomes: the booking behind an evaluation link or a survey code, the state of a
survey, and the presentations due for an evaluation reminder."""

import enum
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from common.links import live_subject_ids
from common.models import LinkPurpose
from outcomes.models import HostEvaluation
from outreach.enums import RequestStatus
from scheduling.models import Booking, Notification, NotificationKind

# The survey opens a little before the start, so the presenter can check the QR code in the room.
SURVEY_OPENS_BEFORE = timedelta(hours=2)
# Reminders are not sent for presentations completed longer ago than this (for example after an outage).
EVALUATION_REMINDER_GIVE_UP = timedelta(days=30)


class SurveyState(enum.StrEnum):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


def booking_for_evaluation(*, token: str) -> Booking | None:
    """The completed booking a live evaluation link points to, with its evaluation if given, or None."""
    return (
        Booking.objects.select_related("request__presentation", "evaluation")
        .filter(
            pk__in=live_subject_ids(purpose=LinkPurpose.HOST_EVALUATION, token=token),
            request__status=RequestStatus.COMPLETED,
        )
        .first()
    )


def booking_for_survey(*, code: str) -> Booking | None:
    """The booking a live survey code points to (any status: a closed survey still answers politely), or None."""
    return (
        Booking.objects.select_related("request__presentation", "request__language")
        .filter(pk__in=live_subject_ids(purpose=LinkPurpose.AUDIENCE_SURVEY, token=code))
        .first()
    )


def evaluation_of(booking: Booking) -> HostEvaluation | None:
    try:
        return booking.evaluation
    except HostEvaluation.DoesNotExist:
        return None


def bookings_due_for_evaluation_reminder(*, now: datetime | None = None) -> QuerySet[Booking]:
    """Completed presentations with no evaluation, completed at least EVALUATION_REMINDER_AFTER_DAYS
    ago (and not over EVALUATION_REMINDER_GIVE_UP), whose reminder has not been queued and whose
    requester's details were not erased."""
    now = now or timezone.now()
    after = now - timedelta(days=settings.EVALUATION_REMINDER_AFTER_DAYS)
    reminded = Notification.objects.filter(booking=OuterRef("pk"), kind=NotificationKind.EVALUATION_REMINDER)
    return (
        Booking.objects.filter(
            request__status=RequestStatus.COMPLETED,
            request__erased_at__isnull=True,
            completed_at__lte=after,
            completed_at__gt=after - EVALUATION_REMINDER_GIVE_UP,
            evaluation__isnull=True,
        )
        .exclude(Exists(reminded))
        .select_related("request__presentation", "request__audience", "lead_presenter")
        .prefetch_related("co_presenters")
    )


def survey_closes_at(*, booking: Booking) -> datetime:
    return booking.end + timedelta(days=settings.SURVEY_OPEN_DAYS)


def survey_state(*, booking: Booking, now: datetime | None = None) -> SurveyState:
    """Open from a little before the start until SURVEY_OPEN_DAYS after the end; closed if cancelled."""
    now = now or timezone.now()
    if booking.cancelled_at is not None or booking.request.status not in (
        RequestStatus.SCHEDULED,
        RequestStatus.COMPLETED,
    ):
        return SurveyState.CLOSED
    if now < booking.start - SURVEY_OPENS_BEFORE:
        return SurveyState.NOT_YET
    if now > survey_closes_at(booking=booking):
        return SurveyState.CLOSED
    return SurveyState.OPEN
