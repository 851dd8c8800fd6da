"""What a Spanish and a Somali requester receive: every email in their language, with dates written as
that language writes them, and the invite's SUMMARY and DESCRIPTION in it too (read with icalendar and
vobject). Staff and presenters get the same changes in English."""

import email
import re
from datetime import timedelta
from email import policy

import icalendar
import pytest
import vobject
from django.core import mail
from django.utils import timezone

from outreach.enums import Format, RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import Booking
from scheduling.services import notify, review
from scheduling.services.review import Plan
from scheduling.tasks import send_reminders
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead
from tests.languages import AUDIENCE_NAMES, TITLES
from tests.links import status_link_in

pytestmark = pytest.mark.django_db

CONTACT = "dana@example.net"
STAFF = "staff@outreach.test"
ES_DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]
ES_MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
SO_DAYS = ["Isniin", "Talaado", "Arbaco", "Khamiis", "Jimco", "Sabti", "Axad"]
SO_MONTHS = "Janaayo Febraayo Maarso Abriil Maajo Juun Luuliyo Ogost Sebtembar Oktoobar Nofembar Desembar".split()


def spanish_day(moment) -> str:
    return f"{moment.day} de {ES_MONTHS[moment.month - 1]} de {moment.year}"


def somali_day(moment) -> str:
    return f"{moment.day} {SO_MONTHS[moment.month - 1]} {moment.year}"


@pytest.fixture
def alex(translated_presentation):
    return PresenterFactory(name="Alex Rivera", email="alex@presenters.test", presentations=[translated_presentation])


def requester(presentation, language: str) -> PresentationRequest:
    return PresentationRequestFactory(presentation=presentation, requester_language=language)


def approve(request, presenter, staff_user, *, day=30):
    start = days_ahead(day, 10)
    plan = Plan(start, start + timedelta(minutes=90), presenter, [], Format.IN_PERSON, "Room 12, 100 Division St S")
    return review.request_approve(request=request, by=staff_user, plan=plan)


def to(address):
    return next(m for m in mail.outbox if m.to == [address])


