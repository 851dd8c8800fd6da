"""The iCalendar text of the feeds and of a requester's own booking, and links to calendar services.

Events carry the invites' UID and SEQUENCE (scheduling.ical.event_new), so an invitee who also
subscribes sees one event; times are UTC. DTSTAMP and LAST-MODIFIED come from the stored change
time (Booking.updated_at), so the body is byte-identical while nothing changes. Escaping and line
folding are the icalendar library's; control characters iCalendar cannot carry are dropped first.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, Event, vDuration

from calendars.selectors import (
    PUBLIC,
    STAFF,
    Feed,
    co_presenter_names,
    feed_bookings,
    pending_windows,
    public_feed_rows,
)
from common.collector import collector_paused
from outreach.enums import Format
from outreach.models import ERASED_LABEL, Presentation, RequestWindow
from scheduling.ical import booking_location, calendar_new, event_new, utc, vevent
from scheduling.models import Booking
from scheduling.models.bookings import calendar_uid

REFRESH_INTERVAL = timedelta(hours=1)
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


def _text(value: str) -> str:
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
class _Texts:
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
    def resolve(cls) -> "_Texts":
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

    def summary(self, booking: Booking, text: str) -> str:
        return f"{self.cancelled}{text}" if booking.cancelled_at else text


def _booking_event(booking: Booking, *, summary: str, location: str, description: str, url: str) -> Event:
    """A booking's event in a feed or a download: stamped with its last change, its text made safe."""
    return event_new(
        booking=booking,
        summary=_text(summary),
        stamp=booking.updated_at,
        last_modified=booking.updated_at,
        location=_text(location),
        description=_text(description),
        url=url,
    )


def _public_events_add(cal: Calendar, texts: _Texts, *, now: datetime) -> None:
    """The public feed's events, from plain rows (public_feed_rows): the same text as _public_event
    gives a booking, without the three model instances per event that would cost as much again."""
    rows, presentations = public_feed_rows(now=now)
    online = str(ONLINE)
    pages = {pk: texts.presentation_page(presentation) for pk, presentation in presentations.items()}
    titles = {pk: texts.title(presentation) for pk, presentation in presentations.items()}
    summaries = {pk: presentation.summary for pk, presentation in presentations.items()}
    format_lines = {value: texts.format_line % {"format": label} for value, label in texts.formats.items()}
    for (
        uid,
        sequence,
        start,
        end,
        format_,
        updated_at,
        cancelled_at,
        presentation_id,
        organization_name,
        is_open_to_public,
        venue,
        registration_url,
        no_registration_needed,
    ) in rows:
        lines = [summaries[presentation_id], format_lines[format_]]
        if is_open_to_public:
            lines.append(texts.open_to_public)
            if registration_url:
                lines.append(texts.register_at % {"url": registration_url})
            elif no_registration_needed:
                lines.append(texts.open_to_all)
        title = f"{titles[presentation_id]} – {organization_name}"
        if format_ == Format.VIRTUAL:
            location = online
        else:
            location = venue if is_open_to_public else ""
        cal.add_component(
            vevent(
                uid=uid,
                sequence=sequence,
                start=start,
                end=end,
                summary=_text(f"{texts.cancelled}{title}" if cancelled_at else title),
                status="CANCELLED" if cancelled_at else "CONFIRMED",
                stamp=updated_at,
                last_modified=updated_at,
                location=_text(location),
                description=_text("\n".join(lines)),
                url=pages[presentation_id],
            )
        )


def _private_location(booking: Booking) -> str:
    """Where a private feed says a booking takes place; ERASED_LABEL for an erased in-person one."""
    return booking_location(booking) or (ERASED_LABEL if booking.request.erased_at is not None else "")


