"""What calendar events say (their labels, their safe text, the place the public listing gives), a
requester's own booking as a calendar and as add-to-calendar links, and the feeds' addresses.

The feeds themselves are calendars.feeds. Events carry the invites' UID and SEQUENCE
(scheduling.ical.event_new), so an invitee who also subscribes sees one event; times are UTC.
DTSTAMP and LAST-MODIFIED come from the stored change time (Booking.updated_at), so the body is
byte-identical while nothing changes. Escaping and line folding are the icalendar library's;
control characters iCalendar cannot carry are dropped first (``calendar_text``).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from icalendar import Event

from outreach.enums import Format
from outreach.models import Presentation
from scheduling.ical import booking_location, calendar_new, event_new, utc
from scheduling.models import Booking

# Translators: before the title of a cancelled presentation in a calendar (keep the space at the end).
CANCELLED_PREFIX = _("Cancelled: ")
# Translators: before the title of a request not yet decided, in the staff's calendar (keep the space at the end).
PENDING_PREFIX = _("Pending request: ")
# Translators: where a presentation given over the internet takes place, in the public listing.
ONLINE = _("Online")
OPEN_TO_PUBLIC = _("Open to the public.")
# Translators: a line of a public calendar event, followed by the web address where people register.
REGISTER_AT = _("Register: %(url)s")
OPEN_TO_ALL = _("Open to all, no registration needed.")

# C0 controls other than TAB and LF cannot appear in iCalendar text; CR becomes LF.
_CONTROLS = {code: None for code in [*range(0, 9), 11, 12, *range(14, 32), 127]} | {13: "\n"}


_HAS_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def calendar_text(value: str) -> str:
    """User text without the control characters iCalendar cannot carry (the library escapes the rest)."""
    if _HAS_CONTROLS.search(value) is None:  # nearly always: a search is far quicker than translate()
        return value
    return value.replace("\r\n", "\n").translate(_CONTROLS)


def public_place(booking: Booking) -> str:
    """Where the public listing says a presentation takes place: "Online" for a virtual one, the venue
    the requester gave for an in-person event open to the public, else nothing (never the mailing address)."""
    if booking.format == Format.VIRTUAL:
        return str(ONLINE)
    return booking.request.venue if booking.request.is_open_to_public else ""


def public_registration(booking: Booking) -> str:
    """The registration page the public listing links to: only for a talk open to the public."""
    return booking.request.registration_url if booking.request.is_open_to_public else ""


def public_no_registration(booking: Booking) -> bool:
    """Whether the public listing says anyone may come without registering (a talk open to the public)."""
    return (
        booking.request.is_open_to_public
        and booking.request.no_registration_needed
        and not public_registration(booking)
    )


# A number that cannot occur in the URL otherwise: reverse() once, then format the pk in.
_PK_MARK = 987654321


@dataclass
class FeedTexts:
    """Labels and links resolved once per calendar rather than once per event.

    Translating a lazy label and reverse() cost as much as the rest of an event's text.
    """

    formats: dict[str, str]
    format_line: str  # with %(format)s
    open_to_public: str
    register_at: str  # with %(url)s
    open_to_all: str
    cancelled: str
    pending: str
    staff_page: str  # with {pk}, the request's
    presenter_page: str  # with {pk}, the booking's
    presentation_pages: dict[str, str]
    titles: dict[int, str]

    @classmethod
    def resolve(cls) -> "FeedTexts":
        staff_page = reverse("staff:request_detail", args=[_PK_MARK]).replace(str(_PK_MARK), "{pk}")
        presenter_page = reverse("presenter:booking", args=[_PK_MARK]).replace(str(_PK_MARK), "{pk}")
        return cls(
            formats={value: str(label) for value, label in Format.choices},
            # Translators: a line of a public calendar event, as in "Format: In person".
            format_line=gettext("Format: %(format)s"),
            open_to_public=str(OPEN_TO_PUBLIC),
            register_at=str(REGISTER_AT),
            open_to_all=str(OPEN_TO_ALL),
            cancelled=str(CANCELLED_PREFIX),
            pending=str(PENDING_PREFIX),
            staff_page=settings.SITE_URL + staff_page,
            presenter_page=settings.SITE_URL + presenter_page,
            presentation_pages={},
            titles={},
        )

    def presentation_page(self, presentation: Presentation) -> str:
        url = self.presentation_pages.get(presentation.slug)
        if url is None:
            url = self.presentation_pages[presentation.slug] = settings.SITE_URL + presentation.get_absolute_url()
        return url

    def title(self, presentation: Presentation) -> str:
        """The presentation's title in the active language (a translated field's lookup, once per presentation)."""
        title = self.titles.get(presentation.pk)
        if title is None:
            title = self.titles[presentation.pk] = presentation.title
        return title


def _booking_event(booking: Booking, *, summary: str, location: str, description: str, url: str) -> Event:
    """A booking's event in a download: stamped with its last change, its text made safe."""
    return event_new(
        booking=booking,
        summary=calendar_text(summary),
        stamp=booking.updated_at,
        last_modified=booking.updated_at,
        location=calendar_text(location),
        description=calendar_text(description),
        url=url,
    )


