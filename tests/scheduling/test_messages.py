"""Messages that match what happened: the email each person gets, the badge each page shows,
the warnings staff see, and the 404 page, all read from the outside."""

import email
import html
import re
from email import policy

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from common.dates import time_span
from outreach.enums import RequestStatus
from scheduling.models import AuditEntry, Blackout, Booking
from scheduling.services import review
from tests.factories import LanguageFactory, PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

STAFF_INBOX = "staff@outreach.test"


def text_of(response) -> str:
    """The page's main content as a reader sees it: tags gone, spaces collapsed."""
    main = re.search(r"<main.*?</main>", response.text, re.S).group(0)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def received(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.message().as_bytes(), policy=policy.default)


def invite_in(message) -> tuple[str, icalendar.Calendar]:
    for part in received(message).walk():
        if part.get_content_type() == "text/calendar":
            return part.get_param("method"), icalendar.Calendar.from_ical(part.get_content())
    raise AssertionError("no text/calendar part")


def to(address: str):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


@pytest.fixture
def submitted(presentation):
    return PresentationRequestFactory(presentation=presentation, organization_name="Roosevelt High School")


@pytest.fixture
def lead(presentation):
    return PresenterFactory(name="Ana Lindqvist", email="ana@example.org", presentations=[presentation])


@pytest.fixture
def co(presentation):
    return PresenterFactory(name="Ben Okafor", email="ben@example.org", presentations=[presentation])


def plan(lead, *, day=30, hour=10, co=(), override_reason=""):
    return review.Plan(
        start=days_ahead(day, hour),
        end=days_ahead(day, hour + 1),
        lead_presenter=lead,
        co_presenters=list(co),
        location="100 Division St S, Northfield",
        override_reason=override_reason,
    )


# --- The requester accepts a proposed time ----------------------------------------------------


def test_accepting_a_proposed_time_tells_staff_which_time(submitted, lead, staff_user, staff_client, run_on_commit):
    times = [(days_ahead(40, 9), days_ahead(40, 10)), (days_ahead(41, 14), days_ahead(41, 15))]
    review.request_propose(request=submitted, by=staff_user, times=times, lead_presenter=lead)
    second = submitted.proposals.get().times.get(position=2)
    status = f"/requests/{submitted.status_token}/"

    response = run_on_commit(lambda: Client().post(f"{status}proposal/accept/", {"proposed_time": second.pk}))

    assert response.status_code == 302
    when = time_span(second.start, second.end)
    notice = to(STAFF_INBOX)
    day = timezone.localtime(second.start).strftime("%b %-d, %Y")
    assert notice.subject == f"{submitted.reference}: the requester accepted {day} (Roosevelt High School)"
    assert f"accepted one of the proposed times: {when} (Central time).\n" in notice.body
    assert invite_in(to("ana@example.org"))[0] == "REQUEST"
    zone = timezone.localtime(second.start).tzname()
    entry = AuditEntry.objects.get(request=submitted, action="accept_proposal")
    assert entry.note == f"Accepted proposed time 2: {when} {zone}"
    page = text_of(staff_client.get(f"/staff/requests/{submitted.pk}/"))
    assert f"Accepted proposed time 2: {when} {zone}" in page
    local_start, local_end = timezone.localtime(second.start), timezone.localtime(second.end)
    shown = f"accepted: {local_start:%a %b} {local_start.day}, {local_start:%Y} {local_start.hour % 12 or 12}:00 PM"
    assert f"{shown}–{local_end.hour % 12 or 12}:00 PM {zone}" in page


# --- A presenter added by a reschedule ---------------------------------------------------------


def test_co_presenter_added_by_reschedule_gets_an_assignment_with_invite(
    submitted, lead, co, staff_user, run_on_commit
):
    review.request_approve(request=submitted, by=staff_user, plan=plan(lead))

    booking = run_on_commit(
        lambda: review.booking_reschedule(request=submitted, by=staff_user, plan=plan(lead, co=[co]))
    )

    day = timezone.localtime(booking.start).strftime("%b %-d, %Y")
    title = submitted.presentation.title
    assignment = to("ben@example.org")
    assert assignment.subject == f"You are presenting: {title} on {day} (Roosevelt High School)"
    assert "You are presenting for Roosevelt High School." in assignment.body
    assert "has changed" not in assignment.body
    method, calendar = invite_in(assignment)
    event = calendar.walk("VEVENT")[0]
    assert (method, str(event["UID"]), event["SEQUENCE"]) == ("REQUEST", booking.uid, 1)
    assert "mailto:ben@example.org" in [str(a) for a in event.get("ATTENDEE")]
    assert to("ana@example.org").subject == f"Updated: {title}, now on {day} (Roosevelt High School)"
    assert "A presentation you are giving has changed." in to("ana@example.org").body


# --- While a proposal waits -------------------------------------------------------------------


