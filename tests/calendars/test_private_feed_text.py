"""The private feeds' exact text: every event of the staff feed (with and without pending requests'
windows) and of two presenters' feeds, field by field and byte for byte.

The expected calendars are written here from the data alone, with the icalendar library as the
feeds use it (property order, escaping, folding), so that any change to how the feeds are built
that changes a byte of what subscribers receive fails here.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from icalendar import Calendar, Event, vDuration

from outreach.enums import Format
from outreach.models import Language, Presentation, PresentationRequest, RequestWindow
from scheduling.models import Booking
from scheduling.services.retention import request_erase
from scheduling.services.review import booking_cancel, booking_complete
from tests.calendars.test_feeds import AN_HOUR_AGO, age, presenter_url, schedule, staff_url
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

PROGRAM = "Outreach Scheduler"
TITLE = "Recognizing and Responding: Schools"
ERASED = "(personal details erased)"
SITE = "https://outreach.test"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("coordinator", "coordinator@outreach.test", "pw", is_staff=True)


@pytest.fixture
def presenter(presentation):
    return PresenterFactory(name="Ruth Amundsen", presentations=[presentation])


@pytest.fixture
def rich(staff, presenter, presentation):
    """Six bookings and a pending request with two windows: in person and virtual (with and without a
    link), co-presenters, a booking in Spanish with an age range, needs and notes (one with a CR LF
    and a control character), a cancelled one, and two whose requests were erased (one completed in
    person, one cancelled virtual)."""
    spanish = Language.objects.get(code="es")
    tomasz = PresenterFactory(name="Tomasz Wieczorek", presentations=[presentation])
    amara = PresenterFactory(name="Amara Diallo", presentations=[presentation])
    shelter = schedule(
        by=staff,
        presenter=presenter,
        co_presenters=(tomasz, amara),
        start=days_ahead(40, 10),
        location="Cornerstone House, 2217 Elm Ave, back entrance",
        organization_name="Cornerstone House Shelter",
        contact_name="Abena Okafor",
        contact_role="Program director",
        contact_email="abena.okafor@cornerstone.example",
        contact_phone="+1 218-555-0134",
        audience_size=25,
        age_range="Adults 18-24",
        accessibility_needs="Interpreter in Somali for two residents",
        notes="Gate code 4471\r\nRing twice\x07",
    )
    PresentationRequest.objects.filter(pk=shelter.request_id).update(language=spanish)  # given in Spanish
    online = schedule(
        by=staff,
        presenter=presenter,
        start=days_ahead(41, 13),
        fmt=Format.VIRTUAL,
        location="",
        virtual_link="https://meet.example.com/j/8861-secret",
        organization_name="Lakeside Clinic",
        contact_name="Marcus Lindqvist",
        contact_role="",
        contact_email="marcus@lakeside.example",
        contact_phone="",
        notes="Cameras on, please",
    )
    no_link = schedule(
        by=staff,
        presenter=tomasz,
        co_presenters=(presenter,),
        start=days_ahead(42, 9),
        fmt=Format.VIRTUAL,
        location="",
        organization_name="Two Harbors Public Library",
    )
    cancelled = schedule(by=staff, presenter=tomasz, start=days_ahead(43, 9), organization_name="Riverside Drop-in")
    booking_cancel(request=cancelled.request, by=staff, reason="Snow")
    erased = schedule(by=staff, presenter=presenter, start=days_ahead(44, 10), organization_name="Hillcrest Academy")
    past = (timezone.now() - timedelta(days=2)).replace(microsecond=0)
    Booking.objects.filter(pk=erased.pk).update(start=past - timedelta(hours=1), end=past)
    booking_complete(request=erased.request, by=staff, attendance=35)
    request_erase(request=erased.request, by=staff)
    erased_online = schedule(
        by=staff,
        presenter=presenter,
        start=days_ahead(45, 15),
        fmt=Format.VIRTUAL,
        location="",
        virtual_link="https://meet.example.com/j/4242",
        organization_name="Pine County Sheriff's Office",
    )
    booking_cancel(request=erased_online.request, by=staff, reason="Budget")
    request_erase(request=erased_online.request, by=staff)
    pending = PresentationRequestFactory(
        presentation=presentation,
        organization_name="Hope Lutheran Church",
        city="Duluth",
        county="st_louis",
        audience_size=60,
        windows=[],
    )
    RequestWindow.objects.create(request=pending, position=2, start=days_ahead(31, 14), end=days_ahead(31, 15))
    RequestWindow.objects.create(request=pending, position=1, start=days_ahead(30, 9), end=days_ahead(30, 10))
    PresentationRequest.objects.filter(pk=pending.pk).update(status_changed_at=AN_HOUR_AGO - timedelta(minutes=5))
    bookings = {
        "shelter": shelter,
        "online": online,
        "no_link": no_link,
        "cancelled": cancelled,
        "erased": erased,
        "erased_online": erased_online,
    }
    age(*bookings.values())
    return {
        **{name: Booking.objects.get(pk=booking.pk) for name, booking in bookings.items()},
        "pending": PresentationRequest.objects.get(pk=pending.pk),
        "tomasz": tomasz,
    }


def at(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def booking_event(booking: Booking, *, summary: str, location: str, lines: list[str], url: str) -> dict:
    return {
        "UID": booking.uid,
        "SEQUENCE": booking.sequence,
        "DTSTAMP": at(AN_HOUR_AGO),
        "LAST-MODIFIED": at(AN_HOUR_AGO),
        "DTSTART": at(booking.start),
        "DTEND": at(booking.end),
        "SUMMARY": summary,
        "STATUS": "CANCELLED" if booking.cancelled_at else "CONFIRMED",
        "LOCATION": location,
        "DESCRIPTION": "\n".join(lines),
        "URL": url,
        "TRANSP": "OPAQUE",
    }


def rich_events(rich: dict, *, staff: bool) -> dict[str, dict]:
    """Every booking's event as the staff feed (``staff``) or a presenter's feed shows it, by name."""

    def link(booking: Booking) -> str:
        if staff:
            return f"{SITE}/staff/requests/{booking.request_id}/"
        return f"{SITE}/my/bookings/{booking.pk}/"

    def last(booking: Booking) -> str:
        return f"Staff page: {link(booking)}" if staff else f"Confirm or decline: {link(booking)}"

    shelter, online, no_link = rich["shelter"], rich["online"], rich["no_link"]
    cancelled, erased, erased_online = rich["cancelled"], rich["erased"], rich["erased_online"]
    hall = "Cornerstone House, 2217 Elm Ave, back entrance"
    standard_contact = "Contact: Dana Whitfield, Youth director, dana@example.net, +1 507-555-0142"
    return {
        "shelter": booking_event(
            shelter,
            summary=f"{TITLE} – Cornerstone House Shelter",
            location=hall,
            url=link(shelter),
            lines=[
                f"Reference: {shelter.request.reference}",
                f"Presentation: {TITLE}",
                "Organization: Cornerstone House Shelter",
                "Contact: Abena Okafor, Program director, abena.okafor@cornerstone.example, +1 218-555-0134",
                "Audience: Educators and school staff, about 25 people (Adults 18-24)",
                "Language: Spanish",
                "Format: In person",
                f"Where: {hall}",
                "Presenters: Ruth Amundsen, Amara Diallo, Tomasz Wieczorek",
                "Accessibility or interpreter needs: Interpreter in Somali for two residents",
                "Notes: Gate code 4471\nRing twice",
                last(shelter),
            ],
        ),
        "online": booking_event(
            online,
            summary=f"{TITLE} – Lakeside Clinic",
            location="https://meet.example.com/j/8861-secret",
            url=link(online),
            lines=[
                f"Reference: {online.request.reference}",
                f"Presentation: {TITLE}",
                "Organization: Lakeside Clinic",
                "Contact: Marcus Lindqvist, marcus@lakeside.example",
                "Audience: Educators and school staff, about 40 people",
                "Language: English",
                "Format: Virtual",
                "Where: https://meet.example.com/j/8861-secret",
                "Presenters: Ruth Amundsen",
                "Notes: Cameras on, please",
                last(online),
            ],
        ),
        "no_link": booking_event(
            no_link,
            summary=f"{TITLE} – Two Harbors Public Library",
            location="Virtual",
            url=link(no_link),
            lines=[
                f"Reference: {no_link.request.reference}",
                f"Presentation: {TITLE}",
                "Organization: Two Harbors Public Library",
                standard_contact,
                "Audience: Educators and school staff, about 40 people",
                "Language: English",
                "Format: Virtual",
                "Where: Virtual",
                "Presenters: Tomasz Wieczorek, Ruth Amundsen",
                last(no_link),
            ],
        ),
        "cancelled": booking_event(
            cancelled,
            summary=f"Cancelled: {TITLE} – Riverside Drop-in",
            location="100 Division St S, Fellowship Hall",
            url=link(cancelled),
            lines=[
                f"Reference: {cancelled.request.reference}",
                f"Presentation: {TITLE}",
                "Organization: Riverside Drop-in",
                standard_contact,
                "Audience: Educators and school staff, about 40 people",
                "Language: English",
                "Format: In person",
                "Where: 100 Division St S, Fellowship Hall",
                "Presenters: Tomasz Wieczorek",
                last(cancelled),
            ],
        ),
        "erased": booking_event(
            erased,
            summary=f"{TITLE} – {ERASED}",
            location=ERASED,
            url=link(erased),
            lines=[
                f"Reference: {erased.request.reference}",
                f"Presentation: {TITLE}",
                f"Organization: {ERASED}",
                f"Contact: {ERASED}",
                "Audience: Educators and school staff, about 40 people",
                "Language: English",
                "Format: In person",
                f"Where: {ERASED}",
                "Presenters: Ruth Amundsen",
                last(erased),
            ],
        ),
        "erased_online": booking_event(
            erased_online,
            summary=f"Cancelled: {TITLE} – {ERASED}",
            location="Virtual",
            url=link(erased_online),
            lines=[
                f"Reference: {erased_online.request.reference}",
                f"Presentation: {TITLE}",
                f"Organization: {ERASED}",
                f"Contact: {ERASED}",
                "Audience: Educators and school staff, about 40 people",
                "Language: English",
                "Format: Virtual",
                "Where: Virtual",
                "Presenters: Ruth Amundsen",
                last(erased_online),
            ],
        ),
    }


def window_event(
    request: PresentationRequest, position: int, *, title: str, place: str, audience: str, pending: str
) -> dict:
    window = request.windows.get(position=position)
    page = f"{SITE}/staff/requests/{request.pk}/"
    return {
        "UID": f"request-{request.reference}-window-{position}@outreach.test",
        "SEQUENCE": 0,
        "DTSTAMP": at(request.status_changed_at),
        "LAST-MODIFIED": at(request.status_changed_at),
        "DTSTART": at(window.start),
        "DTEND": at(window.end),
        "SUMMARY": f"{pending}{title} – {request.organization_name}",
        "STATUS": "TENTATIVE",
        "LOCATION": "",
        "DESCRIPTION": "\n".join(
            [
                f"Reference: {request.reference} (preferred time {position})",
                f"Organization: {request.organization_name}, {place}",
                f"Audience: {audience}, about {request.audience_size} people",
                f"Decide: {page}",
            ]
        ),
        "URL": page,
        "TRANSP": "TRANSPARENT",
    }


def fields_of(body: bytes) -> list[dict]:
    """The events of a calendar as a subscriber's calendar reads them, in order."""
    return [
        {
            "UID": str(event["UID"]),
            "SEQUENCE": event["SEQUENCE"],
            "DTSTAMP": event.decoded("DTSTAMP"),
            "LAST-MODIFIED": event.decoded("LAST-MODIFIED"),
            "DTSTART": event.decoded("DTSTART"),
            "DTEND": event.decoded("DTEND"),
            "SUMMARY": str(event["SUMMARY"]),
            "STATUS": str(event["STATUS"]),
            "LOCATION": str(event.get("LOCATION", "")),
            "DESCRIPTION": str(event["DESCRIPTION"]),
            "URL": str(event["URL"]),
            "TRANSP": str(event["TRANSP"]),
        }
        for event in Calendar.from_ical(body).walk("VEVENT")
    ]


