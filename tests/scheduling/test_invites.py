"""What each change sends, to whom, and the calendar invites inside: read by two independent parsers."""

import email
import re
from datetime import UTC, datetime, timedelta
from email import policy

import icalendar
import pytest
import vobject
from django.core import mail
from django.utils import timezone

from outreach.enums import Format
from scheduling.models import Booking, Notification, Presenter
from scheduling.services import review
from scheduling.services.review import Plan
from scheduling.tasks import send_reminders
from tests.factories import CENTRAL, LanguageFactory, PresentationRequestFactory, days_ahead
from tests.links import status_link_in

pytestmark = pytest.mark.django_db

STAFF = "staff@outreach.test"
CONTACT = "dana@example.net"


def status_link(request_obj, text: str) -> str:
    """The status page's link as ``text`` (an email, an invite) gives it, in the requester's language;
    checked to open ``request_obj``."""
    link = status_link_in(text, request_obj)
    assert link.endswith(f"/?lang={request_obj.requester_language}")
    return link


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("sam", "sam@outreach.test", "pw", is_staff=True)


@pytest.fixture
def request_obj():
    return PresentationRequestFactory(accessibility_needs="ASL interpreter for two participants")


def presenter(name, request_obj):
    p = Presenter.objects.create(name=name, email=f"{name.split()[0].lower()}@presenters.test")
    p.presentations.add(request_obj.presentation)
    p.languages.add(LanguageFactory())
    return p


@pytest.fixture
def alex(request_obj):
    return presenter("Alex Rivera", request_obj)


@pytest.fixture
def jordan(request_obj):
    return presenter("Jordan Lee", request_obj)


def plan(presenters, start, minutes=90, fmt=Format.IN_PERSON):
    return Plan(
        start,
        start + timedelta(minutes=minutes),
        presenters[0],
        list(presenters[1:]),
        fmt,
        "Room 12, 100 Division St S",
    )


