"""A presenter's answer to an assignment: they confirm it, or decline it with a reason.

A decline does not change the request's status (the requester keeps their confirmed talk): it
puts the request back in front of staff, who find someone else and reschedule. It writes the
audit entry and queues a notice to the staff inbox in the same transaction. An answer counts for
the booking as it is (its SEQUENCE); once staff change the booking, presenters are asked again.

Errors: AssignmentClosed (the talk is cancelled, over, or not theirs; 409), ValidationError
keyed by ``reason`` (400).
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError
from outreach.enums import RequestStatus
from scheduling.models import Answer, AssignmentAnswer, Booking, NotificationKind, Presenter
from scheduling.services import notify
from scheduling.services.audit import audit_record

MSG_DECLINE_REASON = _("Give a reason; staff read it when they look for someone else.")
MSG_NOT_SCHEDULED = _("This presentation is no longer scheduled, so there is nothing to answer.")
MSG_OVER = _("This presentation has already taken place.")
MSG_NOT_YOURS = _("You are no longer presenting this talk.")


class AssignmentClosed(DomainError):
    """The presenter cannot answer: the talk is cancelled or over, or they are not on it any more."""

    code = "assignment_closed"


def _answer(*, booking: Booking, presenter: Presenter, by: AbstractBaseUser | None, answer: str, reason: str):
    booking = (
        Booking.objects.select_for_update()
        .select_related("request__presentation", "lead_presenter")
        .prefetch_related("co_presenters")
        .get(pk=booking.pk)
    )
    request = booking.request
    if booking.cancelled_at is not None or request.status != RequestStatus.SCHEDULED:
        raise AssignmentClosed(MSG_NOT_SCHEDULED)
    if booking.end <= timezone.now():
        raise AssignmentClosed(MSG_OVER)
    if presenter.pk not in {p.pk for p in booking.presenters()}:
        raise AssignmentClosed(MSG_NOT_YOURS)
    current = AssignmentAnswer.objects.filter(booking=booking, presenter=presenter).first()
    if current is not None and current.counts_for(booking) and current.answer == answer:
        return current  # answered so already (a second click): nothing new to record or send
    row, _created = AssignmentAnswer.objects.update_or_create(
        booking=booking,
        presenter=presenter,
        defaults={"sequence": booking.sequence, "answer": answer, "reason": reason, "answered_at": timezone.now()},
    )
    verb = "confirmed" if answer == Answer.CONFIRMED else "declined"
    entry = audit_record(
        request=request,
        by=by,
        actor="presenter",
        action=f"presenter_{verb}",
        from_status=request.status,
        note=f"{presenter.name} {verb}" + (f": {reason}" if reason else "."),
    )
    if answer == Answer.DECLINED:
        # One notice per decline: the audit entry's number tells two declines of one booking apart.
        notify.notification_queue(
            request=request,
            kind=NotificationKind.STAFF_PRESENTER_DECLINED,
            recipient=settings.STAFF_NOTIFICATION_EMAIL,
            booking=booking,
            sequence=entry.pk,
            context={"answer": row, "presenter": presenter},
        )
    return row


@transaction.atomic
def assignment_confirm(
    *, booking: Booking, presenter: Presenter, by: AbstractBaseUser | None = None
) -> AssignmentAnswer:
    """The presenter confirms they will give the talk as it is now scheduled."""
    return _answer(booking=booking, presenter=presenter, by=by, answer=Answer.CONFIRMED, reason="")


@transaction.atomic
def assignment_decline(
    *, booking: Booking, presenter: Presenter, reason: str, by: AbstractBaseUser | None = None
) -> AssignmentAnswer:
    """The presenter cannot give the talk; staff get a notice with the reason and find someone else."""
    if not reason.strip():
        raise ValidationError({"reason": [str(MSG_DECLINE_REASON)]})
    return _answer(booking=booking, presenter=presenter, by=by, answer=Answer.DECLINED, reason=reason.strip())
