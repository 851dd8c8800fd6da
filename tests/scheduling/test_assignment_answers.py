"""A presenter confirms or declines an assignment on their booking's page (/my/bookings/<id>/);
staff see the answers on the request page and the queue, and a decline comes back to them with a
notice in the staff inbox and an audit entry."""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from outreach.enums import RequestStatus
from scheduling.models import Answer, AssignmentAnswer, AuditEntry, Booking, Notification, NotificationKind
from scheduling.services import review
from scheduling.services.assignment import MSG_DECLINE_REASON, MSG_NOT_SCHEDULED, MSG_OVER
from scheduling.views.presenter import MSG_CONFIRMED, MSG_DECLINED
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat_user(django_user_model):
    return django_user_model.objects.create_user("pat", "pat@example.org", "pw")


@pytest.fixture
def pat(pat_user, presentation):
    return PresenterFactory(name="Pat Presenter", email="pat@example.org", user=pat_user, presentations=[presentation])


@pytest.fixture
def ben(presentation):
    return PresenterFactory(name="Ben Okafor", email="ben@example.org", presentations=[presentation])


@pytest.fixture
def pat_client(pat_user, pat) -> Client:
    client = Client()
    client.force_login(pat_user)
    return client


@pytest.fixture
def booking(presentation, pat, ben, staff_user) -> Booking:
    request = PresentationRequestFactory(presentation=presentation, organization_name="Roosevelt High School")
    plan = review.Plan(days_ahead(30, 10), days_ahead(30, 11), pat, [ben], request.format, "Room 4, 1 Main St")
    return review.request_approve(request=request, by=staff_user, plan=plan)


def page_text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text)))


def url(booking: Booking, action: str = "") -> str:
    return f"/my/bookings/{booking.pk}/" + (f"{action}/" if action else "")


# --- The presenter's booking page -------------------------------------------------------------------


def test_booking_page_shows_the_talk_and_asks_for_an_answer(pat_client, booking):
    response = pat_client.get(url(booking))

    text = page_text(response)
    assert response.status_code == 200
    assert "Presenting Recognizing and Responding: Schools" in text
    assert "Roosevelt High School" in text
    assert "Your answer Not answered yet." in text
    assert '<button type="submit">Confirm I will present</button>' in response.text
    assert '<label for="id_decline-reason">Why you cannot give it <span class="required">(required)</span></label>' in (
        response.text
    )


def test_booking_page_is_only_for_the_presenters_on_it(client, pat_client, django_user_model, booking, presentation):
    other = PresentationRequestFactory(presentation=presentation)
    not_mine = review.request_approve(
        request=other,
        by=None,
        plan=review.Plan(days_ahead(31, 10), days_ahead(31, 11), booking.co_presenters.get(), [], other.format, "X"),
    )
    anonymous = client.get(url(booking))
    client.force_login(django_user_model.objects.create_user("visitor", "v@example.org", "pw"))

    assert (anonymous.status_code, anonymous.url) == (302, f"/accounts/login/?next={url(booking)}")
    assert client.get(url(booking)).status_code == 403
    assert pat_client.get(url(not_mine)).status_code == 404
    assert pat_client.post(url(not_mine, "confirm")).status_code == 404
    assert AssignmentAnswer.objects.count() == 0


def test_confirming_records_the_answer_and_an_audit_entry_and_staff_see_it(
    pat_client, staff_client, pat, pat_user, booking, run_on_commit
):
    response = run_on_commit(lambda: pat_client.post(url(booking, "confirm"), follow=True))

    answer = AssignmentAnswer.objects.get()
    assert (answer.presenter, answer.answer, answer.sequence, answer.reason) == (pat, Answer.CONFIRMED, 0, "")
    assert response.redirect_chain == [(url(booking), 302)]
    assert str(MSG_CONFIRMED) in page_text(response)
    assert "Your answer You confirmed." in page_text(response)
    assert "Confirm I will present" not in response.text
    entry = AuditEntry.objects.filter(action="presenter_confirmed").get()
    assert (entry.actor, entry.by, entry.note, entry.to_status) == (
        "presenter",
        pat_user,
        "Pat Presenter confirmed.",
        RequestStatus.SCHEDULED,
    )
    assert mail.outbox == []
    assert "You confirmed." in page_text(pat_client.get("/my/schedule/"))
    request_page = page_text(staff_client.get(f"/staff/requests/{booking.request_id}/"))
    assert "Pat Presenter: confirmed" in request_page
    assert "Ben Okafor: not answered yet" in request_page
    queue = staff_client.get("/staff/", {"status": "scheduled"})
    assert re.findall(r'<small class="nowrap presenter-answers">([^<]+)</small>', queue.text) == ["1 of 2 confirmed"]


