"""What a requester may do with their own request, by its private link: withdraw it, accept or
decline proposed times, cancel the presentation.

The status page's forms and the public API take the same input under the same names; each
action turns that input into its one lifecycle service call (the scheduling.services.review
package).
"""

from collections.abc import Callable

from outreach.models import PresentationRequest
from scheduling.services import review

RequesterAction = Callable[[PresentationRequest, dict], object]

REQUESTER_ACTIONS: dict[str, RequesterAction] = {
    "withdraw": lambda request, data: review.request_withdraw(request=request, note=data["reason"]),
    "accept_proposal": lambda request, data: review.proposal_accept(
        request=request, proposed_time_id=data["proposed_time"]
    ),
    "decline_proposal": lambda request, data: review.proposal_decline(request=request, note=data["note"]),
    "cancel": lambda request, data: review.booking_cancel(request=request, reason=data["reason"], actor="requester"),
}
