"""The public pages through the test client: catalog, request form, status page."""

import hashlib
import html
import re
from datetime import datetime, time, timedelta
from html.parser import HTMLParser

import pytest
import redis
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from common.models import LinkPurpose, PrivateLink
from outreach.enums import RequestStatus
from outreach.models import PresentationRequest
from outreach.services import MSG_AUDIENCE_SIZE, window_too_soon_message
from outreach.throttling import MSG_RATE_LIMITED, MSG_SPAM
from outreach.views import MSG_WITHDRAWN
from scheduling.models import AuditEntry, Notification
from tests.factories import (
    CENTRAL,
    AudienceFactory,
    LanguageFactory,
    PresentationFactory,
    PresentationRequestFactory,
)

pytestmark = pytest.mark.django_db


def submit(client, presentation, data, *, step="confirm", **extra):
    """Post the request form at ``step``: "review" from the form, "confirm" or "change" from the summary."""
    return client.post(
        reverse("outreach:request_create", kwargs={"slug": presentation.slug}), {**data, "step": step}, **extra
    )


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
    """Built: the data versions, then the page's 4 queries; then served from the stored copy: the versions only."""
    PresentationFactory.create_batch(2, audiences=[audience])
    with django_assert_num_queries(5):
        client.get("/presentations/")
    PresentationFactory.create_batch(10, audiences=[audience])
    with django_assert_num_queries(5):
        response = client.get("/presentations/")
    with django_assert_num_queries(1):
        again = client.get("/presentations/")
    assert response.text.count("<article>") == 12
    assert again.content == response.content


def test_home_query_count_is_constant(client, django_assert_num_queries, audience):
    PresentationFactory.create_batch(8, audiences=[audience])

    with django_assert_num_queries(4):
        client.get("/")
    with django_assert_num_queries(1):
        client.get("/")


def test_presentation_detail_shows_request_button(client, presentation, django_assert_num_queries):
    with django_assert_num_queries(4):
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
    trail = list(
        AuditEntry.objects.filter(request=request).values_list("actor", "action", "from_status", "to_status", "note")
    )
    assert trail == [
        ("requester", "submit", "", "submitted", ""),
        ("requester", "withdraw", "submitted", "withdrawn", "Our schedule changed."),
    ]
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
    link = PrivateLink.objects.get(purpose=LinkPurpose.REQUEST_STATUS, subject_id=request.pk)
    assert len(token) == 43
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not PrivateLink.objects.filter(token_hash=token).exists()


def test_invalid_submission_keeps_everything_typed(client, presentation, form_data):
    response = submit(
        client, presentation, {**form_data, "window_1_date": "2020-01-01", "notes": "Bring handouts"}, step="review"
    )

    assert response.status_code == 400
    assert PresentationRequest.objects.count() == 0
    assert str(window_too_soon_message()) in response.text
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


# --- Checking the answers before sending -----------------------------------------------------


class _HiddenInputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden" and attributes["name"] != "csrfmiddlewaretoken":
            self.values[attributes["name"]] = attributes.get("value") or ""


def hidden_answers(page: str) -> dict[str, str]:
    """The answers the summary page carries to the final step, as a browser would post them."""
    parser = _HiddenInputs()
    parser.feed(page)
    return parser.values


def summary_rows(page: str) -> list[tuple[str, str]]:
    return [
        (html.unescape(term), html.unescape(answer))
        for term, answer in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page, re.S)
    ]