# --- The requester's own booking ---------------------------------------------------------------


def _requester_summary(booking: Booking) -> str:
    return f"{booking.request.presentation.title} – {booking.request.organization_name}"


def _requester_details(booking: Booking) -> str:
    """The event's details for the requester, in the page's language (the invites' lines).

    No private link: this text goes to calendar services and into files that get shared."""
    return "\n".join(
        [
            gettext("Presentation: %(title)s") % {"title": booking.request.presentation.title},
            gettext("Where: %(place)s") % {"place": booking_location(booking)},
            gettext("Presenters: %(names)s") % {"names": ", ".join(p.name for p in booking.presenters())},
        ]
    )


def booking_calendar(*, booking: Booking) -> bytes:
    """One booking as a calendar to import; same UID and SEQUENCE as the invites the requester got.

    Its URL is the presentation's public page, never the private status link."""
    cal = calendar_new(method="PUBLISH")
    cal.add_component(
        _booking_event(
            booking,
            summary=_requester_summary(booking),
            location=booking_location(booking),
            description=_requester_details(booking),
            url=settings.SITE_URL + booking.request.presentation.get_absolute_url(),
        )
    )
    return cal.to_ical()


def booking_add_links(*, booking: Booking) -> dict[str, str]:
    """Links that open Google Calendar's and Outlook.com's new-event form filled in with the booking.

    They carry no private link: the calendar service keeps what it is given."""
    start, end = utc(booking.start), utc(booking.end)
    summary = _requester_summary(booking)
    location = booking_location(booking)
    details = _requester_details(booking)
    google = {
        "action": "TEMPLATE",
        "text": summary,
        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": details,
        "location": location,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": summary,
        "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
        "body": details,
        "location": location,
    }
    return {
        "google": "https://calendar.google.com/calendar/render?" + urlencode(google),
        "outlook": "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(outlook),
    }


def presenter_feed_url(token: str) -> str:
    """A presenter's private feed, as an absolute link."""
    return settings.SITE_URL + reverse("calendars:presenter", kwargs={"token": token})


def staff_feed_url(token: str) -> str:
    """A staff user's private feed, as an absolute link."""
    return settings.SITE_URL + reverse("calendars:staff", kwargs={"token": token})


def feed_subscribe_links(*, https_url: str, name: str) -> dict[str, str]:
    """A feed's address as https://, webcal:// and Google's and Outlook.com's subscribe links."""
    webcal = "webcal://" + https_url.split("://", 1)[-1]
    return {
        "https": https_url,
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}),
        "outlook": "https://outlook.live.com/calendar/0/addfromweb?" + urlencode({"url": https_url, "name": name}),
    }