def invite_of(message) -> tuple[icalendar.Event, str]:
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
    raw = next(p.get_content() for p in parsed.walk() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(raw).walk("VEVENT")[0], raw


def html_of(message) -> str:
    return message.alternatives[0][0]


# --- Spanish ------------------------------------------------------------------------------------


def test_spanish_acknowledgement_and_the_staff_notice(translated_presentation, run_on_commit):
    request = requester(translated_presentation, "es")
    window = request.windows.get()

    run_on_commit(lambda: notify.request_submitted_notify(request=request))

    ack = to(CONTACT)
    start = timezone.localtime(window.start)
    assert ack.subject == f"Recibimos su solicitud de presentación {request.reference}"
    assert ack.body.startswith("Hola, Dana Whitfield:\n\nGracias por solicitar una presentación a ")
    assert f"Presentación: {TITLES['es']}\n" in ack.body
    assert f"Público: {AUDIENCE_NAMES['es']}, aproximadamente 40 personas\n" in ack.body
    assert (
        "Horarios preferidos (hora del Centro):\n"
        f"  1. {ES_DAYS[start.weekday()]}, {spanish_day(start)}, de 10:00 a.m. a 11:00 a.m.\n"
    ) in ack.body
    assert f"{status_link_in(ack.body, request)}\n" in ack.body
    assert status_link_in(ack.body, request).endswith("?lang=es")
    assert html_of(ack).startswith('<!doctype html>\n<html lang="es">')
    assert "Si alguien está en peligro inmediato, llame al 911." in html_of(ack)
    notice = to(STAFF)
    assert notice.subject.startswith(f"New request {request.reference}: {TITLES['en']} for ")
    assert "Requester's language: Spanish (their emails and invites are in it)\n" in notice.body
    assert html_of(notice).startswith('<!doctype html>\n<html lang="en">')


def test_spanish_confirmation_and_its_invite(translated_presentation, alex, staff_user, run_on_commit):
    request = requester(translated_presentation, "es")

    booking = run_on_commit(lambda: approve(request, alex, staff_user))

    start = timezone.localtime(booking.start)
    when = f"{ES_DAYS[start.weekday()]}, {spanish_day(start)}, de 10:00 a.m. a 11:30 a.m."
    message = to(CONTACT)
    assert message.subject == f"Confirmada: {TITLES['es']} el {spanish_day(start)}"
    assert f"Cuándo: {when} (hora del Centro)\n" in message.body
    assert "Dónde: Room 12, 100 Division St S\n" in message.body
    assert "Si necesita cancelar, puede hacerlo desde su página de estado hasta 48 horas antes del inicio" in (
        message.body
    )
    event, raw = invite_of(message)
    status_url = status_link_in(str(event["DESCRIPTION"]), request)
    assert status_url.endswith("?lang=es")
    assert str(event["SUMMARY"]) == f"{TITLES['es']} – Northfield Community Church"
    assert (event["SUMMARY"].params["LANGUAGE"], event["DESCRIPTION"].params["LANGUAGE"]) == ("es", "es")
    description = [
        f"Presentación: {TITLES['es']}",
        f"Cuándo: {when} (hora del Centro)",
        "Organización: Northfield Community Church",
        "Contacto: Dana Whitfield, dana@example.net, +1 507-555-0142",
        f"Público: {AUDIENCE_NAMES['es']}, aproximadamente 40 personas",
        "Lugar: Room 12, 100 Division St S",
        "Presentadores: Alex Rivera",
        f"Estado de la solicitud: {status_url}",
    ]
    assert str(event["DESCRIPTION"]).split("\n") == description
    card = vobject.readOne(raw)
    assert (card.vevent.summary.value, card.vevent.description.value) == (str(event["SUMMARY"]), "\n".join(description))
    assert card.vevent.summary.params["LANGUAGE"] == ["es"]


def test_presenter_gets_the_same_booking_in_english(translated_presentation, alex, staff_user, run_on_commit):
    booking = run_on_commit(lambda: approve(requester(translated_presentation, "es"), alex, staff_user))

    message = to("alex@presenters.test")
    event, _raw = invite_of(message)
    assert message.subject == (
        f"You are presenting: {TITLES['en']} on {timezone.localtime(booking.start):%b} "
        f"{timezone.localtime(booking.start).day}, {booking.start.year} (Northfield Community Church)"
    )
    assert message.body.startswith("Hello Alex Rivera,")
    assert str(event["SUMMARY"]) == f"{TITLES['en']} – Northfield Community Church"
    assert event["SUMMARY"].params["LANGUAGE"] == "en"
    assert str(event["DESCRIPTION"]).startswith(f"Presentation: {TITLES['en']}\nWhen: ")


# --- Somali: every email a requester can get -------------------------------------------------------


@pytest.fixture
def somali(translated_presentation, all_languages_public):
    return requester(translated_presentation, "so")


def assert_somali(message) -> None:
    assert message.to == [CONTACT]
    assert message.body.startswith("Salaan Dana Whitfield,\n\n")
    assert html_of(message).startswith('<!doctype html>\n<html lang="so">')
    assert "Hello" not in message.body and "Thank you" not in message.body
    assert "wac 911" in html_of(message)


def test_somali_acknowledgement(somali, run_on_commit):
    run_on_commit(lambda: notify.request_submitted_notify(request=somali))

    message = to(CONTACT)
    assert_somali(message)
    assert message.subject == f"Waxaan helnay codsigaaga muxaadarada {somali.reference}"
    assert f"Muxaadarada: {TITLES['so']}\n" in message.body
    assert f"{status_link_in(message.body, somali)}\n" in message.body
    assert status_link_in(message.body, somali).endswith("?lang=so")


def test_somali_proposal_confirmation_change_reminder_and_cancellation(somali, alex, staff_user, run_on_commit):
    times = [(days_ahead(40, 9), days_ahead(40, 10))]
    run_on_commit(lambda: review.request_propose(request=somali, by=staff_user, times=times, lead_presenter=alex))
    proposal_mail = to(CONTACT)
    booking = run_on_commit(
        lambda: review.proposal_accept(request=somali, proposed_time_id=somali.proposals.get().times.get().pk)
    )
    confirmation = to(CONTACT)
    start = timezone.localtime(booking.start)
    moved = Plan(days_ahead(41, 13), days_ahead(41, 14), alex, [], Format.IN_PERSON, "Hall B")
    run_on_commit(lambda: review.booking_reschedule(request=somali, by=staff_user, plan=moved))
    update = to(CONTACT)
    Booking.objects.filter(pk=booking.pk).update(start=timezone.now() + timedelta(days=6, hours=1))
    Booking.objects.filter(pk=booking.pk).update(end=timezone.now() + timedelta(days=6, hours=2))
    run_on_commit(lambda: send_reminders.apply().get())
    reminder = to(CONTACT)
    run_on_commit(lambda: review.booking_cancel(request=somali, by=staff_user, reason="Qolka ayaa xiran."))
    cancellation = to(CONTACT)

    for message in (proposal_mail, confirmation, update, reminder, cancellation):
        assert_somali(message)
    assert proposal_mail.subject == f"Waqtiyo kale ayaa loo soo jeediyay codsigaaga {somali.reference}"
    assert f"  1. {SO_DAYS[start.weekday()]}, {somali_day(start)}, 9:00 GH – 10:00 GH" in proposal_mail.body
    assert confirmation.subject == f"La xaqiijiyay: {TITLES['so']} {somali_day(start)}"
    new_start = timezone.localtime(days_ahead(41, 13))
    assert update.subject == f"La cusboonaysiiyay: {TITLES['so']}, hadda waa {somali_day(new_start)}"
    assert reminder.subject.startswith(f"Hal toddobaad kadib: {TITLES['so']} ")
    assert "Xusuusin: muxaadaradaadu waa hal toddobaad kadib." in reminder.body
    assert cancellation.subject.startswith(f"La joojiyay: {TITLES['so']} ")
    assert "Muxaadarada hoose waa la joojiyay: Qolka ayaa xiran." in cancellation.body
    for message in (confirmation, update, cancellation):
        event, raw = invite_of(message)
        assert str(event["SUMMARY"]) == f"{TITLES['so']} – Northfield Community Church"
        assert event["SUMMARY"].params["LANGUAGE"] == "so"
        assert str(event["DESCRIPTION"]).startswith(f"Muxaadarada: {TITLES['so']}\nGoorma: ")
        assert vobject.readOne(raw).vevent.summary.value == str(event["SUMMARY"])
    assert re.search(r"^METHOD:CANCEL", invite_of(cancellation)[1], re.MULTILINE)


def test_somali_thank_you_and_evaluation_reminder(somali, alex, staff_user, run_on_commit):
    booking = approve(somali, alex, staff_user)
    past = timezone.now() - timedelta(hours=3)
    Booking.objects.filter(pk=booking.pk).update(start=past, end=past + timedelta(hours=1))

    run_on_commit(lambda: review.booking_complete(request=somali, by=staff_user, attendance=25))
    thanks = to(CONTACT)
    booking.refresh_from_db()
    run_on_commit(lambda: notify.evaluation_reminder_notify(booking=booking))
    reminder = to(CONTACT)

    for message in (thanks, reminder):
        assert_somali(message)
        assert re.search(r"https://outreach\.test/evaluation/[\w-]{43}/\?lang=so\n", message.body)
    assert thanks.subject == f"Mahadsanid martigelinta {TITLES['so']}"
    assert reminder.subject == f"Laba daqiiqo ma noo haysaa? Sidee ayay u dhacday {TITLES['so']}"


@pytest.mark.parametrize(
    ("change", "subject"),
    [
        ("withdraw", "Codsigaaga {reference} waa laga noqday"),
        ("decline", "Ku saabsan codsigaaga muxaadarada {reference}"),
        ("expire", "Codsigaaga {reference} wakhtigiisii wuu dhacay"),
    ],
)
def test_somali_withdrawal_decline_and_expiry(somali, staff_user, run_on_commit, change, subject):
    changes = {
        "withdraw": lambda: review.request_withdraw(request=somali),
        "decline": lambda: review.request_decline(request=somali, by=staff_user, reason="Ma haysanno soo-bandhige."),
        "expire": lambda: notify.request_expired_notify(request=somali),
    }

    run_on_commit(changes[change])

    message = to(CONTACT)
    assert_somali(message)
    assert message.subject == subject.format(reference=somali.reference)


def test_status_page_opened_from_the_email_is_in_the_requesters_language(client, somali):
    response = client.get(f"/requests/{somali.token}/?lang=so", HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="so">' in response.content.decode()
    assert "Xaaladda:" in response.content.decode()
    assert somali.status == RequestStatus.SUBMITTED
