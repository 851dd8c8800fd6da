"""Calendar invites sent by email (RFC 5546 iTIP over RFC 6047 iMIP).

REQUEST for the first invite and every update, CANCEL (with STATUS:CANCELLED) for a
cancellation or a presenter taken off a booking; never PUBLISH. Every invite for a booking
carries its UID and current SEQUENCE, so calendars update the one event they already have.
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from icalendar import Calendar

from scheduling.ical import attendees_add, booking_location, calendar_new, event_new, organizer, utc
from scheduling.models import Booking, Presenter

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def _description(booking: Booking, *, status_url: str) -> str:
    request = booking.request
    start = timezone.localtime(booking.start)
    lines = [
        f"Presentation: {request.presentation.title}",
        f"When: {date_format(start, 'l, F j, Y')}, {date_format(start, 'P')} – "
        f"{date_format(timezone.localtime(booking.end), 'P')} (Central time)",
        f"Organization: {request.organization_name}",
        f"Contact: {request.contact_name}, {request.contact_email}, {request.contact_phone}",
        f"Audience: {request.audience.name}, about {request.audience_size} people",
        f"Where: {booking_location(booking)}",
        f"Presenters: {', '.join(p.name for p in booking.presenters())}",
    ]
    if request.accessibility_needs:
        lines.append(f"Accessibility or interpreter needs: {request.accessibility_needs}")
    if status_url:
        lines.append(f"Request status: {status_url}")
    return "\n".join(lines)


def invite_calendar(
    *, booking: Booking, method: str, status_url: str = "", presenters: list[Presenter] | None = None
) -> Calendar:
    """The invite for ``booking``: METHOD ``method``, with every current presenter as attendee.

    ``status_url`` goes into DESCRIPTION and URL for the requester's copy only; presenters'
    copies point to the program's site instead.
    """
    request = booking.request
    presenters = booking.presenters() if presenters is None else presenters
    cal = calendar_new(method=method)
    event = event_new(
        booking=booking,
        summary=f"{request.presentation.title} – {request.organization_name}",
        stamp=timezone.now(),
        status="CANCELLED" if method == CANCEL else "CONFIRMED",
        location=booking_location(booking),
        description=_description(booking, status_url=status_url),
        url=status_url or settings.SITE_URL + "/",
    )
    event.add("organizer", organizer())
    attendees_add(event, booking=booking, presenters=presenters)
    cal.add_component(event)
    return cal


def invite_restamp(ics: str, *, stamp: datetime) -> str:
    """The same invite with DTSTAMP set to ``stamp`` (the moment it is actually sent)."""
    cal = Calendar.from_ical(ics)
    for event in cal.walk("VEVENT"):
        event.pop("DTSTAMP", None)
        event.add("dtstamp", utc(stamp))
    return cal.to_ical().decode("utf-8")