def test_confirming_twice_records_it_once(pat_client, booking):
    pat_client.post(url(booking, "confirm"))
    pat_client.post(url(booking, "confirm"))

    assert AuditEntry.objects.filter(action="presenter_confirmed").count() == 1


def test_declining_without_a_reason_comes_back_with_the_error_next_to_the_field(pat_client, booking):
    response = pat_client.post(url(booking, "decline"), {"decline-reason": "  "})

    assert response.status_code == 400
    error = re.search(r'<small class="error" id="id_decline-reason_error">(.*?)</small>', response.text).group(1)
    assert html.unescape(error) == str(MSG_DECLINE_REASON)
    assert "<title>Error: Recognizing and Responding: Schools" in response.text
    assert 'aria-invalid="true"' in response.text
    assert AssignmentAnswer.objects.count() == 0
    assert AuditEntry.objects.filter(action="presenter_declined").count() == 0
    assert Notification.objects.filter(kind=NotificationKind.STAFF_PRESENTER_DECLINED).count() == 0


def test_declining_tells_staff_by_email_and_puts_the_request_in_front_of_them(
    pat_client, staff_client, booking, run_on_commit
):
    response = run_on_commit(
        lambda: pat_client.post(url(booking, "decline"), {"decline-reason": "A family emergency."}, follow=True)
    )

    answer = AssignmentAnswer.objects.get()
    assert (answer.answer, answer.reason) == (Answer.DECLINED, "A family emergency.")
    assert str(MSG_DECLINED) in page_text(response)
    assert "You declined." in page_text(response)
    booking.request.refresh_from_db()
    assert booking.request.status == RequestStatus.SCHEDULED
    entry = AuditEntry.objects.filter(action="presenter_declined").get()
    assert (entry.actor, entry.note) == ("presenter", "Pat Presenter declined: A family emergency.")

    [notice] = mail.outbox
    reference = booking.request.reference
    assert notice.to == ["staff@outreach.test"]
    assert notice.subject == f"A presenter declined {reference} (Roosevelt High School) on {days_ahead(30, 10):%b} " + (
        f"{days_ahead(30, 10).day}, {days_ahead(30, 10).year}"
    )
    assert notice.body.startswith(f"Pat Presenter declined {reference}: Recognizing and Responding: Schools for ")
    assert "Their reason: A family emergency." in notice.body
    assert f"https://outreach.test/staff/requests/{booking.request_id}/" in notice.body
    assert "A family emergency." in notice.alternatives[0][0]
    assert [n.recipient for n in Notification.objects.filter(kind=NotificationKind.STAFF_PRESENTER_DECLINED)] == [
        "staff@outreach.test"
    ]

    queue = staff_client.get("/staff/")
    banner = re.search(r'<section aria-labelledby="h-declined".*?</section>', queue.text, re.S).group(0)
    assert f'<a href="/staff/requests/{booking.request_id}/">{reference}</a> Roosevelt High School' in banner
    assert "1 presenter declined" in banner
    request_page = staff_client.get(f"/staff/requests/{booking.request_id}/")
    notice_text = page_text(request_page)
    assert "Pat Presenter declined this presentation: A family emergency." in notice_text
    assert "Pat Presenter: declined (A family emergency.)" in notice_text
    assert '<details open id="reschedule">' in request_page.text


