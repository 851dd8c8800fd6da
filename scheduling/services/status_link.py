"""Replacing a requester's private status link (for example when it was forwarded too widely)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from common.exceptions import DomainError
from common.links import links_revoke
from common.models import LinkPurpose
from outreach.models import PresentationRequest
from scheduling.services.audit import audit_record
from scheduling.services.notify import status_link_renewed_notify

RENEW_ACTION = "renew_status_link"
MSG_ERASED = "The requester's personal details were erased: there is no address to send a new link to."


class RequestErased(DomainError):
    """An erased request has no requester to send a link to."""

    code = "invalid_transition"


@transaction.atomic
def status_link_renew(*, request: PresentationRequest, by: AbstractBaseUser | None) -> int:
    """Revoke every status link the requester holds and email them a new one, with an audit entry.

    The request's status does not change. Returns how many links were revoked. Raises
    RequestErased once the requester's details were erased. Emails still
    waiting in the outbox get new links as they are sent, like every email.
    """
    if request.erased_at is not None:
        raise RequestErased(MSG_ERASED)
    revoked = links_revoke(purpose=LinkPurpose.REQUEST_STATUS, subject_id=request.pk)
    entry = audit_record(
        request=request,
        by=by,
        actor="staff",
        action=RENEW_ACTION,
        from_status=request.status,
        note=f"{revoked} status link(s) revoked; a new one sent to the requester.",
    )
    status_link_renewed_notify(request=request, sequence=entry.pk)
    return revoked
