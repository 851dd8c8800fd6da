"""Outcomes of a presentation: the host's evaluation, the audience's survey and their links.

Links. Neither link needs a stored token, so a page that shows them (the presenter's schedule,
an email) costs no query and writes nothing:

- The host evaluation is reached by a private link, ``<booking id>.<token>``: the token is an
  HMAC (SHA-256, keyed by SECRET_KEY) of the booking's calendar UID, as in ``outreach.tokens``,
  so it cannot be guessed or derived from the database alone. It is only accepted for a
  completed presentation, and it only lets someone give the one answer and see it.
- The audience survey is public and anonymous (printed on a slide, typed from a phone): a short
  code ``<booking id>-<8 characters>`` whose second part (40 bits of the same kind of HMAC)
  stops anyone from walking through every booking's survey.

Errors: EvaluationAlreadyGiven (409), SurveyClosed (410), ValidationError keyed by field (400).
"""

import base64
import enum
import io
import re
from datetime import datetime, timedelta

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from outreach.enums import RequestStatus
from outreach.tokens import token_for
from scheduling.models import Booking, HostEvaluation, Notification, NotificationKind, SurveyResponse
from scheduling.models.outcomes import (
    ATTENDANCE_MAX,
    RATING_MAX,
    RATING_MIN,
    KnowsWhereToGetHelp,
    NextStep,
    WouldRequestAgain,
)
from scheduling.services import notify

EVALUATION_TOKEN_PURPOSE = "host-evaluation"  # noqa: S105 (a name, not a secret)
SURVEY_CODE_PURPOSE = "outreach.tokens.audience-survey"
_EVALUATION_TOKEN_RE = re.compile(r"^([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{43})$")
_SURVEY_CODE_RE = re.compile(r"^([1-9][0-9]{0,17})-([a-z2-7]{8})$")
# The survey opens a little before the start, so the presenter can check the QR code in the room.
SURVEY_OPENS_BEFORE = timedelta(hours=2)
QR_MODULE_PIXELS = 8
# Reminders are not sent for presentations completed longer ago than this (for example after an outage).
EVALUATION_REMINDER_GIVE_UP = timedelta(days=30)

MSG_RATING = _("Choose a number from 1 to 5.")
MSG_CHOICE = _("Choose one of the answers.")
MSG_ATTENDANCE = _("Enter the number of people who attended (0 to 100,000).")
MSG_COMMENT_TOO_LONG = _("Keep it under %(max)d characters.")
MSG_ALREADY_ANSWERED = _("This evaluation has already been answered. Thank you!")
MSG_SURVEY_CLOSED = _("This survey has closed. Thank you for your interest!")
MSG_SURVEY_NOT_YET = _("This survey opens on the day of the presentation.")

EVALUATION_COMMENTS_MAX = 4000
SURVEY_COMMENT_MAX = 2000


class EvaluationAlreadyGiven(Exception):
    code = "already_answered"

    def __init__(self, evaluation: HostEvaluation):
        super().__init__(str(MSG_ALREADY_ANSWERED))
        self.evaluation = evaluation
        self.message = str(MSG_ALREADY_ANSWERED)


class SurveyState(enum.StrEnum):
    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"


class SurveyClosed(Exception):
    code = "survey_closed"

    def __init__(self, state: SurveyState):
        self.state = state
        self.message = str(MSG_SURVEY_NOT_YET if state == SurveyState.NOT_YET else MSG_SURVEY_CLOSED)
        super().__init__(self.message)


# --- Links ------------------------------------------------------------------------------------


def evaluation_token(*, booking: Booking) -> str:
    """The private token of the booking's host evaluation link."""
    return f"{booking.pk}.{token_for(purpose=EVALUATION_TOKEN_PURPOSE, salt=booking.uid)}"


def evaluation_url(*, booking: Booking) -> str:
    return settings.SITE_URL + reverse("outcomes:evaluation", kwargs={"token": evaluation_token(booking=booking)})