def test_a_new_decline_after_a_confirmation_sends_a_new_notice(pat_client, booking, run_on_commit):
    run_on_commit(lambda: pat_client.post(url(booking, "decline"), {"decline-reason": "Sick."}))
    run_on_commit(lambda: pat_client.post(url(booking, "confirm")))
    run_on_commit(lambda: pat_client.post(url(booking, "decline"), {"decline-reason": "Sick again."}))

    notices = Notification.objects.filter(kind=NotificationKind.STAFF_PRESENTER_DECLINED).order_by("pk")
    assert ["Sick." in n.body_text for n in notices] == [True, False]
    assert ["Sick again." in n.body_text for n in notices] == [False, True]


def test_staff_replacing_the_presenter_who_declined_clears_the_notice(
    pat_client, staff_client, staff_user, booking, ben, presentation
):
    pat_client.post(url(booking, "decline"), {"decline-reason": "Sick."})
    cara = PresenterFactory(name="Cara Ruiz", email="cara@example.org", presentations=[presentation])
    request_page = page_text(staff_client.get(f"/staff/requests/{booking.request_id}/"))
    assert "Free and qualified then: Cara Ruiz." in request_page

    plan = review.Plan(booking.start, booking.end, cara, [ben], booking.format, booking.location)
    review.booking_reschedule(request=booking.request, by=staff_user, plan=plan)

    assert "h-declined" not in staff_client.get("/staff/").text
    assert "declined this presentation" not in staff_client.get(f"/staff/requests/{booking.request_id}/").text
    assert pat_client.get(url(booking)).status_code == 404


def test_a_changed_booking_asks_for_the_answer_again(pat_client, staff_user, booking, pat, ben):
    pat_client.post(url(booking, "confirm"))
    later = booking.start + timedelta(hours=2)
    plan = review.Plan(later, later + timedelta(hours=1), pat, [ben], booking.format, booking.location)
    review.booking_reschedule(request=booking.request, by=staff_user, plan=plan)

    text = page_text(pat_client.get(url(booking)))

    assert "Please answer again: staff changed this presentation after you answered." in text
    assert "Confirm I will present" in text


def test_a_cancelled_or_past_booking_cannot_be_answered(pat_client, staff_user, booking):
    review.booking_cancel(request=booking.request, by=staff_user, reason="The school closed.")
    cancelled_page = pat_client.get(url(booking))
    cancelled = pat_client.post(url(booking, "confirm"))

    assert "This presentation was cancelled." in page_text(cancelled_page)
    assert "Confirm I will present" not in cancelled_page.text
    assert cancelled.status_code == 409
    assert str(MSG_NOT_SCHEDULED) in page_text(cancelled)
    assert AssignmentAnswer.objects.count() == 0


def test_a_booking_that_has_ended_cannot_be_declined(pat_client, booking):
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - timedelta(hours=2), end=timezone.now() - timedelta(hours=1)
    )

    response = pat_client.post(url(booking, "decline"), {"decline-reason": "Too late."})

    assert response.status_code == 409
    assert str(MSG_OVER) in page_text(response)
    assert AssignmentAnswer.objects.count() == 0


def test_the_assignment_and_update_emails_link_each_presenter_to_their_page(staff_user, booking, pat, ben):
    later = booking.start + timedelta(hours=2)
    plan = review.Plan(later, later + timedelta(hours=1), pat, [ben], booking.format, booking.location)
    review.booking_reschedule(request=booking.request, by=staff_user, plan=plan)
    link = f"https://outreach.test/my/bookings/{booking.pk}/"

    emails = Notification.objects.filter(recipient__in=[pat.email, ben.email]).order_by("kind", "recipient")

    assert [(n.kind, n.recipient) for n in emails] == [
        (NotificationKind.PRESENTER_ASSIGNED, "ben@example.org"),
        (NotificationKind.PRESENTER_ASSIGNED, "pat@example.org"),
        (NotificationKind.PRESENTER_UPDATED, "ben@example.org"),
        (NotificationKind.PRESENTER_UPDATED, "pat@example.org"),
    ]
    assert [f"on your page: {link}" in n.body_text for n in emails] == [True] * 4
    assert [f'<a href="{link}">' in n.body_html for n in emails] == [True] * 4
    requester = Notification.objects.get(kind=NotificationKind.BOOKING_CONFIRMED)
    assert "/my/bookings/" not in requester.body_text + requester.body_html
