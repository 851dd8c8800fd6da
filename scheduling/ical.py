"""Pure functions from bookings to iCalendar (RFC 5545) components, shared by invites and feeds.

Times are written in UTC (``DTSTART:20270314T150000Z``): every client reads them the same way
on any day, daylight-saving changes included, with no VTIMEZONE to misread. Escaping and line
folding are the icalendar library's, so user text cannot start a property of its own.
"""

from datetime import UTC, datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from outreach.enums import Format
from scheduling.models import Booking, Presenter

PRODID = "-//Outreach Scheduler//Presentations//EN"


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def calendar_new(*, method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("name", name)
        cal.add("x-wr-calname", name)
    return cal


def address(email: str, *, name: str = "", **params: str) -> vCalAddress:
    """A mailto: calendar address with CN and the given parameters (ROLE, PARTSTAT, RSVP, ...)."""
    value = vCalAddress(f"mailto:{email}")
    if name:
        value.params["CN"] = vText(name)
    for key, param in params.items():
        value.params[key.upper()] = param
    return value


def organizer() -> vCalAddress:
    """The program's monitored address (DEFAULT_FROM_EMAIL), which is also the From of every email."""
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address(email, name=name or settings.PROGRAM_NAME)


def booking_location(booking: Booking) -> str:
    if booking.format == Format.VIRTUAL:
        return booking.virtual_link or str(Format.VIRTUAL.label)
    return booking.location


def vevent(
    *,
    uid: str,
    sequence: int,
    start: datetime,
    end: datetime,
    summary: str,
    status: str,
    stamp: datetime,
    last_modified: datetime | None = None,
    location: str = "",
    description: str = "",
    url: str = "",
    transparent: bool = False,
) -> Event:
    """A VEVENT with its identity (UID, SEQUENCE), UTC times and the given text."""
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", utc(stamp))
    if last_modified is not None:
        event.add("last-modified", utc(last_modified))
    event.add("dtstart", utc(start))
    event.add("dtend", utc(end))
    event.add("summary", summary)
    event.add("status", status)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("transp", "TRANSPARENT" if transparent else "OPAQUE")
    return event


def event_new(*, booking: Booking, summary: str, stamp: datetime, status: str | None = None, **text) -> Event:
    """A booking's VEVENT: its UID, SEQUENCE and times; CANCELLED once cancelled, else CONFIRMED."""
    return vevent(
        uid=booking.uid,
        sequence=booking.sequence,
        start=booking.start,
        end=booking.end,
        summary=summary,
        status=status or ("CANCELLED" if booking.cancelled_at else "CONFIRMED"),
        stamp=stamp,
        **text,
    )


def attendees_add(event: Event, *, booking: Booking, presenters: list[Presenter]) -> None:
    """ATTENDEE lines for the requester's contact and each presenter, all asked to respond."""
    request = booking.request
    common = {"partstat": "NEEDS-ACTION", "rsvp": "TRUE", "cutype": "INDIVIDUAL"}
    event.add("attendee", address(request.contact_email, name=request.contact_name, role="REQ-PARTICIPANT", **common))
    for presenter in presenters:
        role = "CHAIR" if presenter.pk == booking.lead_presenter_id else "REQ-PARTICIPANT"
        event.add("attendee", address(presenter.email, name=presenter.name, role=role, **common))


def local_now() -> datetime:
    return timezone.localtime(timezone.now())