def test_waiting_proposal_shows_on_the_queue_the_staff_page_and_the_status_badge(
    submitted, lead, staff_user, staff_client
):
    other = PresentationRequestFactory(presentation=submitted.presentation, organization_name="Carleton College")
    review.request_propose(
        request=submitted, by=staff_user, times=[(days_ahead(40, 9), days_ahead(40, 10))], lead_presenter=lead
    )

    queue = text_of(staff_client.get("/staff/"))
    assert f"{submitted.reference}" in queue
    rows = re.findall(r"<tr.*?</tr>", staff_client.get("/staff/").text, re.S)
    badges = {
        ref: " ".join(
            html.unescape(
                re.sub(r"<[^>]+>", " ", re.search(r'class="status-badge[^"]*">(.*?)</span>', row).group(1))
            ).split()
        )
        for row in rows
        for ref in re.findall(r"OS-[A-Z0-9]{4}-[A-Z0-9]{4}", row)[:1]
    }
    assert badges == {
        submitted.reference: "Times proposed: waiting for the requester",
        other.reference: "Submitted",
    }
    assert "Times proposed: waiting for the requester" in text_of(staff_client.get(f"/staff/requests/{submitted.pk}/"))
    status = text_of(Client().get(f"/requests/{submitted.status_token}/"))
    assert "Status: Times proposed: waiting for your answer" in status
    assert "Status: Submitted" in text_of(Client().get(f"/requests/{other.status_token}/"))
    spanish = text_of(Client(HTTP_ACCEPT_LANGUAGE="es").get(f"/requests/{submitted.status_token}/"))
    assert "Estado: Horarios propuestos: esperan su respuesta" in spanish


# --- A blackout over a booking ------------------------------------------------------------------


def test_blackout_over_a_booking_warns_and_names_it_in_the_api(submitted, lead, staff_user):
    booking = review.request_approve(request=submitted, by=staff_user, plan=plan(lead))
    api = APIClient()
    api.force_authenticate(staff_user)

    answer = api.post(
        "/api/v1/staff/blackouts/",
        {"presenter": lead.pk, "start": days_ahead(29, 0).isoformat(), "end": days_ahead(31, 0).isoformat()},
        format="json",
    )
    clear = api.post(
        "/api/v1/staff/blackouts/",
        {"presenter": lead.pk, "start": days_ahead(50, 0).isoformat(), "end": days_ahead(51, 0).isoformat()},
        format="json",
    )

    assert answer.status_code == 201
    (warning,) = answer.json()["warnings"]
    assert warning.startswith(
        f"This overlaps {submitted.reference} ({submitted.presentation.title}, Roosevelt High School) on "
    )
    assert warning.endswith(", presented by Ana Lindqvist: reschedule or cancel it.")
    assert Blackout.objects.count() == 2  # saved all the same: the time off is a fact
    assert clear.status_code == 201 and clear.json()["warnings"] == []
    assert Booking.objects.get(pk=booking.pk).request.status == RequestStatus.SCHEDULED


def test_closure_over_a_booking_warns_in_the_admin(submitted, lead, django_user_model):
    review.request_approve(request=submitted, by=None, plan=plan(lead))
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(admin)
    start, end = timezone.localtime(days_ahead(30, 0)), timezone.localtime(days_ahead(31, 0))

    response = client.post(
        "/admin/scheduling/blackout/add/",
        {
            "presenter": "",
            "start_0": start.date().isoformat(),
            "start_1": "00:00:00",
            "end_0": end.date().isoformat(),
            "end_1": "00:00:00",
            "reason": "Staff retreat",
        },
        follow=True,
    )

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith(f"This overlaps {submitted.reference} (") for m in shown), shown
    assert Blackout.objects.get().reason == "Staff retreat"


# --- Co-presenters' qualification and language ------------------------------------------------------


@pytest.fixture
def unqualified(presentation):
    """A presenter trained for nothing on this request, who speaks only Somali."""
    return PresenterFactory(
        name="Cy Moua", email="cy@example.org", languages=[LanguageFactory(code="so", name="Somali")]
    )


def test_co_presenter_not_qualified_is_refused_next_to_the_field(submitted, lead, unqualified, staff_client):
    window = submitted.windows.first()
    data = {
        "approve-when": str(window.pk),
        "approve-lead_presenter": str(lead.pk),
        "approve-co_presenters": [str(unqualified.pk)],
        "approve-location": "100 Division St S, Northfield",
    }

    response = staff_client.post(f"/staff/requests/{submitted.pk}/approve/", data)

    assert response.status_code == 400
    errors = " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", e))
        for e in re.findall(r'id="id_approve-co_presenters_error"[^>]*>(.*?)</', response.text, re.S)
    )
    assert "Cy Moua is not qualified to give this presentation." in errors
    assert "Cy Moua does not speak English, the language this presentation is requested in." in errors
    assert "To assign them anyway, give the reason in “Reason to assign anyway”." in errors
    submitted.refresh_from_db()
    assert submitted.status == RequestStatus.SUBMITTED
    assert not Booking.objects.exists()


