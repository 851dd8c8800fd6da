"""Writes for the outcomes: the host's one evaluation, the audience's anonymous answers, and the
evaluation reminders.

Errors: EvaluationAlreadyGiven (409), SurveyClosed (410), ValidationError keyed by field (400).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError
from outcomes.models import (
    ATTENDANCE_MAX,
    RATING_MAX,
    RATING_MIN,
    HostEvaluation,
    KnowsWhereToGetHelp,
    NextStep,
    SurveyResponse,
    WouldRequestAgain,
)
from outcomes.selectors import SurveyState, bookings_due_for_evaluation_reminder, survey_state
from scheduling.models import Booking
from scheduling.services import notify

MSG_RATING = _("Choose a number from 1 to 5.")

MSG_CHOICE = _("Choose one of the answers.")

MSG_ATTENDANCE = _("Enter the number of people who attended (0 to 100,000).")

MSG_COMMENT_TOO_LONG = _("Keep it under %(max)d characters.")

MSG_ALREADY_ANSWERED = _("This evaluation has already been answered. Thank you!")

MSG_SURVEY_CLOSED = _("This survey has closed. Thank you for your interest!")

MSG_SURVEY_NOT_YET = _("This survey opens on the day of the presentation.")

EVALUATION_COMMENTS_MAX = 4000
SURVEY_COMMENT_MAX = 2000


class EvaluationAlreadyGiven(DomainError):
    """The host has answered already; carries the first answer, to show it."""

    code = "already_answered"

    def __init__(self, evaluation: HostEvaluation):
        super().__init__(MSG_ALREADY_ANSWERED)
        self.evaluation = evaluation


class SurveyClosed(DomainError):
    """The survey is not open (yet, or any more)."""

    code = "survey_closed"

    def __init__(self, state: SurveyState):
        super().__init__(MSG_SURVEY_NOT_YET if state == SurveyState.NOT_YET else MSG_SURVEY_CLOSED)
        self.state = state


# --- The host evaluation ----------------------------------------------------------------------


def _check_rating(errors: dict, field: str, value) -> None:
    if not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
        errors.setdefault(field, []).append(str(MSG_RATING))


def _check_choice(errors: dict, field: str, value, choices) -> None:
    if value not in choices.values:
        errors.setdefault(field, []).append(str(MSG_CHOICE))


def _check_text(errors: dict, field: str, value: str, maximum: int) -> None:
    if len(value) > maximum:
        errors.setdefault(field, []).append(MSG_COMMENT_TOO_LONG % {"max": maximum})


@transaction.atomic
def evaluation_submit(
    *,
    booking: Booking,
    rating: int,
    usefulness: int,
    confirmed_attendance: int,
    next_step: str,
    would_request_again: str,
    comments: str = "",
) -> HostEvaluation:
    """Record the host's one answer for a completed presentation.

    Raises EvaluationAlreadyGiven (carrying the first answer) on a second one, also when two
    arrive at once: the database keeps one evaluation per booking.
    """
    existing = HostEvaluation.objects.filter(booking=booking).first()
    if existing is not None:
        raise EvaluationAlreadyGiven(existing)
    comments = comments.strip()
    errors: dict[str, list[str]] = {}
    _check_rating(errors, "rating", rating)
    _check_rating(errors, "usefulness", usefulness)
    if not isinstance(confirmed_attendance, int) or not 0 <= confirmed_attendance <= ATTENDANCE_MAX:
        errors.setdefault("confirmed_attendance", []).append(str(MSG_ATTENDANCE))
    _check_choice(errors, "next_step", next_step, NextStep)
    _check_choice(errors, "would_request_again", would_request_again, WouldRequestAgain)
    _check_text(errors, "comments", comments, EVALUATION_COMMENTS_MAX)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return HostEvaluation.objects.create(
                booking=booking,
                rating=rating,
                usefulness=usefulness,
                confirmed_attendance=confirmed_attendance,
                next_step=next_step,
                would_request_again=would_request_again,
                comments=comments,
            )
    except IntegrityError:
        raise EvaluationAlreadyGiven(HostEvaluation.objects.get(booking=booking)) from None


@transaction.atomic
def evaluation_reminders_queue_due(*, now: datetime | None = None) -> int:
    """Queue the one evaluation reminder for each presentation due for it; safe to run as often as wanted."""
    queued = 0
    for booking in bookings_due_for_evaluation_reminder(now=now):
        notify.evaluation_reminder_notify(booking=booking)
        queued += 1
    return queued


# --- The audience survey ----------------------------------------------------------------------


def survey_submit(
    *,
    booking: Booking,
    understanding_before: int,
    understanding_after: int,
    knows_where_to_get_help: str,
    comment: str = "",
    now: datetime | None = None,
) -> SurveyResponse:
    """Record one anonymous answer. Raises SurveyClosed outside the survey's open period."""
    state = survey_state(booking=booking, now=now)
    if state != SurveyState.OPEN:
        raise SurveyClosed(state)
    comment = comment.strip()
    errors: dict[str, list[str]] = {}
    _check_rating(errors, "understanding_before", understanding_before)
    _check_rating(errors, "understanding_after", understanding_after)
    _check_choice(errors, "knows_where_to_get_help", knows_where_to_get_help, KnowsWhereToGetHelp)
    _check_text(errors, "comment", comment, SURVEY_COMMENT_MAX)
    if errors:
        raise ValidationError(errors)
    return SurveyResponse.objects.create(
        booking=booking,
        understanding_before=understanding_before,
        understanding_after=understanding_after,
        knows_where_to_get_help=knows_where_to_get_help,
        comment=comment,
    )
