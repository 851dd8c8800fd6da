"""The public pages through the test client: catalog, request form, status page."""

import re
from datetime import datetime, time

import pytest
import redis
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from outreach.enums import RequestStatus
from outreach.models import PresentationRequest
from outreach.services import MSG_WINDOW_TOO_SOON
from outreach.views import MSG_RATE_LIMITED, MSG_SPAM, MSG_WITHDRAWN
from scheduling.models import AuditEntry, Notification
from tests.factories import CENTRAL, AudienceFactory, PresentationFactory, PresentationRequestFactory

pytestmark = pytest.mark.django_db


def submit(client, presentation, data, **extra):
    return client.post(reverse("outreach:request_create", kwargs={"slug": presentation.slug}), data, **extra)


def status_path_from(html: str) -> str:
    match = re.search(r'href="https?://[^"/]+(/requests/[A-Za-z0-9_-]{43}/)"', html)
    assert match, "the confirmation page shows the private status link"
    return match.group(1)


# --- Catalog -------------------------------------------------------------------------------


def test_home_introduces_program_and_links_catalog(client, presentation):
    response = client.get("/")

    assert response.status_code == 200
    assert "Free presentations on sex trafficking for your organization" in response.text
    assert 'href="/presentations/"' in response.text
    assert presentation.title in response.text


def test_catalog_lists_active_presentations_only(client, presentation):
    PresentationFactory(title="Retired talk", is_active=False)

    response = client.get("/presentations/")

    assert response.status_code == 200
    assert presentation.title in response.text
    assert "Retired talk" not in response.text


def test_catalog_filters_by_audience_and_format(client, presentation, audience):
    parents = AudienceFactory(name="Parents and caregivers", slug="parents")
    PresentationFactory(title="Online Recruitment", audiences=[parents], offers_in_person=False)

    by_audience = client.get("/presentations/", {"audience": "parents"})
    by_format = client.get("/presentations/", {"format": "in_person"})
    both = client.get("/presentations/", {"audience": "parents", "format": "in_person"})

    assert "Online Recruitment" in by_audience.text and presentation.title not in by_audience.text
    assert presentation.title in by_format.text and "Online Recruitment" not in by_format.text
    assert "No presentation matches these filters." in both.text


def test_catalog_ignores_unknown_filter_values(client, presentation):
    response = client.get("/presentations/", {"audience": "<script>", "format": "carrier-pigeon"})

    assert response.status_code == 200
    assert presentation.title in response.text


def test_catalog_query_count_does_not_grow_with_presentations(client, django_assert_num_queries, audience):
    PresentationFactory.create_batch(2, audiences=[audience])
    with django_assert_num_queries(4):
        client.get("/presentations/")
    PresentationFactory.create_batch(10, audiences=[audience])
    with django_assert_num_queries(4):
        response = client.get("/presentations/")
    assert response.text.count("<article>") == 12


def test_home_query_count_is_constant(client, django_assert_num_queries, audience):
    PresentationFactory.create_batch(8, audiences=[audience])

    with django_assert_num_queries(3):
        client.get("/")


