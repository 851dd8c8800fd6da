"""The request lifecycle: the rules every transition shares, and the decisions on a submitted request.

Every status change goes through the lifecycle's service modules: this one (approve, decline,
withdraw, expire), ``proposals`` (other times offered to the requester, and their answer) and
``bookings`` (reschedule, cancel or complete a scheduled booking). Each transition is one database
transaction that locks the request, checks that the change is allowed from its current status,
writes the booking, the audit entry and the outbox rows it causes, or nothing at all. See
shared/PRODUCT.md for the lifecycle.

Errors: TransitionError (the status does not allow it; 409), BookingConflict (another
booking, a blackout or a closure; 409), ValidationError keyed by field (400).

The helpers below (``_locked``, ``_record``, ``_validate_plan``, ``_book``...) are the steps every
transition shares; only the lifecycle's modules call them.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.exceptions import DomainError
from common.times import MSG_DATE_RANGE, elapsed, instant_in_range, utc
from common.versions import SCHEDULE, version_bump
from outreach.enums import Format, RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import Booking, BusyInterval, Presenter, ProposalState, ProposedTime
from scheduling.selectors import requests_due_to_expire
from scheduling.services import notify
from scheduling.services.audit import audit_record
from scheduling.services.availability import (
    MSG_NOT_QUALIFIED,
    BookingConflict,
    booking_conflicts,
    busy_spans,
    presenter_fit_problems,
)

# Translators: %(status)s is the request's status in lower case ("scheduled"), %(action)s one of the
# past participles below ("approved", "withdrawn"); both describe the request.
MSG_TRANSITION_REFUSED = _("This request is %(status)s, so it cannot be %(action)s.")
MSG_REASON_REQUIRED = _("Give a reason; the requester will see it.")
MSG_END_BEFORE_START = _("The end must be after the start.")
MSG_TOO_LONG = _("A presentation can last at most %(hours)d hours.")
MSG_IN_THE_PAST = _("Choose a time in the future.")
MSG_PRESENTER_NOT_QUALIFIED = MSG_NOT_QUALIFIED
MSG_OVERRIDE_NEEDED = _("To assign them anyway, give the reason in “Reason to assign anyway”.")
MSG_OVERRIDDEN = "Assigned anyway: %(problems)s Reason: %(reason)s"
MSG_PRESENTER_INACTIVE = _("%(presenter)s is not an active presenter.")
MSG_PRESENTER_TWICE = _("A presenter can be assigned only once.")
MSG_LOCATION_REQUIRED = _("Give the address where the presentation takes place.")
MSG_WINDOWS_REMAIN = _("This request still has a preferred time in the future, so it has not expired.")

# What could not be done to a request, completing "it cannot be %(action)s" in MSG_TRANSITION_REFUSED.
ACTION_PAST = {
    "submit": pgettext_lazy("request action, past participle", "submitted"),
    "approve": pgettext_lazy("request action, past participle", "approved"),
    "decline": pgettext_lazy("request action, past participle", "declined"),
    "withdraw": pgettext_lazy("request action, past participle", "withdrawn"),
    "propose": pgettext_lazy("request action, past participle", "given proposed times"),
    "accept_proposal": pgettext_lazy("request action, past participle", "scheduled from a proposal"),
    "decline_proposal": pgettext_lazy("request action, past participle", "answered"),
    "reschedule": pgettext_lazy("request action, past participle", "rescheduled"),
    "cancel": pgettext_lazy("request action, past participle", "cancelled"),
    "complete": pgettext_lazy("request action, past participle", "marked completed"),
    "expire": pgettext_lazy("request action, past participle", "expired"),
}


class TransitionError(DomainError):
    """A transition that the request's current status does not allow."""

    code = "invalid_transition"


@dataclass
class Plan:
    """What staff decide when they schedule: the time, the presenters and the place."""

    start: datetime
    end: datetime
    lead_presenter: Presenter
    co_presenters: list[Presenter] = field(default_factory=list)
    format: str = Format.IN_PERSON
    location: str = ""
    virtual_link: str = ""
    # Why staff assign a presenter who is not qualified or does not speak the request's language.
    override_reason: str = ""

    def __post_init__(self):
        # Instants in UTC, so that comparisons, lengths and travel buffers count real time.
        self.start, self.end = utc(self.start), utc(self.end)

    @property
    def presenters(self) -> list[Presenter]:
        return [self.lead_presenter, *self.co_presenters]

    def booking_fields(self) -> dict:
        """The booking's fields this plan sets: an in-person talk keeps its address, a virtual one none."""
        return {
            "start": self.start,
            "end": self.end,
            "format": self.format,
            "location": self.location.strip() if self.format == Format.IN_PERSON else "",
            "virtual_link": self.virtual_link.strip(),
            "lead_presenter": self.lead_presenter,
        }


