"""The request lifecycle: this package owns every transition of a request and its booking.

Every status change goes through it (shared/STYLE.md calls it review.py, the lifecycle). Views,
API endpoints, admin actions and tasks call the functions exported here and never change a
status themselves; code outside this package imports from ``scheduling.services.review`` only,
never from its modules (tests/test_project.py checks it). The modules, by sub-domain:

- ``rules``: what every transition shares: ``Plan``, the checks a plan must pass, the errors,
  locking the request, writing the booking, the status and the audit entry;
- ``requests``: staff approve or decline a submitted request, the requester withdraws it, the
  system expires it;
- ``proposals``: staff offer other times, the requester accepts one or declines them all;
- ``bookings``: staff reschedule a scheduled booking (SEQUENCE + 1), staff or the requester (until
  the cut-off) cancel it, staff mark it completed.

Each transition is one database transaction that locks the request, checks that the change is
allowed from its current status, writes the booking, the audit entry and the outbox rows it
causes, or nothing at all. See shared/PRODUCT.md for the lifecycle.

Errors: TransitionError (the status does not allow it; 409), BookingConflict (another booking, a
blackout or a closure; 409), ValidationError keyed by field (400).
"""

from scheduling.services.availability import BookingConflict
from scheduling.services.review.bookings import (
    MSG_ATTENDANCE,
    MSG_CANCEL_TOO_LATE,
    MSG_NOT_OVER_YET,
    MSG_NOTHING_CHANGED,
    booking_cancel,
    booking_complete,
    booking_reschedule,
    requester_may_cancel,
)
from scheduling.services.review.proposals import (
    MSG_NO_OPEN_PROPOSAL,
    MSG_PROPOSAL_TIMES,
    MSG_TIME_NO_LONGER_FREE,
    MSG_UNKNOWN_PROPOSED_TIME,
    proposal_accept,
    proposal_decline,
    request_propose,
)
from scheduling.services.review.requests import (
    MSG_WINDOWS_REMAIN,
    request_approve,
    request_decline,
    request_expire,
    request_withdraw,
    requests_expire_due,
)
from scheduling.services.review.rules import (
    ACTION_PAST,
    MSG_END_BEFORE_START,
    MSG_IN_THE_PAST,
    MSG_LOCATION_REQUIRED,
    MSG_OVERRIDE_NEEDED,
    MSG_PRESENTER_INACTIVE,
    MSG_PRESENTER_NOT_QUALIFIED,
    MSG_PRESENTER_TWICE,
    MSG_REASON_REQUIRED,
    MSG_TOO_LONG,
    MSG_TRANSITION_REFUSED,
    Plan,
    TransitionError,
)

__all__ = [
    "ACTION_PAST",
    "MSG_ATTENDANCE",
    "MSG_CANCEL_TOO_LATE",
    "MSG_END_BEFORE_START",
    "MSG_IN_THE_PAST",
    "MSG_LOCATION_REQUIRED",
    "MSG_NOTHING_CHANGED",
    "MSG_NOT_OVER_YET",
    "MSG_NO_OPEN_PROPOSAL",
    "MSG_OVERRIDE_NEEDED",
    "MSG_PRESENTER_INACTIVE",
    "MSG_PRESENTER_NOT_QUALIFIED",
    "MSG_PRESENTER_TWICE",
    "MSG_PROPOSAL_TIMES",
    "MSG_REASON_REQUIRED",
    "MSG_TIME_NO_LONGER_FREE",
    "MSG_TOO_LONG",
    "MSG_TRANSITION_REFUSED",
    "MSG_UNKNOWN_PROPOSED_TIME",
    "MSG_WINDOWS_REMAIN",
    "BookingConflict",
    "Plan",
    "TransitionError",
    "booking_cancel",
    "booking_complete",
    "booking_reschedule",
    "proposal_accept",
    "proposal_decline",
    "request_approve",
    "request_decline",
    "request_expire",
    "request_propose",
    "request_withdraw",
    "requester_may_cancel",
    "requests_expire_due",
]