def test_presentation_detail_shows_request_button(client, presentation, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get(f"/presentations/{presentation.slug}/")

    assert response.status_code == 200
    assert f'href="/presentations/{presentation.slug}/request/"' in response.text
    assert "Request this presentation" in response.text


def test_inactive_presentation_pages_answer_404(client):
    retired = PresentationFactory(is_active=False)

    assert client.get(f"/presentations/{retired.slug}/").status_code == 404
    assert client.get(f"/presentations/{retired.slug}/request/").status_code == 404


# --- Submitting ------------------------------------------------------------------------------


def test_submit_confirm_status_withdraw_flow(client, presentation, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, presentation, form_data, follow=True)

    assert response.status_code == 200
    request = PresentationRequest.objects.get()
    assert f'Your reference: <strong class="reference">{request.reference}</strong>' in response.text
    status_path = status_path_from(response.text)

    status = client.get(status_path)
    assert status.status_code == 200
    assert "Submitted" in status.text
    assert "Roosevelt High School" in status.text

    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = client.post(status_path + "withdraw/", {"reason": "Our schedule changed."}, follow=True)

    assert withdrawn.status_code == 200
    assert str(MSG_WITHDRAWN) in withdrawn.text
    assert 'class="status-badge status-withdrawn">Withdrawn<' in withdrawn.text
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    entry = AuditEntry.objects.get(request=request)
    assert (entry.actor, entry.action, entry.from_status, entry.to_status, entry.note) == (
        "requester",
        "withdraw",
        "submitted",
        "withdrawn",
        "Our schedule changed.",
    )
    assert [m.subject for m in mail.outbox] == [
        f"We received your presentation request {request.reference}",
        f"New request {request.reference}: Recognizing and Responding: Schools for Roosevelt High School",
        f"Your request {request.reference} has been withdrawn",
        f"Withdrawn: {request.reference} (Roosevelt High School)",
    ]


def test_submit_saves_every_field(client, presentation, form_data, window_day):
    submit(client, presentation, form_data)

    request = PresentationRequest.objects.get()
    assert (request.organization_name, request.county, request.contact_phone, request.audience_size) == (
        "Roosevelt High School",
        "hennepin",
        "+1 612-555-0123",
        45,
    )
    assert (request.av_available, request.may_list_publicly, request.is_youth_audience) == (True, False, False)
    assert request.status == RequestStatus.SUBMITTED
    assert re.fullmatch(r"OS-[A-Z2-9]{4}-[A-Z2-9]{4}", request.reference)
    window = request.windows.get()
    assert (window.position, window.start, window.end) == (
        1,
        datetime.combine(window_day, time(9, 0), tzinfo=CENTRAL),
        datetime.combine(window_day, time(10, 30), tzinfo=CENTRAL),
    )


def test_submit_stores_only_token_hash(client, presentation, form_data):
    response = submit(client, presentation, form_data)

    token = response.url.split("/")[2]
    request = PresentationRequest.objects.get()
    assert len(token) == 43
    assert token not in request.token_hash
    assert not PresentationRequest.objects.filter(token_hash=token).exists()


def test_invalid_submission_keeps_everything_typed(client, presentation, form_data):
    response = submit(client, presentation, {**form_data, "window_1_date": "2020-01-01", "notes": "Bring handouts"})

    assert response.status_code == 400
    assert PresentationRequest.objects.count() == 0
    assert str(MSG_WINDOW_TOO_SOON % {"days": 14}) in response.text
    assert 'value="Roosevelt High School"' in response.text
    assert 'value="maria.lopez@example.edu"' in response.text
    assert "Bring handouts</textarea>" in response.text
    assert 'value="2020-01-01"' in response.text
    assert 'role="alert"' in response.text
    assert '<a href="#id_window_1_date">First choice: Date:' in response.text


def test_honeypot_submission_is_refused_and_creates_nothing(client, presentation, form_data):
    response = submit(client, presentation, {**form_data, "website": "http://spam.example"})

    assert response.status_code == 400
    assert str(MSG_SPAM) in response.text
    assert PresentationRequest.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@override_settings(REQUEST_RATE_LIMIT="2/h")
def test_rate_limit_blocks_third_submission_and_keeps_typing(client, presentation, form_data):
    first = submit(client, presentation, form_data)
    second = submit(client, presentation, form_data)
    third = submit(client, presentation, {**form_data, "organization_name": "Third School"})

    assert (first.status_code, second.status_code, third.status_code) == (302, 302, 429)
    assert str(MSG_RATE_LIMITED) in third.text
    assert 'value="Third School"' in third.text
    assert PresentationRequest.objects.count() == 2


@override_settings(REQUEST_RATE_LIMIT="1/h")
def test_rate_limit_is_per_client_address(client, presentation, form_data):
    first = submit(client, presentation, form_data, REMOTE_ADDR="203.0.113.5")
    other = submit(client, presentation, form_data, REMOTE_ADDR="198.51.100.7")
    again = submit(client, presentation, form_data, REMOTE_ADDR="203.0.113.5")

    assert (first.status_code, other.status_code, again.status_code) == (302, 302, 429)


@override_settings(REQUEST_RATE_LIMIT="1/h")
def test_invalid_attempts_do_not_count_against_rate_limit(client, presentation, form_data):
    for _ in range(3):
        assert submit(client, presentation, {**form_data, "contact_phone": "123"}).status_code == 400

    assert submit(client, presentation, form_data).status_code == 302


# --- Status page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "abc",  # malformed: too short
        "A" * 43,  # well formed, unknown
        "a" * 100,  # too long
    ],
)
def test_status_page_unknown_or_malformed_token_is_404(client, token):
    assert client.get(f"/requests/{token}/").status_code == 404
    assert client.post(f"/requests/{token}/withdraw/").status_code == 404


def test_status_page_does_not_accept_numeric_id(client):
    request = PresentationRequestFactory()

    assert client.get(f"/requests/{request.pk}/").status_code == 404


def test_status_page_shows_windows_and_state(client, django_assert_num_queries):
    request = PresentationRequestFactory()

    with django_assert_num_queries(2):
        response = client.get(f"/requests/{request.token}/")

    assert response.status_code == 200
    assert 'class="status-badge status-submitted">Submitted<' in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert "Withdraw this request" in response.text


def test_withdraw_twice_answers_409_with_message(client):
    request = PresentationRequestFactory(status=RequestStatus.WITHDRAWN)

    response = client.post(f"/requests/{request.token}/withdraw/", {"reason": ""})

    assert response.status_code == 409
    assert "This request is withdrawn, so it cannot be withdrawn." in response.text
    assert AuditEntry.objects.count() == 0


def test_withdraw_needs_post(client):
    request = PresentationRequestFactory()

    assert client.get(f"/requests/{request.token}/withdraw/").status_code == 405
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_healthz_answers_ok(client):
    response = client.get("/healthz")

    assert (response.status_code, response.text) == (200, "ok")


@pytest.mark.redis
def test_rate_limit_counts_in_redis_shared_by_every_process(client, presentation, form_data, settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url.rsplit("/", 1)[0] + "/14",
            "KEY_PREFIX": "test-ratelimit",
        }
    }
    settings.REQUEST_RATE_LIMIT = "1/h"
    from django.core.cache import cache

    cache.clear()

    first = submit(client, presentation, form_data)
    counters = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).keys("test-ratelimit:*")
    second = submit(client, presentation, form_data)

    assert (first.status_code, second.status_code) == (302, 429)
    assert len(counters) == 1
    cache.clear()
