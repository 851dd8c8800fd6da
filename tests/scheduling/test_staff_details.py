"""Staff change the requester's optional details on the request page, also once the talk is confirmed
(a new registration link reaches /events/ at once); the staff inbox hears of every change a requester
makes, by the names of the answers changed and never their values or the private link."""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from outreach.services import MSG_REGISTRATION_URL, DetailsLocked, request_details_update
from scheduling.models import AuditEntry, Notification, NotificationKind
from scheduling.services import review
from scheduling.views.staff import MSG_DETAILS_SAVED
from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead

pytestmark = pytest.mark.django_db

STAFF_INBOX = "staff@outreach.test"
OLD_LINK = "https://library.example.org/events/42"
NEW_LINK = "https://library.example.org/events/43?ref=outreach"
LISTED = {"is_open_to_public": True, "may_list_publicly": True, "venue": "Northfield Public Library"}
# The staff page's form as a browser sends it (prefix "details"; unticked boxes are absent).
STAFF_FORM = {
    "details-accessibility_needs": "",
    "details-is_open_to_public": "on",
    "details-may_list_publicly": "on",
    "details-venue": "Northfield Public Library",
    "details-registration_url": NEW_LINK,
    "details-notes": "Side door after 6 pm.",
    "details-referral_source": "",
}
# The requester's status page form, the same answers and one new note.
REQUESTER_FORM = {
    "accessibility_needs": "",
    "is_open_to_public": "on",
    "may_list_publicly": "on",
    "venue": "Northfield Public Library",
    "registration_url": OLD_LINK,
    "notes": "Parking behind the building.",
    "referral_source": "",
}


@pytest.fixture
def scheduled(presentation, staff_user):
    """A confirmed talk, listed publicly, open to the public, with a registration link."""
    request = PresentationRequestFactory(
        presentation=presentation, organization_name="Carleton Library Friends", registration_url=OLD_LINK, **LISTED
    )
    start = days_ahead(30, 10)
    plan = review.Plan(
        start, start + timedelta(hours=1), PresenterFactory(presentations=[presentation]), [], "in_person", "Room 4"
    )
    review.request_approve(request=request, by=staff_user, plan=plan)
    request.refresh_from_db()
    return request


@pytest.fixture
def submitted(presentation):
    return PresentationRequestFactory(
        presentation=presentation, organization_name="Carleton Library Friends", registration_url=OLD_LINK, **LISTED
    )


def details_url(request) -> str:
    return f"/staff/requests/{request.pk}/details/"


def text_of(content: str, element_id: str) -> str:
    inner = re.search(rf'id="{re.escape(element_id)}"[^>]*>(.*?)</', content, re.S).group(1)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", inner).split()))


def test_staff_change_the_registration_link_of_a_confirmed_talk_and_events_shows_it(client, staff_client, scheduled):
    page = staff_client.get(scheduled.get_staff_url()).text
    answer = staff_client.post(details_url(scheduled), STAFF_FORM, follow=True)

    scheduled.refresh_from_db()
    assert f'action="/staff/requests/{scheduled.pk}/details/"' in page
    assert answer.redirect_chain == [(scheduled.get_staff_url(), 302)]
    assert str(MSG_DETAILS_SAVED) in answer.text
    assert (scheduled.status, scheduled.registration_url, scheduled.notes) == (
        "scheduled",
        NEW_LINK,
        "Side door after 6 pm.",
    )
    assert text_of(answer.text, "how-to-attend") == NEW_LINK
    events = client.get("/events/").text
    assert f'<a href="{NEW_LINK.replace("&", "&amp;")}" rel="nofollow noopener noreferrer">Register' in events
    assert OLD_LINK + '"' not in events


def test_a_change_by_staff_is_in_the_audit_trail_by_name_and_sends_no_notice(staff_client, staff_user, scheduled):
    staff_client.post(details_url(scheduled), STAFF_FORM)

    entry = AuditEntry.objects.get(request=scheduled, action="details_update")
    assert (entry.actor, entry.by, entry.from_status, entry.to_status) == (
        "staff",
        staff_user,
        "scheduled",
        "scheduled",
    )
    assert entry.note == "Changed by staff (sam): registration link, notes."
    assert Notification.objects.filter(kind=NotificationKind.STAFF_DETAILS_CHANGED).count() == 0