def test_co_presenter_assigned_anyway_with_a_reason_in_the_audit_trail(submitted, lead, unqualified, staff_client):
    window = submitted.windows.first()
    data = {
        "approve-when": str(window.pk),
        "approve-lead_presenter": str(lead.pk),
        "approve-co_presenters": [str(unqualified.pk)],
        "approve-location": "100 Division St S, Northfield",
        "approve-override_reason": "Shadowing Ana as part of training",
    }

    response = staff_client.post(f"/staff/requests/{submitted.pk}/approve/", data)

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.presenters() == [lead, unqualified]
    entry = AuditEntry.objects.get(request=submitted, action="approve")
    assert entry.note == (
        "Assigned anyway: Cy Moua is not qualified to give this presentation. Cy Moua does not speak English, "
        "the language this presentation is requested in. Reason: Shadowing Ana as part of training"
    )
    page = text_of(staff_client.get(f"/staff/requests/{submitted.pk}/"))
    assert "Reason: Shadowing Ana as part of training" in page


def test_api_refuses_a_poor_fit_co_presenter_without_a_reason(submitted, lead, unqualified, staff_user):
    api = APIClient()
    api.force_authenticate(staff_user)
    body = {"window": 1, "lead_presenter": lead.pk, "co_presenters": [unqualified.pk]}

    refused = api.post(f"/api/v1/staff/requests/{submitted.pk}/approve/", body, format="json")
    accepted = api.post(
        f"/api/v1/staff/requests/{submitted.pk}/approve/", {**body, "override_reason": "Interpreter"}, format="json"
    )

    assert refused.status_code == 400
    assert "Cy Moua is not qualified to give this presentation." in str(refused.json())
    assert accepted.status_code == 200
    assert AuditEntry.objects.get(request=submitted, action="approve").note.endswith("Reason: Interpreter")


def test_presenters_already_on_a_booking_are_not_asked_about_again(submitted, lead, unqualified, staff_user):
    review.request_approve(
        request=submitted, by=staff_user, plan=plan(lead, co=[unqualified], override_reason="Training")
    )

    booking = review.booking_reschedule(request=submitted, by=staff_user, plan=plan(lead, day=32, co=[unqualified]))

    assert booking.sequence == 1


def test_lead_who_does_not_speak_the_language_needs_a_reason(submitted, presentation, staff_user):
    somali_only = PresenterFactory(
        name="Dee Yang", presentations=[presentation], languages=[LanguageFactory(code="so", name="Somali")]
    )

    with pytest.raises(ValidationError) as refused:
        review.request_approve(request=submitted, by=staff_user, plan=plan(somali_only))

    assert refused.value.message_dict["lead_presenter"] == [
        "Dee Yang does not speak English, the language this presentation is requested in.",
        "To assign them anyway, give the reason in “Reason to assign anyway”.",
    ]


# --- 404 pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "what", "what_to_do"),
    [
        (
            "/no-such-page/",
            "There is nothing at this address.",
            "Check the address for a typing mistake, or start again from the list of presentations we offer.",
        ),
        (
            "/requests/" + "x" * 43 + "/",
            "This link does not lead to a request. Check that you copied all of it.",
            "The link to your request's status page is in the email we sent when you made the request, and in "
            "every email about it since. Lost them all? Find my request, below, sends the link to your email address "
            "again.",
        ),
        (
            "/requests/lost/",
            "This link does not lead to a request. Check that you copied all of it.",
            "The link to your request's status page is in the email we sent when you made the request",
        ),
        (
            "/presentations/no-such-talk/",
            "No such presentation.",
            "It may have been renamed or retired. See the list of presentations we offer.",
        ),
        (
            "/calendar/presenter/" + "x" * 43 + ".ics",
            "There is no calendar at this address.",
            "A private calendar link stops working when a new one is issued: ask the program's staff for the new link.",
        ),
    ],
)
def test_404_says_what_was_not_found_and_what_to_do(path, what, what_to_do, settings):
    assert settings.DEBUG is False

    response = Client().get(path)

    assert response.status_code == 404
    page = text_of(response)
    assert page.startswith(f"Page not found {what} {what_to_do}")
    assert "Http404" not in response.text and "Resolver404" not in response.text


def test_404_in_the_visitors_language(all_languages_public):
    response = Client(HTTP_ACCEPT_LANGUAGE="es").get("/requests/" + "x" * 43 + "/")

    assert response.status_code == 404
    page = text_of(response)
    assert "Http404" not in page
    assert "Este enlace no lleva a ninguna solicitud." in page
    assert "¿Los perdió todos? Encontrar mi solicitud, más abajo, vuelve a enviar el enlace a su correo." in page
