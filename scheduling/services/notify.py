"""The notification outbox: queue rows with the change that causes them, deliver each once.

A row is written inside the caller's transaction, rendered then (subject, text, HTML and the
calendar invite as of that change), and the send task is enqueued only after the transaction
commits. If the broker is unreachable the row simply stays pending and the periodic sweep
hands it to a worker later, so an outage delays mail and never loses it. One row per request,
kind, recipient and SEQUENCE, so the same change cannot queue the same message twice.
"""

import logging
import smtplib
from datetime import datetime
from functools import partial

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerError

from common.contact import program_contact
from common.dates import day_short
from common.exceptions import DomainError
from common.languages import url_in_language
from common.links import link_placeholder, links_fill
from common.mail import message_id
from common.models import LinkPurpose
from common.outages import Outages
from outreach.models import PresentationRequest, request_status_url
from scheduling.invites import CANCEL, REQUEST, invite_calendar, invite_restamp
from scheduling.models import Booking, Notification, NotificationKind, NotificationStatus, Presenter, Proposal
from scheduling.selectors import REMINDER_WINDOWS, bookings_due_for_reminder, notifications_due
from scheduling.services.outbox import (
    notification_claim,
    notification_record_failure,
    notification_record_sent,
    notification_reschedule_now,
)

logger = logging.getLogger(__name__)

# After the broker fails to take a task, this process leaves it alone for a few seconds: the rows
# stay pending for the sweep, and a page that queues several messages waits for one timeout, not one each.
BROKER_RETRY_AFTER_SECONDS = 5.0
broker_outages = Outages(retry_after=BROKER_RETRY_AFTER_SECONDS)

MSG_NOT_FAILED = _("Only a notification that failed can be sent again.")
MSG_CONTENT_ERASED = _("This notification's content was erased, so it cannot be sent again.")

Kind = NotificationKind

SUBJECTS = {
    Kind.REQUEST_RECEIVED: _("We received your presentation request %(reference)s"),
    Kind.STAFF_NEW_REQUEST: _("New request %(reference)s: %(title)s for %(organization)s"),
    Kind.PROPOSAL: _("Other times proposed for your request %(reference)s"),
    Kind.STAFF_PROPOSAL_DECLINED: _("%(reference)s: the requester declined the proposed times"),
    Kind.STAFF_PROPOSAL_ACCEPTED: _("%(reference)s: the requester accepted %(date)s (%(organization)s)"),
    Kind.BOOKING_CONFIRMED: _("Confirmed: %(title)s on %(date)s"),
    Kind.PRESENTER_ASSIGNED: _("You are presenting: %(title)s on %(date)s (%(organization)s)"),
    Kind.BOOKING_UPDATED: _("Updated: %(title)s, now on %(date)s"),
    Kind.PRESENTER_UPDATED: _("Updated: %(title)s, now on %(date)s (%(organization)s)"),
    Kind.PRESENTER_REMOVED: _("You are no longer presenting %(title)s on %(date)s"),
    Kind.BOOKING_CANCELLED: _("Cancelled: %(title)s on %(date)s"),
    Kind.PRESENTER_CANCELLED: _("Cancelled: %(title)s on %(date)s (%(organization)s)"),
    Kind.STAFF_BOOKING_CANCELLED: _("Cancelled: %(reference)s (%(organization)s) on %(date)s"),
    Kind.STAFF_PRESENTER_DECLINED: _("A presenter declined %(reference)s (%(organization)s) on %(date)s"),
    Kind.REQUEST_DECLINED: _("About your presentation request %(reference)s"),
    Kind.REQUEST_WITHDRAWN: _("Your request %(reference)s has been withdrawn"),
    Kind.STAFF_REQUEST_WITHDRAWN: _("Withdrawn: %(reference)s (%(organization)s)"),
    Kind.REQUEST_EXPIRED: _("Your request %(reference)s has expired"),
    Kind.REMINDER_WEEK: _("In one week: %(title)s on %(date)s"),
    Kind.REMINDER_DAY: _("Tomorrow: %(title)s on %(date)s"),
    Kind.THANK_YOU: _("Thank you for hosting %(title)s"),
    Kind.STATUS_LINK: _("Your status link for request %(reference)s"),
    Kind.EVALUATION_REMINDER: _("Two minutes for us? How %(title)s went"),
    Kind.STATUS_LINK_RENEWED: _("Your new link to presentation request %(reference)s"),
    # Only ever to the staff inbox, whose mail stays English: not a string for the catalogs.
    Kind.STAFF_DETAILS_CHANGED: "%(reference)s: the requester changed details (%(organization)s)",
}


