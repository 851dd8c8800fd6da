"""Decisions on a submitted request: staff approve (schedule) or decline it, the requester withdraws
it, the system expires it once every preferred and proposed time has passed. Transitions of the
request lifecycle (this package), each one transaction with its audit entry and outbox rows.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.enums import RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import Booking, ProposalState, ProposedTime
from scheduling.selectors import requests_due_to_expire
from scheduling.services import notify
from scheduling.services.review.rules import (
    MSG_REASON_REQUIRED,
    Plan,
    TransitionError,
    audit_note,
    book,
    close_open_proposals,
    locked,
    record,
    validate_plan,
)

MSG_WINDOWS_REMAIN = _("This request still has a preferred time in the future, so it has not expired.")


# --- Staff decisions on a submitted request ---------------------------------------------------


@transaction.atomic
def request_approve(*, request: PresentationRequest, by: AbstractBaseUser, plan: Plan, note: str = "") -> Booking:
    """Schedule a submitted request at one of its windows or an agreed other time."""
    request = locked(request, RequestStatus.SUBMITTED, action="approve")
    overridden = validate_plan(request, plan)
    booking = book(Booking(request=request), plan)
    close_open_proposals(request, ProposalState.WITHDRAWN)
    record(
        request, action="approve", actor="staff", by=by, note=audit_note(note, overridden), to=RequestStatus.SCHEDULED
    )
    notify.booking_scheduled_notify(booking=booking)
    return booking


@transaction.atomic
def request_decline(*, request: PresentationRequest, by: AbstractBaseUser, reason: str) -> PresentationRequest:
    """Decline a submitted request; the reason is shown to the requester."""
    request = locked(request, RequestStatus.SUBMITTED, action="decline")
    if not reason.strip():
        raise ValidationError({"reason": [str(MSG_REASON_REQUIRED)]})
    close_open_proposals(request, ProposalState.WITHDRAWN)
    request.decision_note = reason.strip()
    request.save(update_fields=["decision_note"])
    record(request, action="decline", actor="staff", by=by, note=request.decision_note, to=RequestStatus.DECLINED)
    notify.request_declined_notify(request=request)
    return request


# --- The requester's own changes ------------------------------------------------------------


@transaction.atomic
def request_withdraw(*, request: PresentationRequest, note: str = "") -> PresentationRequest:
    """The requester withdraws a request that staff have not scheduled yet."""
    request = locked(request, RequestStatus.SUBMITTED, action="withdraw")
    close_open_proposals(request, ProposalState.WITHDRAWN)
    record(request, action="withdraw", actor="requester", note=note, to=RequestStatus.WITHDRAWN)
    notify.request_withdrawn_notify(request=request)
    return request


# --- The system ------------------------------------------------------------------------------


@transaction.atomic
def request_expire(*, request: PresentationRequest) -> PresentationRequest:
    """Expire a submitted request whose preferred and proposed times have all passed."""
    request = locked(request, RequestStatus.SUBMITTED, action="expire")
    now = timezone.now()
    if (
        request.windows.filter(end__gt=now).exists()
        or ProposedTime.objects.filter(
            proposal__request=request, proposal__state=ProposalState.OPEN, end__gt=now
        ).exists()
    ):
        raise TransitionError(MSG_WINDOWS_REMAIN)
    close_open_proposals(request, ProposalState.WITHDRAWN)
    record(request, action="expire", actor="system", to=RequestStatus.EXPIRED)
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
