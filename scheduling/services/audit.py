"""The audit trail: one entry for every transition of a request, written in its transaction."""

from django.contrib.auth.models import AbstractBaseUser

from outreach.models import PresentationRequest
from scheduling.models import AuditEntry


def audit_record(
    *,
    request: PresentationRequest,
    actor: str,
    action: str,
    from_status: str,
    by: AbstractBaseUser | None = None,
    note: str = "",
) -> AuditEntry:
    """Record who (``by``, and ``actor``: staff, requester or system) did ``action``, moving the
    request from ``from_status`` to its current status, and why (``note``)."""
    return AuditEntry.objects.create(
        request=request, by=by, actor=actor, action=action, from_status=from_status, to_status=request.status, note=note
    )
