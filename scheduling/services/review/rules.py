"""The rules every transition of the request lifecycle shares.

What staff decide when they schedule (``Plan``), the checks a plan must pass (time, presenters,
place, no double-booking), the errors (TransitionError: the status does not allow it, 409;
BookingConflict: another booking, a blackout or a closure, 409; ValidationError keyed by field,
400) and the steps every transition takes: ``locked`` (lock the request and check its status),
``validate_plan``, ``book`` (write the booking and its busy rows), ``close_open_proposals`` and
``record`` (the new status and the audit entry). Internal to the ``review`` package: its modules
call these helpers; everyone else calls the transitions the package exports.
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
from outreach.enums import Format
from outreach.models import PresentationRequest
from scheduling.models import Booking, BusyInterval, Presenter, ProposalState
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


def locked(request: PresentationRequest, allowed: str, *, action: str) -> PresentationRequest:
    """The request, locked until the transaction ends, if its status (``allowed``) lets ``action`` happen."""
    request = PresentationRequest.objects.select_for_update().select_related("presentation").get(pk=request.pk)
    if request.status != allowed:
        raise TransitionError(
            MSG_TRANSITION_REFUSED % {"status": request.get_status_display().lower(), "action": ACTION_PAST[action]}
        )
    return request


def record(
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


def validate_plan(
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


def audit_note(*lines: str) -> str:
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


def book(booking: Booking, plan: Plan) -> Booking:
    """Save the plan's time, place and presenters on the booking (new or rescheduled) and occupy them."""
    for name, value in plan.booking_fields().items():
        setattr(booking, name, value)
    booking.save()
    booking.co_presenters.set(plan.co_presenters)
    _occupy(booking, plan.presenters)
    return booking


def close_open_proposals(request: PresentationRequest, state: str) -> None:
    request.proposals.filter(state=ProposalState.OPEN).update(state=state, responded_at=timezone.now())
    version_bump(SCHEDULE)
