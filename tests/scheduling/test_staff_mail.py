"""The staff inbox's mail as it arrives: the new-request notice's layout and every Message-ID's domain."""

import email
from email import policy

import pytest
from django.core import mail

from outreach.services import Window, request_submit
from tests.factories import PresentationRequestFactory, days_ahead

pytestmark = pytest.mark.django_db

STAFF_INBOX = "staff@outreach.test"


def submit(presentation, audience, **fields):
    template = PresentationRequestFactory.build(presentation=presentation, audience=audience)
    values = {
        name: getattr(template, name)
        for name in (
            "organization_name", "organization_type", "street_address", "city", "county", "zip_code",
            "contact_name", "contact_role", "contact_email", "contact_phone", "audience", "audience_size",
            "language", "format", "notes",
        )
    }  # fmt: skip
    windows = [Window(days_ahead(30, 10), days_ahead(30, 11)), Window(days_ahead(31, 13), days_ahead(31, 14))]
    return request_submit(presentation=presentation, windows=windows, **{**values, **fields})


def test_new_request_email_to_staff_has_no_stray_blank_lines(presentation, audience, run_on_commit):
    request = run_on_commit(lambda: submit(presentation, audience))

    (notice,) = [m for m in mail.outbox if m.to == [STAFF_INBOX]]
    lines = notice.body.split("\n")
    blank_runs = [n for n in range(1, len(lines)) if lines[n] == "" and lines[n - 1] == ""]
    assert blank_runs == []
    assert not notice.body.endswith("\n\n")
    paragraphs = notice.body.strip().split("\n\n")
    assert paragraphs[0] == "A new presentation request arrived."
    assert paragraphs[1].split("\n")[0] == f"Reference: {request.reference}"
    assert paragraphs[1].split("\n")[-1].startswith("  2. ")
    assert paragraphs[2].split("\n")[0].startswith("Contact: ")
    assert paragraphs[2].split("\n")[1].startswith("Requester's language: English")
    assert paragraphs[3] == f"Review it: https://outreach.test/staff/requests/{request.pk}/"
    assert len(paragraphs) == 4


def test_message_ids_use_the_sites_domain(presentation, audience, run_on_commit, settings):
    run_on_commit(lambda: submit(presentation, audience))

    ids = [email.message_from_bytes(m.message().as_bytes(), policy=policy.default)["Message-ID"] for m in mail.outbox]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert all(i.startswith("<") and i.endswith("@outreach.test>") for i in ids), ids


def test_message_id_domain_can_be_set(presentation, audience, run_on_commit, settings):
    settings.EMAIL_MESSAGE_ID_DOMAIN = "mail.example.org"

    run_on_commit(lambda: submit(presentation, audience))

    ids = [email.message_from_bytes(m.message().as_bytes(), policy=policy.default)["Message-ID"] for m in mail.outbox]
    assert all(i.endswith("@mail.example.org>") for i in ids), ids