def sent():
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def invite_of(message) -> tuple[str, icalendar.Calendar, str]:
    """(MIME method, calendar, raw text) of the text/calendar alternative, read from the sent bytes."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    for part in parsed.walk():
        if part.get_content_type() == "text/calendar":
            raw = part.get_content()
            return part.get_param("method"), icalendar.Calendar.from_ical(raw), raw
    raise AssertionError("no text/calendar part")


def to(address):
    return next(m for m in mail.outbox if m.to == [address])


# --- who gets what ---------------------------------------------------------------------------


def test_approve_sends_confirmation_and_assignments_with_request_invites(
    request_obj, alex, jordan, staff, run_on_commit
):
    booking = run_on_commit(
        lambda: review.request_approve(request=request_obj, by=staff, plan=plan([alex, jordan], days_ahead(30, 10)))
    )

    day = timezone.localtime(booking.start).strftime("%b %-d, %Y")
    title = request_obj.presentation.title
    assert sent() == [
        ("alex@presenters.test", f"You are presenting: {title} on {day} (Northfield Community Church)"),
        (CONTACT, f"Confirmed: {title} on {day}"),
        ("jordan@presenters.test", f"You are presenting: {title} on {day} (Northfield Community Church)"),
    ]
    methods = {m.to[0]: invite_of(m)[0] for m in mail.outbox}
    assert methods == {CONTACT: "REQUEST", "alex@presenters.test": "REQUEST", "jordan@presenters.test": "REQUEST"}
    rows = list(Notification.objects.filter(booking=booking).values_list("kind", "recipient", "sequence", "ics_method"))
    assert sorted(rows) == [
        ("booking_confirmed", CONTACT, 0, "REQUEST"),
        ("presenter_assigned", "alex@presenters.test", 0, "REQUEST"),
        ("presenter_assigned", "jordan@presenters.test", 0, "REQUEST"),
    ]


def test_confirmation_email_content(request_obj, alex, staff, run_on_commit):
    run_on_commit(lambda: review.request_approve(request=request_obj, by=staff, plan=plan([alex], days_ahead(30, 10))))

    body = to(CONTACT).body
    assert "Your presentation is confirmed." in body
    assert "Where: Room 12, 100 Division St S\n" in body
    assert "Presenters: Alex Rivera\n" in body
    assert "Accessibility or interpreter needs: ASL interpreter for two participants\n" in body
    assert f"Your request's status page: {status_link(request_obj, body)}\n" in body
    assert "Contact:" not in body  # the requester's own contact details are for presenters
    presenter_body = to("alex@presenters.test").body
    assert "Contact: Dana Whitfield, dana@example.net, +1 507-555-0142\n" in presenter_body
    assert "/requests/" not in presenter_body


def test_reschedule_with_presenter_change_updates_current_and_cancels_removed(
    request_obj, alex, jordan, staff, run_on_commit
):
    review.request_approve(request=request_obj, by=staff, plan=plan([alex], days_ahead(30, 10)))

    booking = run_on_commit(
        lambda: review.booking_reschedule(request=request_obj, by=staff, plan=plan([jordan], days_ahead(31, 13)))
    )

    assert booking.sequence == 1
    day = timezone.localtime(booking.start).strftime("%b %-d, %Y")
    title = request_obj.presentation.title
    methods = {m.to[0]: (m.subject, invite_of(m)[0]) for m in mail.outbox}
    assert methods == {
        CONTACT: (f"Updated: {title}, now on {day}", "REQUEST"),
        "jordan@presenters.test": (f"You are presenting: {title} on {day} (Northfield Community Church)", "REQUEST"),
        "alex@presenters.test": (f"You are no longer presenting {title} on {day}", "CANCEL"),
    }
    _, removed_cal, _ = invite_of(to("alex@presenters.test"))
    event = removed_cal.walk("VEVENT")[0]
    assert (event["STATUS"], event["SEQUENCE"]) == ("CANCELLED", 1)
    assert [str(a) for a in event.get("ATTENDEE")] == ["mailto:dana@example.net", "mailto:alex@presenters.test"]


def test_cancel_sends_cancel_to_requester_and_presenters_and_notice_to_staff(request_obj, alex, staff, run_on_commit):
    review.request_approve(request=request_obj, by=staff, plan=plan([alex], days_ahead(30, 10)))

    run_on_commit(lambda: review.booking_cancel(request=request_obj, by=staff, reason="Building closed for repairs"))

    assert {m.to[0] for m in mail.outbox} == {CONTACT, "alex@presenters.test", STAFF}
    assert invite_of(to(CONTACT))[0] == "CANCEL"
    assert invite_of(to("alex@presenters.test"))[0] == "CANCEL"
    assert to(STAFF).alternatives[1:] == []  # no invite for the staff inbox
    assert "has been cancelled: Building closed for repairs" in to(CONTACT).body


def test_withdraw_decline_expire_proposal_and_thank_you_rows(request_obj, alex, staff, run_on_commit):
    other = PresentationRequestFactory(presentation=request_obj.presentation)
    run_on_commit(lambda: review.request_withdraw(request=other))
    assert sent() == [
        (CONTACT, f"Your request {other.reference} has been withdrawn"),
        (STAFF, f"Withdrawn: {other.reference} (Northfield Community Church)"),
    ]

    times = [(days_ahead(40, 9), days_ahead(40, 10))]
    run_on_commit(lambda: review.request_propose(request=request_obj, by=staff, times=times, lead_presenter=alex))
    assert sent() == [(CONTACT, f"Other times proposed for your request {request_obj.reference}")]
    assert status_link(request_obj, mail.outbox[0].body) in mail.outbox[0].body

    booking = run_on_commit(
        lambda: review.proposal_accept(request=request_obj, proposed_time_id=request_obj.proposals.get().times.get().pk)
    )
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(hours=2), end=timezone.now() - timedelta(hours=1)
    )
    run_on_commit(lambda: review.booking_complete(request=request_obj, by=staff, attendance=31))
    assert sent() == [(CONTACT, f"Thank you for hosting {request_obj.presentation.title}")]


# --- the invite itself -----------------------------------------------------------------------


def test_invite_fields(request_obj, alex, jordan, staff, run_on_commit):
    booking = run_on_commit(
        lambda: review.request_approve(request=request_obj, by=staff, plan=plan([alex, jordan], days_ahead(30, 10)))
    )
    before = datetime.now(UTC).replace(microsecond=0)

    method, cal, raw = invite_of(to(CONTACT))

    event = cal.walk("VEVENT")[0]
    assert (method, cal["METHOD"], cal["VERSION"]) == ("REQUEST", "REQUEST", "2.0")
    assert (str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (booking.uid, 0, "CONFIRMED")
    assert event.decoded("DTSTART") == booking.start and event.decoded("DTEND") == booking.end
    utc_lines = re.findall(r"^DT(?:START|END|STAMP):\d{8}T\d{6}Z$", raw, re.MULTILINE)
    assert (len(utc_lines), "TZID" in raw, "VTIMEZONE" in raw) == (3, False, False)  # UTC times only
    assert event.decoded("DTSTAMP") >= before - timedelta(seconds=1)
    assert str(event["ORGANIZER"]) == "mailto:outreach@outreach.test"
    assert event["ORGANIZER"].params["CN"] == "Outreach Scheduler"
    attendees = [
        (str(a), a.params["CN"], a.params["ROLE"], a.params["PARTSTAT"], a.params["RSVP"]) for a in event["ATTENDEE"]
    ]
    assert attendees == [
        ("mailto:dana@example.net", "Dana Whitfield", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
        ("mailto:alex@presenters.test", "Alex Rivera", "CHAIR", "NEEDS-ACTION", "TRUE"),
        ("mailto:jordan@presenters.test", "Jordan Lee", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
    ]
    assert str(event["LOCATION"]) == "Room 12, 100 Division St S"
    description = str(event["DESCRIPTION"])
    assert f"Presentation: {request_obj.presentation.title}\n" in description
    assert "Organization: Northfield Community Church\n" in description
    assert "Contact: Dana Whitfield, dana@example.net, +1 507-555-0142\n" in description
    assert "Accessibility or interpreter needs: ASL interpreter for two participants\n" in description
    assert description.endswith(f"Request status: {status_link(request_obj, description)}")
    assert str(event["URL"]) == status_link(request_obj, description)
    assert status_link(request_obj, to(CONTACT).body) == str(event["URL"])  # one link for the whole email


def test_virtual_invite_location_is_the_link(request_obj, alex, staff, run_on_commit):
    virtual = plan([alex], days_ahead(30, 10), fmt=Format.VIRTUAL)
    virtual.virtual_link = "https://meet.example.org/abc"
    run_on_commit(lambda: review.request_approve(request=request_obj, by=staff, plan=virtual))

    event = invite_of(to(CONTACT))[1].walk("VEVENT")[0]

    assert str(event["LOCATION"]) == "https://meet.example.org/abc"


def test_invite_mime_structure(request_obj, alex, staff, run_on_commit):
    run_on_commit(lambda: review.request_approve(request=request_obj, by=staff, plan=plan([alex], days_ahead(30, 10))))

    parsed = email.message_from_bytes(to(CONTACT).message().as_bytes(), policy=policy.default)

    top = [part.get_content_type() for part in parsed.iter_parts()]
    alternative = next(parsed.iter_parts())
    inner = [(p.get_content_type(), p.get_param("method"), p.get_content_charset()) for p in alternative.iter_parts()]
    attachment = next(iter(parsed.iter_attachments()))
    assert (parsed.get_content_type(), top) == ("multipart/mixed", ["multipart/alternative", "application/ics"])
    assert inner == [("text/plain", None, "utf-8"), ("text/html", None, "utf-8"), ("text/calendar", "REQUEST", "utf-8")]
    assert (attachment.get_filename(), attachment.get_param("method")) == ("invite.ics", "REQUEST")
    calendar_part = list(alternative.iter_parts())[2].get_content()
    assert attachment.get_content().decode("utf-8").replace("\r\n", "\n") == calendar_part.replace("\r\n", "\n")
    summary = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]["SUMMARY"]
    assert str(summary) == f"{request_obj.presentation.title} – Northfield Community Church"


def test_sequence_rises_and_uid_stays_across_the_lifecycle(request_obj, alex, staff, run_on_commit):
    seen = []
    run_on_commit(lambda: review.request_approve(request=request_obj, by=staff, plan=plan([alex], days_ahead(30, 10))))
    seen.append(invite_of(to(CONTACT)))
    run_on_commit(
        lambda: review.booking_reschedule(request=request_obj, by=staff, plan=plan([alex], days_ahead(31, 10)))
    )
    seen.append(invite_of(to(CONTACT)))
    run_on_commit(lambda: review.booking_cancel(request=request_obj, by=staff, reason="Closed"))
    seen.append(invite_of(to(CONTACT)))

    summary = [
        (method, cal.walk("VEVENT")[0]["SEQUENCE"], str(cal.walk("VEVENT")[0]["STATUS"])) for method, cal, _ in seen
    ]
    assert summary == [("REQUEST", 0, "CONFIRMED"), ("REQUEST", 1, "CONFIRMED"), ("CANCEL", 2, "CANCELLED")]
    assert len({str(cal.walk("VEVENT")[0]["UID"]) for _, cal, _ in seen}) == 1


@pytest.mark.parametrize(
    ("local_start", "lasts"),
    [
        (datetime(2027, 7, 15, 9, 30, tzinfo=CENTRAL), timedelta(minutes=90)),  # summer (CDT, UTC-5)
        (datetime(2027, 1, 20, 9, 30, tzinfo=CENTRAL), timedelta(minutes=90)),  # winter (CST, UTC-6)
        (datetime(2027, 3, 14, 9, 30, tzinfo=CENTRAL), timedelta(minutes=90)),  # the day daylight saving time starts
        (datetime(2027, 11, 7, 9, 30, tzinfo=CENTRAL), timedelta(minutes=90)),  # the day it ends
        # A talk across the repeated hour: 0:30 AM daylight time until 2:00 AM standard time lasts 2.5 hours.
        (datetime(2027, 11, 7, 0, 30, tzinfo=CENTRAL), timedelta(minutes=150)),
    ],
)
def test_invite_times_read_the_same_by_two_independent_parsers(
    request_obj, alex, staff, run_on_commit, local_start, lasts
):
    booking = run_on_commit(
        lambda: review.request_approve(request=request_obj, by=staff, plan=plan([alex], local_start))
    )
    _, _, raw = invite_of(to(CONTACT))

    by_icalendar = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
    by_vobject = vobject.readOne(raw).vevent

    expected = (booking.start.astimezone(UTC), booking.end.astimezone(UTC))
    assert (by_icalendar.decoded("DTSTART"), by_icalendar.decoded("DTEND")) == expected
    assert (by_vobject.dtstart.value, by_vobject.dtend.value) == expected
    assert by_vobject.dtstart.value.utcoffset() == timedelta(0)
    assert booking.end - booking.start == lasts


def test_injected_text_stays_inside_its_property(alex, staff, run_on_commit):
    evil = PresentationRequestFactory(
        organization_name="Evil\r\nATTENDEE:mailto:attacker@example.com", accessibility_needs="x\nEND:VEVENT"
    )
    alex.presentations.add(evil.presentation)
    run_on_commit(lambda: review.request_approve(request=evil, by=staff, plan=plan([alex], days_ahead(30, 10))))

    event = invite_of(to(CONTACT))[1].walk("VEVENT")[0]

    assert [str(a) for a in event["ATTENDEE"]] == ["mailto:dana@example.net", "mailto:alex@presenters.test"]
    title = evil.presentation.title
    assert str(event["SUMMARY"]) == f"{title} – Evil\nATTENDEE:mailto:attacker@example.com"


# --- delivery once ---------------------------------------------------------------------------


def test_reminder_task_run_twice_sends_one_reminder_each(request_obj, alex, staff, run_on_commit):
    booking = review.request_approve(request=request_obj, by=staff, plan=plan([alex], days_ahead(30, 10)))
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() + timedelta(days=6), end=timezone.now() + timedelta(days=6, hours=1)
    )

    first = run_on_commit(lambda: send_reminders.apply().get())
    first_mail = sent()
    second = run_on_commit(lambda: send_reminders.apply().get())

    title = request_obj.presentation.title
    assert (first, second) == (1, 0)
    assert [to_ for to_, subject in first_mail] == ["alex@presenters.test", CONTACT]
    assert all(subject.startswith(f"In one week: {title} on ") for _, subject in first_mail)
    assert mail.outbox == []

    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() + timedelta(hours=20), end=timezone.now() + timedelta(hours=21)
    )
    assert run_on_commit(lambda: send_reminders.apply().get()) == 1
    assert [s.split(":")[0] for _, s in sent()] == ["Tomorrow", "Tomorrow"]
    assert run_on_commit(lambda: send_reminders.apply().get()) == 0


def test_reminders_and_cancellations_speak_to_each_recipient(request_obj, alex, staff, run_on_commit):
    booking = review.request_approve(request=request_obj, by=staff, plan=plan([alex], days_ahead(30, 10)))

    def opening(address: str) -> list[str]:
        return [line for line in to(address).body.splitlines() if line][:2]

    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() + timedelta(days=6), end=timezone.now() + timedelta(days=6, hours=1)
    )
    run_on_commit(lambda: send_reminders.apply().get())
    week = {address: opening(address) for address in (CONTACT, "alex@presenters.test")}
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() + timedelta(hours=20), end=timezone.now() + timedelta(hours=21)
    )
    run_on_commit(lambda: send_reminders.apply().get())
    day = {address: opening(address) for address in (CONTACT, "alex@presenters.test")}
    run_on_commit(lambda: review.booking_cancel(request=request_obj, by=staff, reason="Closed"))
    cancelled = opening("alex@presenters.test")
    again = "You are welcome to request a presentation again: https://outreach.test/presentations/"

    assert week == {
        CONTACT: ["Hello Dana Whitfield,", "A reminder: your presentation is in one week."],
        "alex@presenters.test": ["Hello Alex Rivera,", "A reminder: you are presenting in one week."],
    }
    assert day == {
        CONTACT: ["Hello Dana Whitfield,", "A reminder: your presentation is tomorrow."],
        "alex@presenters.test": ["Hello Alex Rivera,", "A reminder: you are presenting tomorrow."],
    }
    assert cancelled == ["Hello Alex Rivera,", "The presentation below has been cancelled: Closed"]
    assert (again in to(CONTACT).body, again in to("alex@presenters.test").body) == (True, False)


def test_cancelled_booking_gets_no_reminder(request_obj, alex, staff):
    booking = review.request_approve(request=request_obj, by=staff, plan=plan([alex], days_ahead(30, 10)))
    review.booking_cancel(request=request_obj, by=staff, reason="Closed")
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() + timedelta(days=2), end=timezone.now() + timedelta(days=2, hours=1)
    )

    assert send_reminders.apply().get() == 0
