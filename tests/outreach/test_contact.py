"""The program's contact details: on the home page, in the footer, in every email to a requester and next
to every message that asks people to get in touch; nowhere when none are set."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scheduling.models import Booking
from scheduling.services import notify
from tests.factories import PresentationRequestFactory

pytestmark = pytest.mark.django_db

EMAIL = "outreach@program.test"
PHONE = "+1 651-555-0123"
HOURS = "Monday to Friday, 9 AM to 5 PM"
STAFF = "staff@outreach.test"


@pytest.fixture
def contact(settings):
    settings.PROGRAM_CONTACT_EMAIL = EMAIL
    settings.PROGRAM_CONTACT_PHONE = PHONE
    settings.PROGRAM_CONTACT_HOURS = HOURS
    settings.STAFF_NOTIFICATION_EMAIL = STAFF


@pytest.fixture
def no_contact(settings):
    settings.PROGRAM_CONTACT_EMAIL = ""
    settings.PROGRAM_CONTACT_PHONE = ""
    settings.PROGRAM_CONTACT_HOURS = ""


def test_home_page_and_footer_show_how_to_reach_the_program(client, contact, presentation):
    home = client.get("/").content.decode()
    assert "Questions before you ask?" in home
    assert f'href="mailto:{EMAIL}"' in home
    assert 'href="tel:+16515550123"' in home
    assert f"Hours: {HOURS}" in home
    catalog = client.get("/presentations/").content.decode()
    footer = catalog[catalog.index('<footer class="site-footer">') :]
    assert f'href="mailto:{EMAIL}"' in footer and PHONE in footer


def test_nothing_is_shown_when_no_contact_detail_is_set(client, no_contact, presentation):
    for path in ("/", "/presentations/"):
        page = client.get(path).content.decode()
        assert "Contact the program" not in page
        assert "mailto:" not in page


def test_a_refused_submission_says_how_to_reach_the_program(client, contact, presentation, form_data):
    url = reverse("outreach:request_create", kwargs={"slug": presentation.slug})
    answer = client.post(url, {**form_data, "website": "http://spam.example"})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "please email us instead" in page
    assert f'href="mailto:{EMAIL}"' in page


def test_every_email_to_a_requester_ends_with_the_contact_block_and_staff_emails_do_not(
    client, contact, presentation, form_data, django_capture_on_commit_callbacks
):
    url = reverse("outreach:request_create", kwargs={"slug": presentation.slug})
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {**form_data, "step": "confirm"})
    assert answer.status_code == 302
    to_requester = next(m for m in mail.outbox if m.to == [form_data["contact_email"]])
    assert f"Contact the program: {EMAIL} · {PHONE}\nHours: {HOURS}\n" in to_requester.body
    html = to_requester.alternatives[0][0]
    assert f'<a href="mailto:{EMAIL}">{EMAIL}</a>' in html and HOURS in html
    to_staff = next(m for m in mail.outbox if m.to == [STAFF])
    assert EMAIL not in to_staff.body


@pytest.mark.parametrize("kind", ["request_declined", "request_withdrawn", "request_expired"])
def test_closing_emails_carry_the_contact_block(contact, kind, run_on_commit):
    found = PresentationRequestFactory()
    run_on_commit(lambda: getattr(notify, f"{kind}_notify")(request=found))
    message = next(m for m in mail.outbox if m.to == [found.contact_email])
    assert f"Contact the program: {EMAIL} · {PHONE}" in message.body


def test_without_contact_details_the_email_has_no_empty_contact_line(no_contact, run_on_commit):
    found = PresentationRequestFactory()
    run_on_commit(lambda: notify.request_declined_notify(request=found))
    (message,) = mail.outbox
    assert "Contact the program" not in message.body
    assert "\n\n\n" not in message.body


def test_too_late_to_cancel_shows_the_contact_block(client, contact, request_in):
    found = request_in("scheduled")
    soon = timezone.now() + timedelta(hours=2)
    Booking.objects.filter(request=found).update(start=soon, end=soon + timedelta(hours=1))
    page = client.get(found.get_status_url()).content.decode()
    assert "it can no longer be cancelled online. Please call or email us." in page
    assert f'href="mailto:{EMAIL}"' in page
