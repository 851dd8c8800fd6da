"""Calendar invites sent by email (RFC 5546 iTIP over RFC 6047 iMIP).

REQUEST for the first invite and every update, CANCEL (with STATUS:CANCELLED) for a
cancellation or a presenter taken off a booking; never PUBLISH. Every invite for a booking
carries its UID and current SEQUENCE, so calendars update the one event they already have.
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from icalendar import Calendar, vText

from common.dates import time_span
from scheduling.ical import attendees_add, booking_location, calendar_new, event_new, organizer, utc
from scheduling.models import Booking, Presenter

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def _description(booking: Booking, *, status_url: str) -> str:
    """The invite's DESCRIPTION, in the active language (the recipient's)."""
    request = booking.request
    size = request.audience_size
    lines = [
        # Translators: lines of a calendar invite's description; keep each value's %(...)s placeholder.
        gettext("Presentation: %(title)s") % {"title": request.presentation.title},
        gettext("When: %(time)s (Central time)") % {"time": time_span(booking.start, booking.end, zone=False)},
        gettext("Organization: %(organization)s") % {"organization": request.organization_name},
        gettext("Contact: %(contact)s")
        % {"contact": f"{request.contact_name}, {request.contact_email}, {request.contact_phone}"},
        gettext("Audience: %(audience)s, %(size)s")
        % {
            "audience": request.audience.name,
            "size": ngettext("about %(count)s person", "about %(count)s people", size) % {"count": size},
        },
        gettext("Where: %(place)s") % {"place": booking_location(booking)},
        gettext("Presenters: %(names)s") % {"names": ", ".join(p.name for p in booking.presenters())},
    ]
    if request.accessibility_needs:
        lines.append(gettext("Accessibility or interpreter needs: %(needs)s") % {"needs": request.accessibility_needs})
    if status_url:
        lines.append(gettext("Request status: %(url)s") % {"url": status_url})
    return "\n".join(lines)


def _in_language(text: str, language: str) -> vText:
    value = vText(text)
    value.params["LANGUAGE"] = language
    return value


def invite_calendar(
    *, booking: Booking, method: str, status_url: str = "", presenters: list[Presenter] | None = None
) -> Calendar:
    """The invite for ``booking``: METHOD ``method``, with every current presenter as attendee.

    ``status_url`` goes into DESCRIPTION and URL for the requester's copy only; presenters'
    copies point to the program's site instead. SUMMARY and DESCRIPTION are in the active
    language, which their LANGUAGE parameter names (RFC 5545, 3.2.10).
    """
    request = booking.request
    presenters = booking.presenters() if presenters is None else presenters
    cal = calendar_new(method=method)
    language = get_language() or settings.LANGUAGE_CODE
    event = event_new(
        booking=booking,
        summary=_in_language(f"{request.presentation.title} – {request.organization_name}", language),
        stamp=timezone.now(),
        status="CANCELLED" if method == CANCEL else "CONFIRMED",
        location=booking_location(booking),
        description=_in_language(_description(booking, status_url=status_url), language),
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