def _logistics(booking: Booking, texts: _Texts, *, co_presenters: list[str], staff: bool) -> str:
    """The event's details in a private feed. An erased request's organization, contact and place
    read ERASED_LABEL: the event stays (presenters and staff keep their history), its requester does not."""
    request = booking.request
    contact = [request.contact_name, request.contact_role, request.contact_email, request.contact_phone]
    audience = f"{booking.audience_name}, about {request.audience_size} people"
    lines = [
        f"Reference: {request.reference}",
        f"Presentation: {texts.title(request.presentation)}",
        f"Organization: {request.organization_label}",
        f"Contact: {ERASED_LABEL if request.erased_at else ', '.join(part for part in contact if part)}",
        f"Audience: {audience}" + (f" ({request.age_range})" if request.age_range else ""),
        f"Language: {booking.language_name}",
        f"Format: {texts.formats[booking.format]}",
        f"Where: {_private_location(booking)}",
        f"Presenters: {', '.join([booking.lead_name, *co_presenters])}",
    ]
    if request.accessibility_needs:
        lines.append(f"Accessibility or interpreter needs: {request.accessibility_needs}")
    if request.notes:
        lines.append(f"Notes: {request.notes}")
    if staff:
        lines.append(f"Staff page: {texts.staff_page.format(pk=request.pk)}")
    else:
        lines.append(f"Confirm or decline: {texts.presenter_page.format(pk=booking.pk)}")
    return "\n".join(lines)


def _private_event(booking: Booking, texts: _Texts, *, co_presenters: list[str], staff: bool) -> Event:
    """A booking in a private feed; its link opens the staff's request page, or the presenter's own
    page for the booking (where they confirm or decline it)."""
    request = booking.request
    return _booking_event(
        booking,
        summary=texts.summary(booking, f"{texts.title(request.presentation)} – {request.organization_label}"),
        location=_private_location(booking),
        description=_logistics(booking, texts, co_presenters=co_presenters, staff=staff),
        url=texts.staff_page.format(pk=request.pk) if staff else texts.presenter_page.format(pk=booking.pk),
    )


def _window_event(window: RequestWindow, texts: _Texts) -> Event:
    """A pending request's preferred window: TENTATIVE and not blocking time."""
    request = window.request
    staff_page = texts.staff_page.format(pk=request.pk)
    lines = [
        f"Reference: {request.reference} (preferred time {window.position})",
        f"Organization: {request.organization_name}, {request.city} ({request.get_county_display()})",
        f"Audience: {request.audience.name}, about {request.audience_size} people",
        f"Decide: {staff_page}",
    ]
    return vevent(
        uid=calendar_uid(f"request-{request.reference}-window-{window.position}"),
        sequence=0,
        start=window.start,
        end=window.end,
        summary=_text(f"{texts.pending}{request.presentation.title} – {request.organization_name}"),
        status="TENTATIVE",
        stamp=request.status_changed_at,
        last_modified=request.status_changed_at,
        description=_text("\n".join(lines)),
        url=staff_page,
        transparent=True,
    )


def feed_calendar_new(*, name: str) -> Calendar:
    """An empty published calendar: name, time zone for display, and a one-hour refresh hint."""
    cal = calendar_new(method="PUBLISH", name=name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    return cal


def feed_calendar(*, feed: Feed, now: datetime) -> bytes:
    """The feed's iCalendar text at ``now``: two or three queries whatever the number of events.

    Built with the cyclic garbage collector paused (common.collector): the events are acyclic and
    reference counting frees them; the collector's walks otherwise cost a fifth of a large build."""
    with collector_paused():
        cal = feed_calendar_new(name=feed.name)
        texts = _Texts.resolve()
        if feed.kind == PUBLIC:
            _public_events_add(cal, texts, now=now)
        else:
            staff = feed.kind == STAFF
            co_presenters = co_presenter_names(feed=feed, now=now)
            for booking in feed_bookings(feed=feed, now=now):
                cal.add_component(
                    _private_event(booking, texts, co_presenters=co_presenters.get(booking.pk, []), staff=staff)
                )
            if staff and feed.tentative:
                for window in pending_windows(now=now):
                    cal.add_component(_window_event(window, texts))
        return cal.to_ical()


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