# Kinds whose email another kind's template writes (it words itself for the recipient and the kind).
TEMPLATES = {
    Kind.PRESENTER_CANCELLED: "booking_cancelled",
    Kind.REMINDER_WEEK: "reminder",
    Kind.REMINDER_DAY: "reminder",
}


class NotificationNotFailed(DomainError):
    """Only a notification that failed can be sent again."""

    code = "invalid_transition"


def _subject(kind: str, request: PresentationRequest, booking: Booking | None) -> str:
    values = {
        "reference": request.reference,
        "title": request.presentation.title,
        "organization": request.organization_name,
        "date": day_short(booking.start) if booking else "",
    }
    return " ".join(str(SUBJECTS[kind] % values).split())[:200]


def notification_queue(
    *,
    request: PresentationRequest,
    kind: str,
    recipient: str,
    context: dict | None = None,
    sequence: int = 0,
    booking: Booking | None = None,
    invite_method: str = "",
    invite_presenters: list[Presenter] | None = None,
) -> Notification:
    """Render the email for ``kind`` (and its invite) and write it to the outbox; send it after commit.

    Templates: ``scheduling/email/<kind>.txt`` and ``<kind>.html``, or the ones TEMPLATES names for
    the kind (the context carries ``kind``). The requester's email and invite are in the language
    they used (``request.requester_language``), the staff's and the presenters' in STAFF_LANGUAGE.
    Queuing the same request, kind, recipient and sequence twice returns the first row.
    """
    is_requester = recipient == request.contact_email
    language = request.requester_language if is_requester else settings.STAFF_LANGUAGE
    with translation.override(language):
        rendered = _render(
            request=request,
            kind=kind,
            recipient=recipient,
            is_requester=is_requester,
            context=context,
            booking=booking,
            invite_method=invite_method,
            invite_presenters=invite_presenters,
        )
    notification, created = Notification.objects.get_or_create(
        request=request, kind=kind, recipient=recipient, sequence=sequence, defaults={"booking": booking, **rendered}
    )
    if created:
        transaction.on_commit(partial(notification_enqueue, notification_id=notification.pk))
    return notification


def _render(
    *,
    request: PresentationRequest,
    kind: str,
    recipient: str,
    is_requester: bool,
    context: dict | None,
    booking: Booking | None,
    invite_method: str,
    invite_presenters: list[Presenter] | None,
) -> dict:
    """The outbox row's subject, bodies and invite, in the active language.

    The requester's copy links to their status page in their language; the others' have no such link.
    Private links are stored as placeholders and made when the email is sent (``email_for``)."""
    status_url = ""
    if is_requester:
        placeholder = request_status_url(link_placeholder(LinkPurpose.REQUEST_STATUS))
        status_url = url_in_language(placeholder, request.requester_language)
    context = {
        "request_obj": request,
        "booking": booking,
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "site_url": settings.SITE_URL,
        "staff_url": settings.SITE_URL + request.get_staff_url(),
        "status_url": status_url,
        "for_presenter": not is_requester and recipient != settings.STAFF_NOTIFICATION_EMAIL,
        "cancel_cutoff_hours": settings.REQUESTER_CANCEL_CUTOFF_HOURS,
        "contact": program_contact() if is_requester else None,
        "kind": kind,
        **(context or {}),
    }
    template = f"scheduling/email/{TEMPLATES.get(kind, kind)}"
    ics = ""
    if booking is not None and invite_method:
        ics = (
            invite_calendar(booking=booking, method=invite_method, status_url=status_url, presenters=invite_presenters)
            .to_ical()
            .decode("utf-8")
        )
    return {
        "subject": _subject(kind, request, booking),
        "body_text": render_to_string(f"{template}.txt", context),
        "body_html": render_to_string(f"{template}.html", context),
        "ics_method": invite_method if ics else "",
        "ics": ics,
    }