def test_a_bad_registration_link_is_refused_next_to_it_and_what_was_typed_is_kept(staff_client, scheduled):
    answer = staff_client.post(details_url(scheduled), {**STAFF_FORM, "details-registration_url": "library.org/signup"})

    scheduled.refresh_from_db()
    assert answer.status_code == 400
    assert text_of(answer.text, "id_details-registration_url_error") == str(MSG_REGISTRATION_URL)
    assert 'value="library.org/signup"' in answer.text
    assert re.search(r"<textarea[^>]*>\s*Side door after 6 pm.</textarea>", answer.text)
    assert '<details open id="details">' in answer.text
    assert '<a href="#id_details-registration_url">Registration link:' in answer.text
    assert (scheduled.registration_url, scheduled.notes) == (OLD_LINK, "")


def test_the_details_form_is_not_offered_once_the_request_is_closed(staff_client, staff_user, scheduled):
    review.booking_cancel(request=scheduled, by=staff_user, reason="The room flooded.")

    page = staff_client.get(scheduled.get_staff_url()).text
    answer = staff_client.post(details_url(scheduled), STAFF_FORM)

    scheduled.refresh_from_db()
    assert 'id="edit-details"' not in page
    assert answer.status_code == 409
    alert = re.search(r'id="action-error">(.*?)</div>', answer.text, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", alert).split()) == (
        "Not done: This request is closed, so its details can no longer be changed."
    )
    assert scheduled.registration_url == OLD_LINK


def test_someone_who_is_not_staff_cannot_change_details(client, django_user_model, scheduled):
    signed_in = Client()
    signed_in.force_login(django_user_model.objects.create_user("pat", "pat@example.org", "pw"))

    anonymous = client.post(details_url(scheduled), STAFF_FORM)
    not_staff = signed_in.post(details_url(scheduled), STAFF_FORM)

    scheduled.refresh_from_db()
    assert (anonymous.status_code, anonymous["Location"]) == (302, f"/accounts/login/?next={details_url(scheduled)}")
    assert not_staff.status_code == 403
    assert scheduled.registration_url == OLD_LINK


def test_the_service_refuses_a_change_by_someone_who_is_not_staff(django_user_model, scheduled):
    presenter_user = django_user_model.objects.create_user("ana", "ana@example.org", "pw")

    with pytest.raises(DetailsLocked):
        request_details_update(request=scheduled, data={"registration_url": NEW_LINK}, by=presenter_user)

    scheduled.refresh_from_db()
    assert scheduled.registration_url == OLD_LINK


def test_staff_are_told_which_details_the_requester_changed(client, submitted, run_on_commit):
    run_on_commit(lambda: client.post(f"/requests/{submitted.token}/details/", REQUESTER_FORM))

    (notice,) = mail.outbox
    assert notice.to == [STAFF_INBOX]
    assert notice.subject == f"{submitted.reference}: the requester changed details (Carleton Library Friends)"
    assert notice.body == (
        f"The requester changed details of request {submitted.reference} for "
        '"Recognizing and Responding: Schools" (Carleton Library Friends): notes.\n\n'
        f"See the new values: https://outreach.test/staff/requests/{submitted.pk}/\n"
    )
    html_body = notice.alternatives[0].content
    for part in (notice.body, html_body):
        assert submitted.token not in part
        assert "Parking behind the building." not in part
    assert f'<a href="https://outreach.test/staff/requests/{submitted.pk}/">See the new values</a>' in html_body


def test_staff_get_no_notice_when_the_requester_saves_the_same_details(client, submitted, run_on_commit):
    run_on_commit(lambda: client.post(f"/requests/{submitted.token}/details/", REQUESTER_FORM))

    again = run_on_commit(lambda: client.post(f"/requests/{submitted.token}/details/", REQUESTER_FORM))

    assert again.status_code == 302
    assert mail.outbox == []
    assert Notification.objects.filter(kind=NotificationKind.STAFF_DETAILS_CHANGED).count() == 1
