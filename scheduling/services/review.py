"""The request lifecycle: every status change goes through this module.

Each transition is one database transaction that locks the request, checks that the
change is allowed from its current status, writes the audit entry and queues the
notifications it causes. See shared/PRODUCT.md for the lifecycle.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outreach.enums import RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import AuditEntry
from scheduling.services.notify import request_withdrawn_notify

MSG_TRANSITION_REFUSED = _("This request is %(status)s, so it cannot be %(action)s.")


class TransitionError(Exception):
    """A transition that the request's current status does not allow."""

    code = "invalid_transition"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


ACTION_PAST = {
    "withdraw": _("withdrawn"),
}


def audit_record(
    *,
    request: PresentationRequest,
    actor: str,
    action: str,
    from_status: str,
    by: AbstractBaseUser | None = None,
    note: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        request=request, by=by, actor=actor, action=action, from_status=from_status, to_status=request.status, note=note
    )


def _locked(request: PresentationRequest) -> PresentationRequest:
    return PresentationRequest.objects.select_for_update().get(pk=request.pk)


def _require_status(request: PresentationRequest, *allowed: str, action: str) -> None:
    if request.status not in allowed:
        raise TransitionError(
            MSG_TRANSITION_REFUSED % {"status": request.get_status_display().lower(), "action": ACTION_PAST[action]}
        )


def _move(request: PresentationRequest, to: str) -> str:
    previous = request.status
    request.status = to
    request.status_changed_at = timezone.now()
    request.save(update_fields=["status", "status_changed_at"])
    return previous


@transaction.atomic
def request_withdraw(*, request: PresentationRequest, note: str = "") -> PresentationRequest:
    """The requester withdraws a request that staff have not decided yet."""
    request = _locked(request)
    _require_status(request, RequestStatus.SUBMITTED, action="withdraw")
    previous = _move(request, RequestStatus.WITHDRAWN)
    audit_record(request=request, actor="requester", action="withdraw", from_status=previous, note=note)
    request_withdrawn_notify(request=request)
    return request
