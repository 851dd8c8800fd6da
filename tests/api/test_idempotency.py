"""POST /api/v1/requests/ with an Idempotency-Key: the same key and body get the first answer again
and send nothing new; the same key with another body, 409; a malformed key, 400."""

import threading

import pytest
from django.core import mail
from django.db import connection
from rest_framework.test import APIClient

from outreach.models import PresentationRequest, SubmissionKey
from outreach.submissions import MSG_SUBMISSION_KEY_INVALID, MSG_SUBMISSION_KEY_REUSED
from tests.api.conftest import request_body

pytestmark = pytest.mark.django_db

KEY = "5f0c2a4e-8d4b-4f5e-9a41-2b7d3c1e9f60"
RACERS = 4


def post(client, body, key=KEY):
    return client.post("/api/v1/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_and_body_get_the_first_answer_and_send_nothing(anonymous, presentation, audience, run_on_commit):
    body = request_body(presentation, audience)

    first = run_on_commit(lambda: post(anonymous, body))
    first_mail = len(mail.outbox)
    again = run_on_commit(lambda: post(anonymous, dict(reversed(body.items()))))

    saved = PresentationRequest.objects.get()
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["reference"] == again.json()["reference"] == saved.reference
    assert again.json()["status_url"] != first.json()["status_url"]
    for answer in (first, again):
        token = answer.json()["status_url"].split("/")[-2]
        assert anonymous.get(f"/api/v1/requests/{token}/").json()["reference"] == saved.reference
    assert (first.get("Idempotent-Replayed"), again["Idempotent-Replayed"]) == (None, "true")
    assert first_mail == 2
    assert mail.outbox == []


def test_same_key_with_another_body_is_a_conflict(anonymous, presentation, audience, run_on_commit):
    run_on_commit(lambda: post(anonymous, request_body(presentation, audience)))

    other = run_on_commit(lambda: post(anonymous, request_body(presentation, audience, audience_size=60)))

    assert other.status_code == 409
    assert other.json() == {"code": "idempotency_key_reused", "message": str(MSG_SUBMISSION_KEY_REUSED), "fields": {}}
    assert list(PresentationRequest.objects.values_list("audience_size", flat=True)) == [45]
    assert mail.outbox == []


def test_without_a_key_each_post_makes_a_request(anonymous, presentation, audience):
    body = request_body(presentation, audience)

    answers = [anonymous.post("/api/v1/requests/", body, format="json") for _ in range(2)]

    assert [a.status_code for a in answers] == [201, 201]
    assert PresentationRequest.objects.count() == 2
    assert SubmissionKey.objects.count() == 0


@pytest.mark.parametrize("key", ["", "x" * 256, "two words", "clé"])
def test_malformed_key_is_refused(anonymous, presentation, audience, key):
    response = post(anonymous, request_body(presentation, audience), key=key)

    assert response.status_code == 400
    assert response.json() == {
        "code": "idempotency_key_invalid",
        "message": str(MSG_SUBMISSION_KEY_INVALID),
        "fields": {},
    }
    assert PresentationRequest.objects.count() == 0


def test_invalid_body_with_a_key_stores_no_key(anonymous, presentation, audience):
    refused = post(anonymous, request_body(presentation, audience, audience_size=0))
    fixed = post(anonymous, request_body(presentation, audience))

    assert (refused.status_code, fixed.status_code) == (400, 201)
    assert PresentationRequest.objects.count() == 1


def test_a_web_form_key_is_not_an_api_key(anonymous, client, presentation, audience, form_data):
    """The two never answer each other: the same string sent to both makes two requests."""
    client.post(f"/presentations/{presentation.slug}/request/", {**form_data, "step": "confirm", "submission_key": KEY})

    response = post(anonymous, request_body(presentation, audience))

    assert response.status_code == 201
    assert PresentationRequest.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_posts_with_one_key_make_one_request(presentation, audience):
    body = request_body(presentation, audience)
    barrier = threading.Barrier(RACERS, timeout=20)
    answers: list[tuple[int, str]] = []

    def race() -> None:
        try:
            barrier.wait()
            response = post(APIClient(), body)
            answers.append((response.status_code, response.json()["reference"]))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=race) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    saved = PresentationRequest.objects.get()
    assert answers == [(201, saved.reference)] * RACERS
    assert SubmissionKey.objects.count() == 1