# --- Helpers ---------------------------------------------------------------------------------


def _locked(request: PresentationRequest, allowed: str, *, action: str) -> PresentationRequest:
    """The request, locked until the transaction ends, if its status (``allowed``) lets ``action`` happen."""
    request = PresentationRequest.objects.select_for_update().select_related("presentation").get(pk=request.pk)
    if request.status != allowed:
        raise TransitionError(
            MSG_TRANSITION_REFUSED % {"status": request.get_status_display().lower(), "action": ACTION_PAST[action]}
        )
    return request


def _record(
    request: PresentationRequest,
    *,
    action: str,
    actor: str,
    by: AbstractBaseUser | None = None,
    note: str = "",
    to: str | None = None,
) -> None:
    """Move the request to the status ``to`` (if the action changes it) and write the audit entry."""
    previous = request.status
    if to is not None:
        request.status = to
        request.status_changed_at = timezone.now()
        request.save(update_fields=["status", "status_changed_at"])
    audit_record(request=request, by=by, actor=actor, action=action, from_status=previous, note=note)


def _check_time(start: datetime, end: datetime, errors: dict) -> None:
    """End after start and the length limit, in real elapsed time; both within the allowed years."""
    out_of_range = [key for key, moment in (("start", start), ("end", end)) if not instant_in_range(moment)]
    for key in out_of_range:
        errors.setdefault(key, []).append(str(MSG_DATE_RANGE))
    if out_of_range:
        return
    if elapsed(start, end) <= timedelta(0):
        errors.setdefault("end", []).append(str(MSG_END_BEFORE_START))
    elif elapsed(start, end) > timedelta(hours=settings.REQUEST_WINDOW_MAX_HOURS):
        errors.setdefault("end", []).append(MSG_TOO_LONG % {"hours": settings.REQUEST_WINDOW_MAX_HOURS})
    if start <= timezone.now():
        errors.setdefault("start", []).append(str(MSG_IN_THE_PAST))


def _check_presenters(
    request: PresentationRequest, plan: Plan, errors: dict, *, fit_checked_before: set[int]
) -> list[str]:
    """Add the presenters' errors to ``errors``; return the poor fits that staff chose to override.

    Every presenter should be qualified for the presentation and speak the request's language. An
    unqualified lead is an error; any other poor fit is an error until ``plan.override_reason``
    says why. Presenters in ``fit_checked_before`` (already on the booking) are not asked about again.
    """
    lead, co = plan.lead_presenter, plan.co_presenters
    everyone = [lead, *co]
    if len({p.pk for p in everyone}) != len(everyone):
        errors.setdefault("co_presenters", []).append(str(MSG_PRESENTER_TWICE))
    problems: dict[str, list[str]] = {}
    for key, presenter in [("lead_presenter", lead)] + [("co_presenters", p) for p in co]:
        if not presenter.is_active:
            errors.setdefault(key, []).append(MSG_PRESENTER_INACTIVE % {"presenter": presenter.name})
        fit = presenter_fit_problems(request=request, presenter=presenter)
        unqualified = MSG_PRESENTER_NOT_QUALIFIED % {"presenter": presenter.name}
        if key == "lead_presenter" and unqualified in fit:
            errors.setdefault(key, []).append(unqualified)
            fit.remove(unqualified)
        if fit and presenter.pk not in fit_checked_before:
            problems.setdefault(key, []).extend(fit)
    if problems and not plan.override_reason.strip():
        for key, messages in problems.items():
            errors.setdefault(key, []).extend([*messages, str(MSG_OVERRIDE_NEEDED)])
        return []
    return [message for messages in problems.values() for message in messages]


def _validate_plan(
    request: PresentationRequest,
    plan: Plan,
    *,
    exclude_booking: Booking | None = None,
    fit_checked_before: set[int] | None = None,
) -> str:
    """Raise ValidationError or BookingConflict if the plan breaks a rule; return the audit trail's
    line about presenters assigned anyway ("" when none was)."""
    errors: dict[str, list[str]] = {}
    _check_time(plan.start, plan.end, errors)
    overridden = _check_presenters(request, plan, errors, fit_checked_before=fit_checked_before or set())
    if plan.format == Format.IN_PERSON and not plan.location.strip():
        errors.setdefault("location", []).append(str(MSG_LOCATION_REQUIRED))
    if errors:
        raise ValidationError(errors)
    conflicts = booking_conflicts(
        presenters=plan.presenters, start=plan.start, end=plan.end, fmt=plan.format, exclude_booking=exclude_booking
    )
    if conflicts:
        raise BookingConflict(conflicts)
    if not overridden:
        return ""
    return MSG_OVERRIDDEN % {"problems": " ".join(overridden), "reason": plan.override_reason.strip()}