def test_review_summarizes_every_answer_and_sends_nothing(client, presentation, form_data, window_day):
    second_day = window_day + timedelta(days=1)
    response = submit(
        client,
        presentation,
        {
            **form_data,
            "window_2_date": second_day.isoformat(),
            "window_2_start": "13:00",
            "window_2_end": "14:15",
            "notes": "Parking behind the gym.\nAsk at the front desk.",
            "may_list_publicly": "on",
        },
        step="review",
    )

    assert response.status_code == 200
    assert "<h1>Check your request</h1>" in response.text
    assert summary_rows(response.text) == [
        ("Organization name", "Roosevelt High School"),
        ("Type of organization", "School"),
        ("Address", "4029 28th Ave S, Minneapolis 55406"),
        ("County", "Hennepin"),
        ("Name", "Maria Lopez"),
        ("Role or title", "School counselor"),
        ("Email", "maria.lopez@example.edu"),
        ("Phone", "+1 612-555-0123"),
        ("Who", "Educators and school staff"),
        ("How many", "About 45 people"),
        ("Age range or grade band", "Staff"),
        ("Young people under 18", "No"),
        ("Language", "English"),
        ("Format", "In person"),
        ("First choice", f"{window_day:%A, %B} {window_day.day}, {window_day.year}, 9:00 AM – 10:30 AM (Central time)"),
        ("Second choice", f"{second_day:%A, %B} {second_day.day}, {second_day.year}, 1:00 PM – 2:15 PM (Central time)"),
        ("Accessibility or interpreter needs", "An ASL interpreter for one participant."),
        ("Projector and screen available", "Yes"),
        ("Open to the public", "No"),
        ("Public listing", "Yes, with your organization's name, the date and the place"),
        ("Notes for our staff", "Parking behind the gym.<br>Ask at the front desk."),
        ("How you heard about us", "A colleague or another organization"),
    ]
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", response.text) == [
        "Your organization",
        "Contact person",
        "Audience",
        "Format",
        "Preferred dates and times",
        "Logistics",
        "Anything else",
    ]
    assert '<button type="submit" name="step" value="confirm">Send request</button>' in response.text
    assert 'name="step" value="change" class="secondary outline">Change my answers</button>' in response.text
    assert PresentationRequest.objects.count() == 0
    assert mail.outbox == []


def test_review_of_a_virtual_request_names_the_platform(client, presentation, form_data):
    response = submit(
        client, presentation, {**form_data, "format": "virtual", "virtual_platform": "Zoom"}, step="review"
    )

    rows = summary_rows(response.text)
    assert rows[13:15] == [("Format", "Virtual"), ("Virtual platform", "Zoom")]


def test_review_then_send_submits_what_was_shown(client, presentation, form_data, window_day):
    review = submit(client, presentation, {**form_data, "notes": "Line one\nLine two"}, step="review")

    sent = submit(client, presentation, hidden_answers(review.text), step="confirm")

    assert sent.status_code == 302
    request = PresentationRequest.objects.get()
    assert sent["Location"] == f"/requests/{sent['Location'].split('/')[2]}/received/"
    assert (request.organization_name, request.contact_phone, request.notes, request.av_available) == (
        "Roosevelt High School",
        "+1 612-555-0123",
        "Line one\nLine two",
        True,
    )
    window = request.windows.get()
    assert (window.start, window.end) == (
        datetime.combine(window_day, time(9, 0), tzinfo=CENTRAL),
        datetime.combine(window_day, time(10, 30), tzinfo=CENTRAL),
    )


def test_change_my_answers_shows_the_form_with_everything_kept(client, presentation, form_data, window_day):
    review = submit(client, presentation, {**form_data, "notes": "Bring handouts"}, step="review")

    changed = submit(client, presentation, hidden_answers(review.text), step="change")

    assert changed.status_code == 200
    assert "<h1>Request a presentation</h1>" in changed.text
    assert 'role="alert"' not in changed.text
    assert 'value="Roosevelt High School"' in changed.text
    assert 'value="+1 612-555-0123"' in changed.text
    assert "Bring handouts</textarea>" in changed.text
    assert f'value="{window_day.isoformat()}"' in changed.text
    assert 'name="av_available" id="id_av_available" checked' in changed.text
    assert 'value="in_person" id="id_format_0" required checked' in changed.text
    assert PresentationRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("tampered", "field", "message"),
    [
        ({"audience_size": "-5"}, "audience_size", str(MSG_AUDIENCE_SIZE)),
        ({"window_1_date": "2020-01-01"}, "window_1_date", str(window_too_soon_message())),
        ({"contact_email": "not-an-email"}, "contact_email", "Enter a valid email address."),
        ({"organization_name": ""}, "organization_name", "This field is required."),
    ],
)
def test_send_validates_the_carried_answers_again(client, presentation, form_data, tampered, field, message):
    review = submit(client, presentation, form_data, step="review")

    sent = submit(client, presentation, {**hidden_answers(review.text), **tampered}, step="confirm")

    assert sent.status_code == 400
    assert f'<small class="error" id="id_{field}_error">{html.escape(message)}</small>' in sent.text
    assert f'aria-invalid="true" aria-describedby="id_{field}_error' in sent.text
    assert PresentationRequest.objects.count() == 0
    assert mail.outbox == []


