"""One request, however often the "Send request" step is posted: a double click, or Back and send
again, makes one request and one set of emails; the repeat answers with the received page."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from common.models import LinkPurpose, PrivateLink
from outreach.models import PresentationRequest, SubmissionKey
from outreach.submissions import submission_keys_prune
from outreach.tasks import prune_submission_keys
from outreach.views import MSG_SENT_WITH_OTHER_ANSWERS
from tests.factories import PresentationRequestFactory
from tests.outreach.test_views import hidden_answers, status_path_from, submit

pytestmark = pytest.mark.django_db


def summary_for(client, presentation, form_data) -> dict[str, str]:
    """Open the form, fill it in and check it: the answers the summary's "Send request" posts."""
    form_page = client.get(reverse("outreach:request_create", kwargs={"slug": presentation.slug}))
    key = hidden_answers(form_page.text)["submission_key"]
    review = submit(client, presentation, {**form_data, "submission_key": key}, step="review")
    assert review.status_code == 200
    return hidden_answers(review.text)


def send(client, presentation, answers, run_on_commit):
    return run_on_commit(lambda: submit(client, presentation, answers, step="confirm", follow=True))


def test_form_carries_one_key_from_the_form_to_the_summary(client, presentation, form_data):
    form_page = client.get(reverse("outreach:request_create", kwargs={"slug": presentation.slug}))
    key = hidden_answers(form_page.text)["submission_key"]

    review = submit(client, presentation, {**form_data, "submission_key": key}, step="review")
    changed = submit(client, presentation, hidden_answers(review.text), step="change")

    assert len(key) == 43
    assert hidden_answers(review.text)["submission_key"] == key
    assert hidden_answers(changed.text)["submission_key"] == key
    assert hidden_answers(client.get(form_page.request["PATH_INFO"]).text)["submission_key"] != key


def test_send_twice_makes_one_request_and_one_set_of_emails(client, presentation, form_data, run_on_commit):
    answers = summary_for(client, presentation, form_data)

    first = send(client, presentation, answers, run_on_commit)
    first_mail = [(m.to, m.subject) for m in mail.outbox]
    again = send(client, presentation, answers, run_on_commit)

    request = PresentationRequest.objects.get()
    assert first_mail == [
        (["maria.lopez@example.edu"], f"We received your presentation request {request.reference}"),
        (
            ["staff@outreach.test"],
            f"New request {request.reference}: Recognizing and Responding: Schools for Roosevelt High School",
        ),
    ]
    assert mail.outbox == []
    for answer in (first, again):
        assert answer.status_code == 200
        assert answer.redirect_chain[0][1] == 302
        assert "Thank you: your request has been received" in answer.text
        assert f'Your reference: <strong class="reference">{request.reference}</strong>' in answer.text
    first_link, second_link = status_path_from(first.text), status_path_from(again.text)
    assert first_link != second_link
    for link in (first_link, second_link):
        assert client.get(link).status_code == 200
    links = PrivateLink.objects.filter(purpose=LinkPurpose.REQUEST_STATUS, subject_id=request.pk)
    assert links.count() == 3  # the first page's, the acknowledgement's, the repeat's


def test_repeat_is_answered_even_over_the_submission_limit(client, presentation, form_data, run_on_commit):
    answers = summary_for(client, presentation, form_data)
    send(client, presentation, answers, run_on_commit)

    with override_settings(REQUEST_RATE_LIMIT="1/h"):
        again = send(client, presentation, answers, run_on_commit)

    assert again.status_code == 200
    assert "Thank you: your request has been received" in again.text
    assert PresentationRequest.objects.count() == 1


def test_same_key_with_other_answers_is_refused(client, presentation, form_data, run_on_commit):
    answers = summary_for(client, presentation, form_data)
    send(client, presentation, answers, run_on_commit)

    changed = send(client, presentation, {**answers, "organization_name": "Roosevelt Middle School"}, run_on_commit)

    assert changed.status_code == 409
    assert html.escape(str(MSG_SENT_WITH_OTHER_ANSWERS)) in changed.text
    assert list(PresentationRequest.objects.values_list("organization_name", flat=True)) == ["Roosevelt High School"]
    assert mail.outbox == []


def test_two_forms_send_two_requests(client, presentation, form_data, run_on_commit):
    send(client, presentation, summary_for(client, presentation, form_data), run_on_commit)
    send(client, presentation, summary_for(client, presentation, form_data), run_on_commit)

    assert PresentationRequest.objects.count() == 2


def test_key_older_than_the_setting_sends_again(client, presentation, form_data, run_on_commit):
    answers = summary_for(client, presentation, form_data)
    send(client, presentation, answers, run_on_commit)
    SubmissionKey.objects.update(created_at=timezone.now() - timedelta(hours=25))

    again = send(client, presentation, answers, run_on_commit)

    assert again.status_code == 200
    assert PresentationRequest.objects.count() == 2
    assert SubmissionKey.objects.count() == 1


def test_prune_deletes_keys_older_than_the_setting(presentation):
    old, recent = PresentationRequestFactory.create_batch(2, presentation=presentation)
    SubmissionKey.objects.create(key_hash="a" * 64, request=old, body_hash="b" * 64)
    SubmissionKey.objects.create(key_hash="c" * 64, request=recent, body_hash="b" * 64)
    SubmissionKey.objects.filter(request=old).update(created_at=timezone.now() - timedelta(hours=24, minutes=1))

    with override_settings(SUBMISSION_KEY_HOURS=24):
        assert prune_submission_keys() == 1
        assert submission_keys_prune() == 0

    assert list(SubmissionKey.objects.values_list("request", flat=True)) == [recent.pk]


def test_one_key_hash_cannot_be_stored_twice(presentation):
    first, second = PresentationRequestFactory.create_batch(2, presentation=presentation)
    SubmissionKey.objects.create(key_hash="a" * 64, request=first, body_hash="b" * 64)

    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionKey.objects.create(key_hash="a" * 64, request=second, body_hash="b" * 64)