def survey_code(*, booking: Booking) -> str:
    """The public code of the booking's audience survey, short enough to type from a slide."""
    digest = salted_hmac(SURVEY_CODE_PURPOSE, booking.uid, algorithm="sha256").digest()
    return f"{booking.pk}-{base64.b32encode(digest[:5]).decode('ascii').lower()}"


def survey_url(*, booking: Booking) -> str:
    return settings.SITE_URL + reverse("outcomes:survey", kwargs={"code": survey_code(booking=booking)})


def survey_qr_url(*, booking: Booking) -> str:
    return settings.SITE_URL + reverse("outcomes:survey_qr", kwargs={"code": survey_code(booking=booking)})


def survey_qr_svg(*, url: str, title: str = "") -> str:
    """A QR code of ``url`` as standalone SVG (medium error correction, quiet zone of four modules)."""
    buffer = io.BytesIO()
    qr = segno.make(url, error="m", micro=False)
    qr.save(buffer, kind="svg", border=4, dark="#000", light="#fff", title=title or None, xmldecl=False, omitsize=True)
    # A viewBox (to scale on a slide or a page) and a size (for programs that need one).
    width, height = qr.symbol_size(scale=QR_MODULE_PIXELS, border=4)
    svg = buffer.getvalue().decode("utf-8")
    return svg.replace("<svg ", f'<svg width="{width}" height="{height}" ', 1)


def booking_for_evaluation(*, token: str) -> Booking | None:
    """The completed booking an evaluation link points to, with its evaluation if given, or None."""
    match = _EVALUATION_TOKEN_RE.match(token)
    if match is None:
        return None
    booking = (
        Booking.objects.select_related("request__presentation", "evaluation")
        .filter(pk=int(match[1]), request__status=RequestStatus.COMPLETED)
        .first()
    )
    if booking is None or not constant_time_compare(evaluation_token(booking=booking), token):
        return None
    return booking


def booking_for_survey(*, code: str) -> Booking | None:
    """The booking a survey code points to (any status: a closed survey still answers politely), or None."""
    match = _SURVEY_CODE_RE.match(code.lower())
    if match is None:
        return None
    booking = Booking.objects.select_related("request__presentation").filter(pk=int(match[1])).first()
    if booking is None or not constant_time_compare(survey_code(booking=booking), code.lower()):
        return None
    return booking


def evaluation_of(booking: Booking) -> HostEvaluation | None:
    try:
        return booking.evaluation
    except HostEvaluation.DoesNotExist:
        return None


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


def bookings_due_for_evaluation_reminder(*, now: datetime | None = None) -> QuerySet[Booking]:
    """Completed presentations with no evaluation, completed at least EVALUATION_REMINDER_AFTER_DAYS
    ago (and not over EVALUATION_REMINDER_GIVE_UP), whose reminder has not been queued."""
    now = now or timezone.now()
    after = now - timedelta(days=settings.EVALUATION_REMINDER_AFTER_DAYS)
    reminded = Notification.objects.filter(booking=OuterRef("pk"), kind=NotificationKind.EVALUATION_REMINDER)
    return (
        Booking.objects.filter(
            request__status=RequestStatus.COMPLETED,
            completed_at__lte=after,
            completed_at__gt=after - EVALUATION_REMINDER_GIVE_UP,
            evaluation__isnull=True,
        )
        .exclude(Exists(reminded))
        .select_related("request__presentation", "request__audience", "lead_presenter")
        .prefetch_related("co_presenters")
    )


@transaction.atomic
def evaluation_reminders_queue_due(*, now: datetime | None = None) -> int:
    """Queue the one evaluation reminder for each presentation due for it; safe to run as often as wanted."""
    queued = 0
    for booking in bookings_due_for_evaluation_reminder(now=now):
        notify.evaluation_reminder_notify(booking=booking)
        queued += 1
    return queued


# --- The audience survey ----------------------------------------------------------------------


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