def notification_enqueue(*, notification_id: int) -> bool:
    """Hand a notification to the worker. Returns False, leaving the row pending, if the broker is down."""
    if broker_outages.is_down("broker"):
        return False
    try:
        send_notification.delay(notification_id)
    except (BrokerError, OSError) as exc:
        broker_outages.record("broker")
        logger.warning(
            "Broker unreachable; notification %s stays pending for the sweep (%s)", notification_id, type(exc).__name__
        )
        return False
    return True


def _is_temporary(exc: Exception) -> bool:
    """A 4xx answer, a refused or lost connection, a timeout: the server may take the message later."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPException, OSError, TimeoutError))


def _with_live_links(notification: Notification) -> tuple[str, str, str]:
    """The row's text, HTML and invite with a new private link where each placeholder is
    (common.links): one link per purpose, shared by the three parts. The invite is unfolded
    first, so that no placeholder is split across lines."""
    ics = notification.ics.replace("\r\n ", "").replace("\r\n\t", "")
    subjects = {
        LinkPurpose.REQUEST_STATUS: notification.request_id,
        LinkPurpose.HOST_EVALUATION: notification.booking_id,
        LinkPurpose.AUDIENCE_SURVEY: notification.booking_id,
    }
    text, html, ics = links_fill([notification.body_text, notification.body_html, ics], subjects=subjects)
    return text, html, ics


def email_for(notification: Notification) -> EmailMultiAlternatives:
    """The message as sent: multipart/alternative (text, HTML, and the invite as text/calendar)
    inside multipart/mixed with the invite also attached as invite.ics. Each private link in it
    is made now (the stored row holds placeholders)."""
    body_text, body_html, stored_ics = _with_live_links(notification)
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={
            "Auto-Submitted": "auto-generated",
            # The same for every attempt at one row, so a retry after a doubtful attempt is one message.
            "Message-ID": message_id(f"notification.{notification.pk}.{notification.created_at:%Y%m%d%H%M%S}"),
        },
    )
    message.attach_alternative(body_html, "text/html")
    if notification.ics:
        ics = invite_restamp(stored_ics, stamp=timezone.now())
        message.attach_alternative(ics, f"text/calendar; method={notification.ics_method}")
        # As UTF-8 bytes: given a str, the email package base64-encodes a non-text part after
        # turning every non-ASCII character into a literal escape (an en dash into "\u2013").
        message.attach("invite.ics", ics.encode("utf-8"), f"application/ics; method={notification.ics_method}")
    return message


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> NotificationStatus | None:
    """Make one attempt at sending an outbox row, if it is due and no other worker holds it.

    Claims the row (a short conditional UPDATE that counts the attempt), sends it with no
    transaction open and no row locked, then records the outcome: sent; pending with the next
    attempt's time after a temporary failure; failed after a permanent one or the last attempt
    (see ``scheduling.services.outbox``). Returns the row's status, or None if there was nothing
    to do (already sent or failed, not yet due, or being sent by another worker).
    """
    now = now or timezone.now()
    notification = notification_claim(notification_id=notification_id, now=now)
    if notification is None:
        return None
    try:
        email_for(notification).send()
    except Exception as exc:  # every outcome is recorded on the row; none escapes to the task
        return notification_record_failure(
            notification=notification, error=f"{type(exc).__name__}: {exc}", temporary=_is_temporary(exc), now=now
        )
    return notification_record_sent(notification=notification, now=now)


@shared_task(name="scheduling.send_notification", acks_late=True, reject_on_worker_lost=True)
def send_notification(notification_id: int) -> None:
    """The worker's side of the outbox: one attempt at one row (kept beside the service it runs).

    It retries nothing itself: a failed attempt writes the next attempt's time on the row, and the
    sweep hands the row to a worker again when that time comes."""
    notification_deliver(notification_id=notification_id)


def notification_resend(*, notification: Notification) -> Notification:
    """Put a failed notification back in the queue (staff's "resend"), due at once.

    Raises NotificationNotFailed for one that is pending or sent: only a failure is sent again.
    """
    if not notification_reschedule_now(notification_id=notification.pk, now=timezone.now()):
        notification.refresh_from_db(fields=["body_erased_at"])
        raise NotificationNotFailed(MSG_CONTENT_ERASED if notification.body_erased_at else MSG_NOT_FAILED)
    transaction.on_commit(partial(notification_enqueue, notification_id=notification.pk))
    notification.refresh_from_db()
    return notification


def notifications_send_due(*, now: datetime | None = None) -> int:
    """Hand every notification that is due (``selectors.notifications_due``) to the worker: what the
    periodic sweep runs. Returns how many were handed over."""
    ids = list(notifications_due(now=now).values_list("pk", flat=True))
    return sum(notification_enqueue(notification_id=pk) for pk in ids)


# --- What each change sends, to whom ---------------------------------------------------------


def _to_staff(request: PresentationRequest, kind: str, *, booking: Booking | None = None, sequence: int = 0) -> None:
    notification_queue(
        request=request, kind=kind, recipient=settings.STAFF_NOTIFICATION_EMAIL, booking=booking, sequence=sequence
    )


def _to_requester(request: PresentationRequest, kind: str, **kwargs) -> None:
    notification_queue(request=request, kind=kind, recipient=request.contact_email, **kwargs)


def _to_presenters(booking: Booking, kind: str, presenters: list[Presenter], method: str = "", **kwargs) -> None:
    for presenter in presenters:
        notification_queue(
            request=booking.request,
            kind=kind,
            recipient=presenter.email,
            booking=booking,
            sequence=booking.sequence,
            invite_method=method,
            context={"presenter": presenter},
            **kwargs,
        )


def request_submitted_notify(*, request: PresentationRequest) -> None:
    """Acknowledge a new request to its contact and tell the staff inbox about it."""
    _to_requester(request, Kind.REQUEST_RECEIVED)
    _to_staff(request, Kind.STAFF_NEW_REQUEST)


def request_details_changed_notify(*, request: PresentationRequest, fields: list[str], sequence: int) -> None:
    """Tell the staff inbox which optional details the requester changed (``fields``: their names,
    never the values; ``sequence``: the audit entry). It links to the staff page, which shows them."""
    notification_queue(
        request=request,
        kind=Kind.STAFF_DETAILS_CHANGED,
        recipient=settings.STAFF_NOTIFICATION_EMAIL,
        sequence=sequence,
        context={"fields": fields},
    )


def status_link_notify(*, request: PresentationRequest) -> None:
    """Send the requester their status link again (they asked for it on the "Find my request" page)."""
    again = Notification.objects.filter(request=request, kind=Kind.STATUS_LINK).count()
    _to_requester(request, Kind.STATUS_LINK, sequence=again)


def request_withdrawn_notify(*, request: PresentationRequest) -> None:
    _to_requester(request, Kind.REQUEST_WITHDRAWN)
    _to_staff(request, Kind.STAFF_REQUEST_WITHDRAWN)


def request_declined_notify(*, request: PresentationRequest) -> None:
    _to_requester(request, Kind.REQUEST_DECLINED)


def request_expired_notify(*, request: PresentationRequest) -> None:
    _to_requester(request, Kind.REQUEST_EXPIRED)


def proposal_notify(*, proposal: Proposal) -> None:
    _to_requester(proposal.request, Kind.PROPOSAL, sequence=proposal.pk, context={"proposal": proposal})


def proposal_declined_notify(*, proposal: Proposal) -> None:
    notification_queue(
        request=proposal.request,
        kind=Kind.STAFF_PROPOSAL_DECLINED,
        recipient=settings.STAFF_NOTIFICATION_EMAIL,
        sequence=proposal.pk,
        context={"proposal": proposal},
    )


def proposal_accepted_notify(*, proposal: Proposal, booking: Booking) -> None:
    """Tell the staff inbox which proposed time the requester chose (the booking is made at it)."""
    notification_queue(
        request=proposal.request,
        kind=Kind.STAFF_PROPOSAL_ACCEPTED,
        recipient=settings.STAFF_NOTIFICATION_EMAIL,
        booking=booking,
        sequence=proposal.pk,
        context={"proposal": proposal},
    )


def booking_scheduled_notify(*, booking: Booking) -> None:
    """Confirmation to the requester and assignment to each presenter, each with a REQUEST invite."""
    seq = booking.sequence
    _to_requester(booking.request, Kind.BOOKING_CONFIRMED, booking=booking, sequence=seq, invite_method=REQUEST)
    _to_presenters(booking, Kind.PRESENTER_ASSIGNED, booking.presenters(), REQUEST)


def booking_changed_notify(*, booking: Booking, added: list[Presenter], removed: list[Presenter]) -> None:
    """Update (REQUEST, new SEQUENCE) to the requester and the presenters who stay; an assignment
    (REQUEST) to one added; CANCEL to one removed."""
    seq = booking.sequence
    _to_requester(booking.request, Kind.BOOKING_UPDATED, booking=booking, sequence=seq, invite_method=REQUEST)
    _to_presenters(booking, Kind.PRESENTER_UPDATED, [p for p in booking.presenters() if p not in added], REQUEST)
    _to_presenters(booking, Kind.PRESENTER_ASSIGNED, [p for p in booking.presenters() if p in added], REQUEST)
    for presenter in removed:
        _to_presenters(booking, Kind.PRESENTER_REMOVED, [presenter], CANCEL, invite_presenters=[presenter])


def booking_cancelled_notify(*, booking: Booking) -> None:
    seq = booking.sequence
    _to_requester(booking.request, Kind.BOOKING_CANCELLED, booking=booking, sequence=seq, invite_method=CANCEL)
    _to_presenters(booking, Kind.PRESENTER_CANCELLED, booking.presenters(), CANCEL)
    _to_staff(booking.request, Kind.STAFF_BOOKING_CANCELLED, booking=booking, sequence=seq)


def booking_completed_notify(*, booking: Booking) -> None:
    _to_requester(booking.request, Kind.THANK_YOU, booking=booking, sequence=booking.sequence)


def booking_reminder_notify(*, booking: Booking, kind: str) -> None:
    """A reminder (REMINDER_WEEK or REMINDER_DAY) with the logistics, to the requester and presenters."""
    _to_requester(booking.request, kind, booking=booking, sequence=booking.sequence)
    _to_presenters(booking, kind, booking.presenters())


@transaction.atomic
def reminders_queue_due() -> int:
    """Queue every reminder that is due and not yet sent; safe to run as often as wanted."""
    queued = 0
    for kind in REMINDER_WINDOWS:
        for booking in bookings_due_for_reminder(kind=kind):
            booking_reminder_notify(booking=booking, kind=kind)
            queued += 1
    return queued


# --- Outcomes: the host evaluation's reminder --------------------------------------------------


def evaluation_reminder_notify(*, booking: Booking) -> None:
    """The one reminder to the requester to answer the host evaluation (its link is in the body)."""
    _to_requester(booking.request, Kind.EVALUATION_REMINDER, booking=booking, sequence=booking.sequence)


# --- The requester's status link -------------------------------------------------------------


def status_link_renewed_notify(*, request: PresentationRequest, sequence: int) -> None:
    """The requester's new status link, after staff replaced the old ones (``sequence``: the audit entry)."""
    _to_requester(request, Kind.STATUS_LINK_RENEWED, sequence=sequence)
