"""The calendar feeds' iCalendar text (public, presenter, staff).

calendars.builders holds what events say; scheduling.ical the VEVENT.
"""

from datetime import datetime, timedelta

from django.conf import settings
from icalendar import Calendar, Event, vDuration

from calendars.builders import ONLINE, FeedTexts, booking_event, calendar_text
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
from outreach.models import ERASED_LABEL, RequestWindow
from scheduling.ical import booking_location, calendar_new, vevent
from scheduling.models import Booking
from scheduling.models.bookings import calendar_uid

REFRESH_INTERVAL = timedelta(hours=1)


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
        texts = FeedTexts.resolve()
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


def _public_events_add(cal: Calendar, texts: FeedTexts, *, now: datetime) -> None:
    """The public feed's events, from plain rows (public_feed_rows): no model instance per event."""
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
                summary=calendar_text(f"{texts.cancelled}{title}" if cancelled_at else title),
                status="CANCELLED" if cancelled_at else "CONFIRMED",
                stamp=updated_at,
                last_modified=updated_at,
                location=calendar_text(location),
                description=calendar_text("\n".join(lines)),
                url=pages[presentation_id],
            )
        )


def _private_location(booking: Booking) -> str:
    """Where a private feed says a booking takes place; ERASED_LABEL for an erased in-person one."""
    return booking_location(booking) or (ERASED_LABEL if booking.request.erased_at is not None else "")


def _logistics(booking: Booking, texts: FeedTexts, *, co_presenters: list[str], staff: bool) -> str:
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


def _private_event(booking: Booking, texts: FeedTexts, *, co_presenters: list[str], staff: bool) -> Event:
    """A booking in a private feed; its link opens the staff's request page, or the presenter's own
    page for the booking (where they confirm or decline it)."""
    request = booking.request
    return booking_event(
        booking,
        summary=texts.summary(booking, f"{texts.title(request.presentation)} – {request.organization_label}"),
        location=_private_location(booking),
        description=_logistics(booking, texts, co_presenters=co_presenters, staff=staff),
        url=texts.staff_page.format(pk=request.pk) if staff else texts.presenter_page.format(pk=booking.pk),
    )


def _window_event(window: RequestWindow, texts: FeedTexts) -> Event:
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
        summary=calendar_text(f"{texts.pending}{request.presentation.title} – {request.organization_name}"),
        status="TENTATIVE",
        stamp=request.status_changed_at,
        last_modified=request.status_changed_at,
        description=calendar_text("\n".join(lines)),
        url=staff_page,
        transparent=True,
    )