def test_send_refuses_a_language_the_presentation_is_not_given_in(client, presentation, form_data):
    somali = LanguageFactory(code="so", name="Somali")
    review = submit(client, presentation, form_data, step="review")

    sent = submit(client, presentation, {**hidden_answers(review.text), "language": str(somali.pk)}, step="confirm")

    assert sent.status_code == 400
    assert PresentationRequest.objects.count() == 0
    invalid = "Select a valid choice. That choice is not one of the available choices."
    assert f'<small class="error" id="id_language_error">{invalid}</small>' in sent.text


def test_send_with_the_honeypot_filled_is_refused(client, presentation, form_data):
    review = submit(client, presentation, form_data, step="review")

    sent = submit(client, presentation, {**hidden_answers(review.text), "website": "http://spam.example"})

    assert sent.status_code == 400
    assert str(MSG_SPAM) in sent.text
    assert PresentationRequest.objects.count() == 0


@override_settings(REQUEST_RATE_LIMIT="1/h")
def test_reviews_do_not_count_against_rate_limit(client, presentation, form_data):
    for _ in range(3):
        assert submit(client, presentation, form_data, step="review").status_code == 200

    assert submit(client, presentation, form_data).status_code == 302


@override_settings(REQUEST_RATE_LIMIT="1/h")
def test_rate_limited_send_shows_the_summary_again(client, presentation, form_data):
    submit(client, presentation, form_data)

    again = submit(client, presentation, {**form_data, "organization_name": "Second School"})

    assert again.status_code == 429
    assert "<h1>Check your request</h1>" in again.text
    assert f'<p class="notice notice-error" role="alert" id="blocked">{MSG_RATE_LIMITED}</p>' in again.text
    assert hidden_answers(again.text)["organization_name"] == "Second School"


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


def test_catalog_audience_filter_offers_only_audiences_some_presentation_serves(client, presentation, audience):
    AudienceFactory(name="Faith communities", slug="faith")
    retired_only = AudienceFactory(name="Truck drivers", slug="truckers")
    PresentationFactory(title="Retired talk", audiences=[retired_only], is_active=False)

    options = re.findall(r'<option value="([^"]*)"', client.get("/presentations/").text)

    assert "educators" in options
    assert "faith" not in options and "truckers" not in options


def test_an_empty_catalog_result_suggests_what_to_try(client, settings, presentation):
    settings.PROGRAM_CONTACT_EMAIL = "outreach@program.test"
    parents = AudienceFactory(name="Parents and caregivers", slug="parents")
    PresentationFactory(title="Talking with Teens", audiences=[parents], offers_in_person=True, offers_virtual=False)

    empty = client.get("/presentations/", {"audience": "parents", "format": "virtual"}).text

    assert "No presentation matches these filters." in empty
    assert "Try one of these:" in empty
    assert (
        'href="/presentations/?audience=parents">Every presentation for Parents and caregivers, in any format' in empty
    )
    assert 'href="/presentations/?format=virtual">Every presentation for any audience (format: Virtual)' in empty
    assert 'href="mailto:outreach@program.test"' in empty
