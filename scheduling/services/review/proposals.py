"""The lifecycle's proposals: staff offer a submitted request one to three other times; the
requester accepts one (which schedules the request) or declines them all (the request goes back
to staff). Transitions of the request lifecycle (the ``review`` package), each one transaction with its audit
entry and outbox rows.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.dates import time_span
from outreach.enums import RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import Booking, Presenter, Proposal, ProposalState, ProposedTime
from scheduling.services import notify
from scheduling.services.availability import BookingConflict
from scheduling.services.review.rules import (
    Plan,
    TransitionError,
    audit_note,
    book,
    close_open_proposals,
    locked,
    record,
    validate_plan,
)

MSG_ACCEPTED_TIME = "Accepted proposed time %(position)d: %(when)s %(zone)s"
MSG_PROPOSAL_TIMES = _("Propose one to three times.")
MSG_NO_OPEN_PROPOSAL = _("There is no proposal waiting for an answer.")
MSG_UNKNOWN_PROPOSED_TIME = _("That time is not one of the proposed times.")
MSG_TIME_NO_LONGER_FREE = _(
    "Sorry, that time is no longer free for our presenters. Please choose another of the times, "
    "or tell us that none of them work."
)


@transaction.atomic
def request_propose(
    *,
    request: PresentationRequest,
    by: AbstractBaseUser,
    times: list[tuple[datetime, datetime]],
    lead_presenter: Presenter,
    co_presenters: list[Presenter] | None = None,
    location: str = "",
    virtual_link: str = "",
    message: str = "",
    override_reason: str = "",
) -> Proposal:
    """Offer the requester one to three other times; replaces a proposal still open.

    ``override_reason`` says why presenters who are a poor fit (see ``Plan.override_reason``) are proposed anyway.
    """
    request = locked(request, RequestStatus.SUBMITTED, action="propose")
    co_presenters = co_presenters or []
    if not 1 <= len(times) <= 3:
        raise ValidationError({"times": [str(MSG_PROPOSAL_TIMES)]})
    overridden = ""
    for start, end in times:
        overridden = validate_plan(
            request,
            Plan(
                start,
                end,
                lead_presenter,
                co_presenters,
                request.format,
                location or "-",
                virtual_link,
                override_reason,
            ),
        )
    close_open_proposals(request, ProposalState.WITHDRAWN)
    proposal = Proposal.objects.create(
        request=request,
        lead_presenter=lead_presenter,
        location=location.strip(),
        virtual_link=virtual_link.strip(),
        message=message.strip(),
        created_by=by,
    )
    proposal.co_presenters.set(co_presenters)
    ProposedTime.objects.bulk_create(
        ProposedTime(proposal=proposal, position=n, start=start, end=end)
        for n, (start, end) in enumerate(times, start=1)
    )
    record(request, action="propose", actor="staff", by=by, note=audit_note(message, overridden))
    notify.proposal_notify(proposal=proposal)
    return proposal


def _open_proposal(request: PresentationRequest) -> Proposal:
    proposal = request.proposals.filter(state=ProposalState.OPEN).first()
    if proposal is None:
        raise TransitionError(MSG_NO_OPEN_PROPOSAL)
    return proposal


@transaction.atomic
def proposal_accept(*, request: PresentationRequest, proposed_time_id: int) -> Booking:
    """The requester accepts one proposed time, which schedules the request."""
    request = locked(request, RequestStatus.SUBMITTED, action="accept_proposal")
    proposal = _open_proposal(request)
    chosen = proposal.times.filter(pk=proposed_time_id).first()
    if chosen is None:
        raise ValidationError({"proposed_time": [str(MSG_UNKNOWN_PROPOSED_TIME)]})
    plan = Plan(
        start=chosen.start,
        end=chosen.end,
        lead_presenter=proposal.lead_presenter,
        co_presenters=list(proposal.co_presenters.all()),
        format=request.format,
        location=proposal.location or f"{request.street_address}, {request.city}",
        virtual_link=proposal.virtual_link,
    )
    try:
        # Staff weighed the presenters' fit when they proposed; the requester only picks the time.
        validate_plan(request, plan, fit_checked_before={p.pk for p in plan.presenters})
        booking = book(Booking(request=request), plan)
    except BookingConflict:
        # The full message names another organization's booking: not for the requester's eyes.
        raise BookingConflict([str(MSG_TIME_NO_LONGER_FREE)]) from None
    proposal.state, proposal.responded_at = ProposalState.ACCEPTED, timezone.now()
    proposal.save(update_fields=["state", "responded_at"])
    chosen.accepted = True
    chosen.save(update_fields=["accepted"])
    with translation.override(settings.STAFF_LANGUAGE):
        note = MSG_ACCEPTED_TIME % {
            "position": chosen.position,
            "when": time_span(chosen.start, chosen.end),
            "zone": timezone.localtime(chosen.start).tzname(),
        }
    record(request, action="accept_proposal", actor="requester", note=note, to=RequestStatus.SCHEDULED)
    notify.booking_scheduled_notify(booking=booking)
    notify.proposal_accepted_notify(proposal=proposal, booking=booking)
    return booking


@transaction.atomic
def proposal_decline(*, request: PresentationRequest, note: str = "") -> Proposal:
    """The requester declines every proposed time; the request goes back to staff."""
    request = locked(request, RequestStatus.SUBMITTED, action="decline_proposal")
    proposal = _open_proposal(request)
    proposal.state, proposal.responded_at, proposal.requester_note = (
        ProposalState.DECLINED,
        timezone.now(),
        note.strip(),
    )
    proposal.save(update_fields=["state", "responded_at", "requester_note"])
    record(request, action="decline_proposal", actor="requester", note=note)
    notify.proposal_declined_notify(proposal=proposal)
    return proposal
