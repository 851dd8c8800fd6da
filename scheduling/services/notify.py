"""What each change sends, to whom: the rows it writes to the notification outbox.

A row is written inside the caller's transaction, rendered then (subject, text, HTML and the
calendar invite as of that change), and handed to a worker only after the transaction commits
(``delivery``, which also sends it). One row per request, kind, recipient and SEQUENCE, so the
same change cannot queue the same message twice.
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from common.contact import program_contact
from common.dates import day_short
from common.languages import url_in_language
from common.links import link_placeholder
from common.models import LinkPurpose
from outreach.models import PresentationRequest, request_status_url
from scheduling.invites import CANCEL, REQUEST, invite_calendar
from scheduling.models import Booking, Notification, NotificationKind, Presenter, Proposal
from scheduling.selectors import REMINDER_WINDOWS, bookings_due_for_reminder
from scheduling.services.delivery import notification_enqueue

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