def _note(*lines: str) -> str:
    """An audit note from the lines given, leaving out empty ones."""
    return "\n".join(line.strip() for line in lines if line and line.strip())


def _occupy(booking: Booking, presenters: list[Presenter]) -> None:
    """Write the presenters' busy rows for the booking; the database refuses an overlap on PostgreSQL."""
    BusyInterval.objects.filter(booking=booking).delete()
    rows = [
        BusyInterval(booking=booking, presenter=presenter, kind=kind, start=span.start, end=span.end)
        for presenter in presenters
        for kind, span in busy_spans(start=booking.start, end=booking.end, fmt=booking.format).items()
    ]
    try:
        with transaction.atomic():
            BusyInterval.objects.bulk_create(rows)
    except IntegrityError:
        # Another booking for one of these presenters committed between our check and our write.
        conflicts = booking_conflicts(
            presenters=presenters, start=booking.start, end=booking.end, fmt=booking.format, exclude_booking=booking
        )
        raise BookingConflict(conflicts or [str(_("A presenter was booked at that time a moment ago."))]) from None


def _book(booking: Booking, plan: Plan) -> Booking:
    """Save the plan's time, place and presenters on the booking (new or rescheduled) and occupy them."""
    for name, value in plan.booking_fields().items():
        setattr(booking, name, value)
    booking.save()
    booking.co_presenters.set(plan.co_presenters)
    _occupy(booking, plan.presenters)
    return booking


def _close_open_proposals(request: PresentationRequest, state: str) -> None:
    request.proposals.filter(state=ProposalState.OPEN).update(state=state, responded_at=timezone.now())
    version_bump(SCHEDULE)


# --- Staff decisions on a submitted request ---------------------------------------------------


@transaction.atomic
def request_approve(*, request: PresentationRequest, by: AbstractBaseUser, plan: Plan, note: str = "") -> Booking:
    """Schedule a submitted request at one of its windows or an agreed other time."""
    request = _locked(request, RequestStatus.SUBMITTED, action="approve")
    overridden = _validate_plan(request, plan)
    booking = _book(Booking(request=request), plan)
    _close_open_proposals(request, ProposalState.WITHDRAWN)
    _record(request, action="approve", actor="staff", by=by, note=_note(note, overridden), to=RequestStatus.SCHEDULED)
    notify.booking_scheduled_notify(booking=booking)
    return booking


@transaction.atomic
def request_decline(*, request: PresentationRequest, by: AbstractBaseUser, reason: str) -> PresentationRequest:
    """Decline a submitted request; the reason is shown to the requester."""
    request = _locked(request, RequestStatus.SUBMITTED, action="decline")
    if not reason.strip():
        raise ValidationError({"reason": [str(MSG_REASON_REQUIRED)]})
    _close_open_proposals(request, ProposalState.WITHDRAWN)
    request.decision_note = reason.strip()
    request.save(update_fields=["decision_note"])
    _record(request, action="decline", actor="staff", by=by, note=request.decision_note, to=RequestStatus.DECLINED)
    notify.request_declined_notify(request=request)
    return request


# --- The requester's own changes ------------------------------------------------------------


@transaction.atomic
def request_withdraw(*, request: PresentationRequest, note: str = "") -> PresentationRequest:
    """The requester withdraws a request that staff have not scheduled yet."""
    request = _locked(request, RequestStatus.SUBMITTED, action="withdraw")
    _close_open_proposals(request, ProposalState.WITHDRAWN)
    _record(request, action="withdraw", actor="requester", note=note, to=RequestStatus.WITHDRAWN)
    notify.request_withdrawn_notify(request=request)
    return request


# --- The system ------------------------------------------------------------------------------


@transaction.atomic
def request_expire(*, request: PresentationRequest) -> PresentationRequest:
    """Expire a submitted request whose preferred and proposed times have all passed."""
    request = _locked(request, RequestStatus.SUBMITTED, action="expire")
    now = timezone.now()
    if (
        request.windows.filter(end__gt=now).exists()
        or ProposedTime.objects.filter(
            proposal__request=request, proposal__state=ProposalState.OPEN, end__gt=now
        ).exists()
    ):
        raise TransitionError(MSG_WINDOWS_REMAIN)
    _close_open_proposals(request, ProposalState.WITHDRAWN)
    _record(request, action="expire", actor="system", to=RequestStatus.EXPIRED)
    notify.request_expired_notify(request=request)
    return request


def requests_expire_due() -> int:
    """Expire every submitted request with no time left; returns how many."""
    expired = 0
    for request in requests_due_to_expire():
        try:
            request_expire(request=request)
        except TransitionError:
            continue  # changed since the query: a decision or a new proposal came first
        expired += 1
    return expired