def expected_body(name: str, events: list[dict]) -> bytes:
    """The calendar a feed named ``name`` holding ``events`` must be, byte for byte."""
    cal = Calendar()
    for key, value in [
        ("prodid", "-//Outreach Scheduler//Presentations//EN"),
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("method", "PUBLISH"),
        ("name", name),
        ("x-wr-calname", name),
        ("x-wr-timezone", "America/Chicago"),
    ]:
        cal.add(key, value)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(timedelta(hours=1)))
    for fields in events:
        event = Event()
        for key, value in fields.items():
            if value != "" or key != "LOCATION":
                event.add(key.lower(), value)
        cal.add_component(event)
    return cal.to_ical()


def test_staff_feed_shows_every_booking_exactly(client, rich, staff):
    body = client.get(staff_url(staff)).content

    events = rich_events(rich, staff=True)
    order = ["erased", "shelter", "online", "no_link", "cancelled", "erased_online"]
    assert fields_of(body) == [events[name] for name in order]
    assert body == expected_body(f"{PROGRAM}: all bookings", [events[name] for name in order])


def test_staff_feed_with_windows_adds_the_pending_requests_exactly(client, rich, staff):
    body = client.get(staff_url(staff) + "?tentative=1").content

    events = rich_events(rich, staff=True)
    order = ["erased", "shelter", "online", "no_link", "cancelled", "erased_online"]
    windows = [
        window_event(
            rich["pending"],
            position,
            title=TITLE,
            place="Duluth (St. Louis)",
            audience="Educators and school staff",
            pending="Pending request: ",
        )
        for position in (1, 2)
    ]
    expected = [events[name] for name in order] + windows
    assert fields_of(body) == expected
    assert body == expected_body(f"{PROGRAM}: all bookings and pending requests", expected)


