"""The calendar feeds' iCalendar text (public, presenter, staff), built from plain rows.

Each event is built from one row of the columns it shows (calendars.selectors), not from model
instances: building three of them per event (a booking, its request, its presentation) cost as
much as writing its text. calendars.builders holds what events say; scheduling.ical the VEVENT.
A private feed's event opens the staff's request page, or the presenter's own page for the
booking (where they confirm or decline it). An erased request's organization, contact and place
read ERASED_LABEL: the event stays (presenters and staff keep their history), its requester does not.
"""

from datetime import datetime, timedelta

from django.conf import settings
from icalendar import Calendar, Event, vDuration

from calendars.builders import ONLINE, FeedTexts, calendar_text
from calendars.selectors import PUBLIC, STAFF, Feed, public_feed_rows
from calendars.selectors.private import co_presenter_names, pending_window_rows, private_feed_rows
from common.collector import collector_paused
from outreach.enums import COUNTY_CHOICES, Format
from outreach.models import ERASED_LABEL
from scheduling.ical import calendar_new, vevent
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
            _private_events_add(cal, texts, feed=feed, now=now)
            if feed.kind == STAFF and feed.tentative:
                _window_events_add(cal, texts, now=now)
        return cal.to_ical()


def _booking_event(
    texts: FeedTexts,
    *,
    uid: str,
    sequence: int,
    start: datetime,
    end: datetime,
    updated_at: datetime,
    cancelled_at: datetime | None,
    summary: str,
    location: str,
    lines: list[str],
    url: str,
) -> Event:
    """A booking in a feed: CONFIRMED, or CANCELLED with its summary saying so."""
    return vevent(
        uid=uid,
        sequence=sequence,
        start=start,
        end=end,
        summary=calendar_text(f"{texts.cancelled}{summary}" if cancelled_at else summary),
        status="CANCELLED" if cancelled_at else "CONFIRMED",
        stamp=updated_at,
        last_modified=updated_at,
        location=calendar_text(location),
        description=calendar_text("\n".join(lines)),
        url=url,
    )


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
            _booking_event(
                texts,
                uid=uid,
                sequence=sequence,
                start=start,
                end=end,
                updated_at=updated_at,
                cancelled_at=cancelled_at,
                summary=title,
                location=location,
                lines=lines,
                url=pages[presentation_id],
            )
        )


def _private_events_add(cal: Calendar, texts: FeedTexts, *, feed: Feed, now: datetime) -> None:
    """A presenter's or the staff feed's bookings, with their logistics, from plain rows (private_feed_rows)."""
    staff = feed.kind == STAFF
    co_presenters = co_presenter_names(feed=feed, now=now)
    virtual = texts.formats[Format.VIRTUAL]
    for (
        pk,
        uid,
        sequence,
        start,
        end,
        format_,
        location,
        virtual_link,
        updated_at,
        cancelled_at,
        request_id,
        reference,
        organization_name,
        contact_name,
        contact_role,
        contact_email,
        contact_phone,
        audience_size,
        age_range,
        accessibility_needs,
        notes,
        erased_at,
        audience_name,
        language_name,
        lead_name,
        title,
    ) in private_feed_rows(feed=feed, now=now):
        erased = erased_at is not None
        organization = ERASED_LABEL if erased else organization_name
        place = (virtual_link or virtual) if format_ == Format.VIRTUAL else location
        place = place or (ERASED_LABEL if erased else "")
        contact = [contact_name, contact_role, contact_email, contact_phone]
        page = texts.staff_page.format(pk=request_id) if staff else texts.presenter_page.format(pk=pk)
        lines = [
            f"Reference: {reference}",
            f"Presentation: {title}",
            f"Organization: {organization}",
            f"Contact: {ERASED_LABEL if erased else ', '.join(part for part in contact if part)}",
            f"Audience: {audience_name}, about {audience_size} people" + (f" ({age_range})" if age_range else ""),
            f"Language: {language_name}",
            f"Format: {texts.formats[format_]}",
            f"Where: {place}",
            f"Presenters: {', '.join([lead_name, *co_presenters.get(pk, ())])}",
        ]
        if accessibility_needs:
            lines.append(f"Accessibility or interpreter needs: {accessibility_needs}")
        if notes:
            lines.append(f"Notes: {notes}")
        lines.append(f"Staff page: {page}" if staff else f"Confirm or decline: {page}")
        summary = f"{title} – {organization}"
        cal.add_component(
            _booking_event(
                texts,
                uid=uid,
                sequence=sequence,
                start=start,
                end=end,
                updated_at=updated_at,
                cancelled_at=cancelled_at,
                summary=summary,
                location=place,
                lines=lines,
                url=page,
            )
        )


def _window_events_add(cal: Calendar, texts: FeedTexts, *, now: datetime) -> None:
    """Pending requests' preferred windows in the staff feed: TENTATIVE and not blocking time."""
    counties = {value: str(name) for value, name in COUNTY_CHOICES}
    for (
        position,
        start,
        end,
        request_id,
        reference,
        status_changed_at,
        organization_name,
        city,
        county,
        audience_size,
        title,
        audience_name,
    ) in pending_window_rows(now=now):
        page = texts.staff_page.format(pk=request_id)
        lines = [
            f"Reference: {reference} (preferred time {position})",
            f"Organization: {organization_name}, {city} ({counties.get(county, county)})",
            f"Audience: {audience_name}, about {audience_size} people",
            f"Decide: {page}",
        ]
        cal.add_component(
            vevent(
                uid=calendar_uid(f"request-{reference}-window-{position}"),
                sequence=0,
                start=start,
                end=end,
                summary=calendar_text(f"{texts.pending}{title} – {organization_name}"),
                status="TENTATIVE",
                stamp=status_changed_at,
                last_modified=status_changed_at,
                description=calendar_text("\n".join(lines)),
                url=page,
                transparent=True,
            )
        )
