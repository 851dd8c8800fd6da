"""The lifecycle's changes to a scheduled booking: staff reschedule it (SEQUENCE + 1), staff or
the requester (until the cut-off) cancel it, staff mark it completed. Transitions of the request
lifecycle (the ``review`` package), each one transaction with its audit entry and outbox rows.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.enums import RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import Booking, BusyInterval
from scheduling.services import notify
from scheduling.services.review.rules import (
    MSG_REASON_REQUIRED,
    Plan,
    TransitionError,
    audit_note,
    book,
    locked,
    record,
    validate_plan,
)

MSG_NOTHING_CHANGED = _("Nothing changed: choose another time, other presenters or another place.")
MSG_CANCEL_TOO_LATE = _(
    "It is less than %(hours)d hours before the presentation, so it can no longer be cancelled online. "
    "Please call or email us."
)
MSG_NOT_OVER_YET = _("The presentation has not ended yet, so it cannot be marked completed.")
MSG_ATTENDANCE = _("Enter the number of people who attended (0 to 100,000).")


def requester_may_cancel(booking: Booking, *, now: datetime | None = None) -> bool:
    """Requesters cancel online only until the cut-off before the start."""
    now = now or timezone.now()
    return booking.start - now >= timedelta(hours=settings.REQUESTER_CANCEL_CUTOFF_HOURS)


# --- Changes to a scheduled booking ---------------------------------------------------------


def _locked_booking(request: PresentationRequest) -> Booking:
    return Booking.objects.select_for_update().select_related("lead_presenter").get(request=request)


@transaction.atomic
def booking_reschedule(*, request: PresentationRequest, by: AbstractBaseUser, plan: Plan, note: str = "") -> Booking:
    """Change the time, presenters or place of a scheduled booking. SEQUENCE rises by one."""
    request = locked(request, RequestStatus.SCHEDULED, action="reschedule")
    booking = _locked_booking(request)
    before = set(booking.presenters())
    unchanged = all(getattr(booking, name) == value for name, value in plan.booking_fields().items()) and {
        p.pk for p in booking.co_presenters.all()
    } == {p.pk for p in plan.co_presenters}
    if unchanged:
        raise ValidationError({"__all__": [str(MSG_NOTHING_CHANGED)]})
    overridden = validate_plan(request, plan, exclude_booking=booking, fit_checked_before={p.pk for p in before})
    booking.sequence += 1
    book(booking, plan)
    record(request, action="reschedule", actor="staff", by=by, note=audit_note(note, overridden))
    notify.booking_changed_notify(
        booking=booking,
        added=[p for p in plan.presenters if p not in before],
        removed=[p for p in before if p not in set(plan.presenters)],
    )
    return booking


@transaction.atomic
def booking_cancel(
    *, request: PresentationRequest, reason: str, by: AbstractBaseUser | None = None, actor: str = "staff"
) -> Booking:
    """Cancel a scheduled booking: staff at any time with a reason, the requester until the cut-off."""
    request = locked(request, RequestStatus.SCHEDULED, action="cancel")
    booking = _locked_booking(request)
    if actor == "requester" and not requester_may_cancel(booking):
        raise TransitionError(MSG_CANCEL_TOO_LATE % {"hours": settings.REQUESTER_CANCEL_CUTOFF_HOURS})
    if actor == "staff" and not reason.strip():
        raise ValidationError({"reason": [str(MSG_REASON_REQUIRED)]})
    booking.sequence += 1
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason.strip()
    booking.save()
    BusyInterval.objects.filter(booking=booking).delete()
    record(request, action="cancel", actor=actor, by=by, note=booking.cancel_reason, to=RequestStatus.CANCELLED)
    notify.booking_cancelled_notify(booking=booking)
    return booking


@transaction.atomic
def booking_complete(
    *, request: PresentationRequest, by: AbstractBaseUser, attendance: int, notes: str = ""
) -> Booking:
    """Record that a presentation took place, with the people who came and the presenters' notes."""
    request = locked(request, RequestStatus.SCHEDULED, action="complete")
    booking = _locked_booking(request)
    if booking.end > timezone.now():
        raise TransitionError(MSG_NOT_OVER_YET)
    if not isinstance(attendance, int) or not 0 <= attendance <= 100_000:
        raise ValidationError({"attendance": [str(MSG_ATTENDANCE)]})
    booking.completed_at = timezone.now()
    booking.actual_attendance = attendance
    booking.presenter_notes = notes.strip()
    booking.save()
    record(request, action="complete", actor="staff", by=by, note=booking.presenter_notes, to=RequestStatus.COMPLETED)
    notify.booking_completed_notify(booking=booking)
    return booking