def test_presenter_feeds_show_their_bookings_exactly(client, rich, presenter):
    ruth = client.get(presenter_url(presenter)).content
    tomasz = client.get(presenter_url(rich["tomasz"])).content

    events = rich_events(rich, staff=False)
    ruths = [events[name] for name in ("erased", "shelter", "online", "no_link", "erased_online")]
    tomaszs = [events[name] for name in ("shelter", "no_link", "cancelled")]
    assert fields_of(ruth) == ruths
    assert ruth == expected_body(f"{PROGRAM}: Ruth Amundsen", ruths)
    assert fields_of(tomasz) == tomaszs
    assert tomasz == expected_body(f"{PROGRAM}: Tomasz Wieczorek", tomaszs)


@override_settings(STAFF_LANGUAGE="es")
def test_staff_feed_in_spanish_shows_translated_titles_and_labels_exactly(client, staff, presenter, presentation):
    Presentation.objects.filter(pk=presentation.pk).update(title_es="Reconocer y responder: escuelas")
    booking = schedule(by=staff, presenter=presenter, start=days_ahead(40, 10), organization_name="Escuela Central")
    cancelled = schedule(by=staff, presenter=presenter, start=days_ahead(41, 10), fmt=Format.VIRTUAL, location="")
    booking_cancel(request=cancelled.request, by=staff, reason="Nieve")
    age(booking, cancelled)
    pending = PresentationRequestFactory(presentation=presentation, organization_name="Iglesia", county="outside_mn")
    PresentationRequest.objects.filter(pk=pending.pk).update(status_changed_at=AN_HOUR_AGO - timedelta(minutes=5))
    pending = PresentationRequest.objects.get(pk=pending.pk)
    booking, cancelled = Booking.objects.get(pk=booking.pk), Booking.objects.get(pk=cancelled.pk)

    body = client.get(staff_url(staff) + "?tentative=1").content

    title = "Reconocer y responder: escuelas"
    with translation.override("es"):
        in_person, virtual = pgettext("presentation format", "In person"), pgettext("presentation format", "Virtual")
        cancelled_prefix, pending_prefix = gettext("Cancelled: "), gettext("Pending request: ")
        outside = gettext("Outside Minnesota")
        name = gettext("%(program)s: all bookings and pending requests") % {"program": PROGRAM}
    assert (in_person, cancelled_prefix, pending_prefix, outside) == (
        "En persona",
        "Cancelada: ",
        "Solicitud pendiente: ",
        "Fuera de Minnesota",
    )

    def lines(b: Booking, organization: str, fmt: str, where: str) -> list[str]:
        return [
            f"Reference: {b.request.reference}",
            f"Presentation: {title}",
            f"Organization: {organization}",
            "Contact: Dana Whitfield, Youth director, dana@example.net, +1 507-555-0142",
            "Audience: Educators and school staff, about 40 people",
            "Language: English",
            f"Format: {fmt}",
            f"Where: {where}",
            "Presenters: Ruth Amundsen",
            f"Staff page: {SITE}/staff/requests/{b.request_id}/",
        ]

    church = "Northfield Community Church"
    expected = [
        booking_event(
            booking,
            summary=f"{title} – Escuela Central",
            location="100 Division St S, Fellowship Hall",
            url=f"{SITE}/staff/requests/{booking.request_id}/",
            lines=lines(booking, "Escuela Central", in_person, "100 Division St S, Fellowship Hall"),
        ),
        booking_event(
            cancelled,
            summary=f"{cancelled_prefix}{title} – {church}",
            location=virtual,
            url=f"{SITE}/staff/requests/{cancelled.request_id}/",
            lines=lines(cancelled, church, virtual, virtual),
        ),
        window_event(
            pending,
            1,
            title=title,
            place=f"Northfield ({outside})",
            audience="Educators and school staff",
            pending=pending_prefix,
        ),
    ]
    assert fields_of(body) == expected
    assert body == expected_body(name, expected)
