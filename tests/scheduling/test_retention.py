"""Retention and erasure: what a closed request keeps, what erasing empties, who may erase or delete,
and the daily task that erases what is due and empties old email bodies."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from common.dates import day
from common.links import link_issue
from common.models import LinkPurpose, PrivateLink
from outcomes.models import HostEvaluation
from outcomes.services import evaluation_reminders_queue_due
from outreach.models import PresentationRequest
from outreach.selectors import MSG_REQUEST_ERASED
from scheduling.models import AuditEntry, Booking, Notification, NotificationStatus
from scheduling.services import retention
from scheduling.services.notify import request_submitted_notify
from scheduling.services.retention import ERASE_ACTION, MSG_STILL_OPEN, REASON_RETENTION, request_erase
from scheduling.services.review import request_withdraw
from scheduling.tasks import apply_retention
from tests.factories import PresentationRequestFactory

pytestmark = pytest.mark.django_db

# What the factory and ``request_in`` put on a request, and what a requester or staff typed about it.
PERSONAL = (
    "Roosevelt High School",
    "Dana Whitfield",
    "dana@example.net",
    "507-555-0142",
    "100 Division St S",
    "Northfield",
    "55057",
    "Youth director",
    "Wheelchair ramp at the north door",
    "Ask for Pat at the front desk",
    "Room 4",
    "The room flooded.",
    "https://example.net/register-with-dana",
)


def erased_on(request: PresentationRequest) -> str:
    return f"Personal details erased on {dateformat.format(timezone.localtime(request.erased_at), 'M j, Y')}"


@pytest.fixture
def cancelled(request_in, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        found = request_in("cancelled")
    token = found.status_token
    PresentationRequest.objects.filter(pk=found.pk).update(
        notes="Ask for Pat at the front desk",
        accessibility_needs="Wheelchair ramp at the north door",
        registration_url="https://example.net/register-with-dana",
    )
    found.refresh_from_db()
    found.token = token
    link_issue(purpose=LinkPurpose.HOST_EVALUATION, subject_id=found.booking.pk)
    return found


def everything_stored_about(request: PresentationRequest) -> str:
    """Every text the database holds about the request, its booking, proposals, trail and emails."""
    request.refresh_from_db()
    booking = Booking.objects.get(request=request)
    texts = [str(getattr(request, f.attname)) for f in PresentationRequest._meta.fields]
    texts += [str(getattr(booking, f.attname)) for f in Booking._meta.fields]
    texts += [entry.note for entry in AuditEntry.objects.filter(request=request)]
    for n in Notification.objects.filter(request=request):
        texts += [n.recipient, n.subject, n.body_text, n.body_html, n.ics, n.last_error]
    return "\n".join(texts)


# --- The service: what goes, what stays -------------------------------------------------------------


def test_erasing_empties_personal_data_and_keeps_what_reports_count(cancelled, staff_user):
    before = everything_stored_about(cancelled)
    kept = {
        name: getattr(cancelled, name)
        for name in (
            "reference",
            "status",
            "presentation_id",
            "organization_type",
            "county",
            "audience_id",
            "audience_size",
            "language_id",
            "format",
            "submitted_at",
            "status_changed_at",
        )
    }

    erased = request_erase(request=cancelled, by=staff_user)

    after = everything_stored_about(erased)
    assert [value for value in PERSONAL if value in before] == list(PERSONAL)
    assert [value for value in PERSONAL if value in after] == []
    assert {name: getattr(erased, name) for name in kept} == kept
    assert erased.erased_at is not None
    assert (erased.contact_email, erased.contact_name, erased.organization_name, erased.may_list_publicly) == (
        "",
        "",
        "",
        False,
    )
    assert erased.organization_key != ""
    assert [(n.recipient, n.subject, n.body_text) for n in Notification.objects.filter(request=erased)] == [
        (f"erased-{pk}", "", "") for pk in Notification.objects.filter(request=erased).values_list("pk", flat=True)
    ]


def test_erasing_revokes_the_status_and_evaluation_links(cancelled, staff_user):
    request_erase(request=cancelled, by=staff_user)

    live = PrivateLink.objects.filter(revoked_at__isnull=True)
    assert list(live.filter(purpose=LinkPurpose.REQUEST_STATUS, subject_id=cancelled.pk)) == []
    assert list(live.filter(purpose=LinkPurpose.HOST_EVALUATION, subject_id=cancelled.booking.pk)) == []


def test_erasing_empties_the_evaluation_comments_and_keeps_its_ratings(request_in, staff_user):
    completed = request_in("completed")
    HostEvaluation.objects.create(
        booking=completed.booking,
        rating=5,
        usefulness=4,
        confirmed_attendance=21,
        next_step="train_staff",
        would_request_again="yes",
        comments="Dana loved it",
    )

    request_erase(request=completed, by=staff_user)

    evaluation = HostEvaluation.objects.get(booking=completed.booking)
    assert (evaluation.comments, evaluation.rating, evaluation.usefulness, evaluation.confirmed_attendance) == (
        "",
        5,
        4,
        21,
    )


def test_erasing_again_changes_nothing(cancelled, staff_user):
    first = request_erase(request=cancelled, by=staff_user)

    second = request_erase(request=cancelled, by=staff_user)

    assert second.erased_at == first.erased_at
    assert AuditEntry.objects.filter(request=cancelled, action=ERASE_ACTION).count() == 1


def test_the_audit_entry_says_who_and_when_not_what(cancelled, staff_user, clock):
    moment = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    clock(moment)

    request_erase(request=cancelled, by=staff_user, reason="The requester asked by phone.")

    entry = AuditEntry.objects.get(request=cancelled, action=ERASE_ACTION)
    assert (entry.actor, entry.by, entry.at, entry.from_status, entry.to_status, entry.note) == (
        "staff",
        staff_user,
        moment,
        "cancelled",
        "cancelled",
        "The requester asked by phone.",
    )
    trail = "\n".join(AuditEntry.objects.filter(request=cancelled).values_list("note", flat=True))
    assert [value for value in PERSONAL if value in trail] == []


def test_an_open_request_is_not_erased(request_in, staff_user):
    scheduled = request_in("scheduled")

    with pytest.raises(retention.RequestStillOpen, match="decline or cancel it first"):
        request_erase(request=scheduled, by=staff_user)

    scheduled.refresh_from_db()
    assert (scheduled.erased_at, scheduled.contact_email) == (None, "dana@example.net")


def test_a_pending_email_of_an_erased_request_is_never_sent(
    presentation, staff_user, django_capture_on_commit_callbacks
):
    found = PresentationRequestFactory(presentation=presentation)
    request_withdraw(request=found, note="Changed plans")  # queues emails; the worker has not sent them
    pending = Notification.objects.filter(request=found, status=NotificationStatus.PENDING)
    assert pending.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        request_erase(request=found, by=staff_user)

    assert set(Notification.objects.filter(request=found).values_list("status", flat=True)) == {"failed"}
    assert mail.outbox == []


# --- The requester's link ----------------------------------------------------------------------


def test_the_status_link_answers_410_saying_the_details_were_erased(cancelled, staff_user):
    assert Client().get(f"/requests/{cancelled.token}/").status_code == 200

    erased = request_erase(request=cancelled, by=staff_user)

    page = Client().get(f"/requests/{cancelled.token}/")
    api = APIClient().get(f"/api/v1/requests/{cancelled.token}/")
    assert page.status_code == 410
    assert f"Personal details erased on {day(erased.erased_at)}." in page.text
    assert str(MSG_REQUEST_ERASED) in page.text
    assert "Roosevelt" not in page.text
    assert (api.status_code, api.json()) == (
        410,
        {"code": "request_erased", "message": str(MSG_REQUEST_ERASED), "fields": {}},
    )
    assert Client().get(f"/requests/{cancelled.token}/print/").status_code == 410


# --- Staff: the page, the API, the admin ---------------------------------------------------------


def test_staff_erase_from_the_request_page_after_confirming(staff_client, cancelled):
    detail = staff_client.get(f"/staff/requests/{cancelled.pk}/")
    confirm = staff_client.get(f"/staff/requests/{cancelled.pk}/erase/")
    assert PresentationRequest.objects.get(pk=cancelled.pk).erased_at is None

    response = staff_client.post(f"/staff/requests/{cancelled.pk}/erase/", {"reason": "Asked by email."})

    after = staff_client.get(f"/staff/requests/{cancelled.pk}/")
    erased = PresentationRequest.objects.get(pk=cancelled.pk)
    assert "Erase personal details…" in detail.text
    assert "This cannot be undone." in confirm.text
    assert (response.status_code, response.url) == (302, f"/staff/requests/{cancelled.pk}/")
    assert f"{erased_on(erased)}." in after.text
    assert f'<span class="reference">{erased.reference}</span> (personal details erased)</h1>' in after.text
    assert [value for value in PERSONAL if value in after.text] == []
    assert "Revoke the link and send a new one" not in after.text
    assert AuditEntry.objects.get(request=erased, action=ERASE_ACTION).note == "Asked by email."


def test_staff_page_refuses_to_erase_an_open_request(staff_client, request_in):
    scheduled = request_in("scheduled")

    detail = staff_client.get(f"/staff/requests/{scheduled.pk}/")
    response = staff_client.post(f"/staff/requests/{scheduled.pk}/erase/", {"reason": ""})

    assert "can be erased once the request is closed" in detail.text
    assert response.status_code == 409
    assert MSG_STILL_OPEN in response.text
    assert PresentationRequest.objects.get(pk=scheduled.pk).erased_at is None


def test_erasing_needs_staff_and_a_csrf_token(client, django_user_model, cancelled, staff_user):
    client.force_login(django_user_model.objects.create_user("visitor"))
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(staff_user)

    assert client.post(f"/staff/requests/{cancelled.pk}/erase/").status_code == 403
    assert forged.post(f"/staff/requests/{cancelled.pk}/erase/").status_code == 403
    assert APIClient().post(f"/api/v1/staff/requests/{cancelled.pk}/erase/", {}).status_code in (401, 403)
    assert PresentationRequest.objects.get(pk=cancelled.pk).erased_at is None


@pytest.fixture
def api(staff_user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_user).key}")
    return client


def test_staff_api_erases_and_answers_the_erased_request(api, cancelled):
    response = api.post(f"/api/v1/staff/requests/{cancelled.pk}/erase/", {"reason": "Asked by phone."}, format="json")

    body = response.json()
    erased = PresentationRequest.objects.get(pk=cancelled.pk)
    assert response.status_code == 200
    assert body["erased_at"] == timezone.localtime(erased.erased_at).isoformat()
    assert (body["contact_name"], body["contact_email"], body["notes"], body["county"]) == ("", "", "", "rice")
    assert "organization_key" not in body
    assert body["audit_trail"][-1]["action"] == ERASE_ACTION
    assert body["audit_trail"][-1]["by"] == "sam"
    assert body["audit_trail"][-1]["note"] == "Asked by phone."
    assert [n["recipient"] for n in body["notifications"]] == [
        f"erased-{pk}" for pk in Notification.objects.filter(request=erased).values_list("pk", flat=True)
    ]


def test_staff_api_refuses_an_open_request_with_409(api, request_in):
    scheduled = request_in("scheduled")

    response = api.post(f"/api/v1/staff/requests/{scheduled.pk}/erase/", {}, format="json")

    assert (response.status_code, response.json()) == (
        409,
        {"code": "invalid_transition", "message": MSG_STILL_OPEN, "fields": {}},
    )


def test_the_erase_endpoint_is_in_the_openapi_schema(staff_client):
    schema = staff_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    operation = schema["paths"]["/api/v1/staff/requests/{id}/erase/"]["post"]
    assert operation["summary"] == "Erase the requester's personal details"
    assert sorted(operation["responses"]) == ["200", "400", "401", "403", "404", "409", "413", "415", "429"]
    assert (
        operation["responses"]["409"]["content"]["application/json"]["examples"]["InvalidTransition"]["value"]["code"]
        == "invalid_transition"
    )


@pytest.fixture
def superuser_client(staff_user) -> Client:
    staff_user.is_superuser = True
    staff_user.save()
    client = Client()
    client.force_login(staff_user)
    return client


def test_admin_action_asks_then_erases_closed_requests_only(superuser_client, cancelled, request_in):
    scheduled = request_in("scheduled")
    selected = {"action": "erase_personal_data", "_selected_action": [cancelled.pk, scheduled.pk]}

    asked = superuser_client.post("/admin/outreach/presentationrequest/", selected)
    untouched = PresentationRequest.objects.get(pk=cancelled.pk).erased_at
    done = superuser_client.post("/admin/outreach/presentationrequest/", {**selected, "confirm": "yes"}, follow=True)

    assert asked.status_code == 200
    assert "Erase personal details?" in asked.text
    assert untouched is None
    assert "Personal details erased from 1 request(s)." in done.text
    assert f"1 open request(s) left as they were: {MSG_STILL_OPEN}" in done.text
    assert PresentationRequest.objects.get(pk=cancelled.pk).erased_at is not None
    assert PresentationRequest.objects.get(pk=scheduled.pk).erased_at is None


def test_superuser_deletes_a_closed_request_in_the_admin(superuser_client, cancelled):
    url = f"/admin/outreach/presentationrequest/{cancelled.pk}/delete/"

    asked = superuser_client.get(url)
    response = superuser_client.post(url, {"post": "yes"})

    assert asked.status_code == 200
    assert "Are you sure" in asked.text
    assert response.status_code == 302
    assert PresentationRequest.objects.filter(pk=cancelled.pk).exists() is False
    assert list(PrivateLink.objects.filter(purpose=LinkPurpose.REQUEST_STATUS, subject_id=cancelled.pk)) == []
    assert Client().get(f"/requests/{cancelled.token}/").status_code == 404


def test_only_a_superuser_deletes_and_only_a_closed_request(superuser_client, staff_user, request_in, cancelled):
    scheduled = request_in("scheduled")
    open_delete = superuser_client.get(f"/admin/outreach/presentationrequest/{scheduled.pk}/delete/")
    staff_user.is_superuser = False
    staff_user.save()
    staff_user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_presentationrequest", "delete_presentationrequest"])
    )
    staff = Client()
    staff.force_login(staff_user)

    staff_delete = staff.post(f"/admin/outreach/presentationrequest/{cancelled.pk}/delete/", {"post": "yes"})

    assert open_delete.status_code == 403
    assert staff_delete.status_code == 403
    assert PresentationRequest.objects.filter(pk__in=[cancelled.pk, scheduled.pk]).count() == 2


# --- The daily task ------------------------------------------------------------------------------


def test_the_daily_task_is_scheduled():
    assert settings.CELERY_BEAT_SCHEDULE["retention"]["task"] == apply_retention.name


def test_the_task_erases_closed_requests_once_the_retention_period_is_over(cancelled, request_in, clock):
    scheduled = request_in("scheduled")
    closed_at = PresentationRequest.objects.get(pk=cancelled.pk).status_changed_at

    clock(closed_at + timedelta(days=settings.RETENTION_DAYS - 1))
    early = apply_retention()
    clock(closed_at + timedelta(days=settings.RETENTION_DAYS, minutes=1))
    due = apply_retention()

    erased = PresentationRequest.objects.get(pk=cancelled.pk)
    assert early["requests_erased"] == 0
    assert due["requests_erased"] == 1
    assert erased.erased_at == closed_at + timedelta(days=settings.RETENTION_DAYS, minutes=1)
    assert erased.contact_email == ""
    assert PresentationRequest.objects.get(pk=scheduled.pk).erased_at is None
    entry = AuditEntry.objects.get(request=erased, action=ERASE_ACTION)
    assert (entry.actor, entry.by, entry.note) == ("system", None, REASON_RETENTION)
    assert Client().get(f"/requests/{cancelled.token}/").status_code == 410


def test_the_task_erases_in_batches_with_the_same_queries_whatever_the_number(presentation, clock, settings):
    settings.RETENTION_BATCH_SIZE = 3

    def closed_requests(n: int) -> None:
        for _ in range(n):
            found = PresentationRequestFactory(presentation=presentation, status="declined")
            AuditEntry.objects.create(request=found, actor="staff", action="decline", to_status="declined", note="x")

    now = timezone.now()
    closed_requests(3)
    clock(now + timedelta(days=settings.RETENTION_DAYS + 1))
    with CaptureQueriesContext(connection) as one_batch:
        assert retention.requests_erase_due() == 3
    clock(now)
    closed_requests(3)
    clock(now + timedelta(days=settings.RETENTION_DAYS + 2))
    with CaptureQueriesContext(connection) as same_batch:
        assert retention.requests_erase_due() == 3
    clock(now)
    closed_requests(7)
    clock(now + timedelta(days=settings.RETENTION_DAYS + 3))
    with CaptureQueriesContext(connection) as three_batches:
        assert retention.requests_erase_due() == 7

    per_batch = len(same_batch) - 1  # the last look finds nothing
    assert len(one_batch) >= len(same_batch)  # the first one also made the data version counters
    assert len(three_batches) == 3 * per_batch + 1
    assert PresentationRequest.objects.filter(erased_at__isnull=True).count() == 0


def test_the_task_empties_sent_email_bodies_after_the_outbox_period(
    presentation, clock, django_capture_on_commit_callbacks
):
    found = PresentationRequestFactory(presentation=presentation)
    with django_capture_on_commit_callbacks(execute=True):
        request_submitted_notify(request=found)
    sent = Notification.objects.filter(request=found, status=NotificationStatus.SENT)
    assert sent.count() == 2
    sent_at = sent.first().sent_at

    clock(sent_at + timedelta(days=settings.OUTBOX_RETENTION_DAYS - 1))
    early = apply_retention()
    clock(sent_at + timedelta(days=settings.OUTBOX_RETENTION_DAYS, minutes=1))
    due = apply_retention()

    assert (early["bodies_purged"], due["bodies_purged"]) == (0, 2)
    rows = Notification.objects.filter(request=found).order_by("pk")
    assert [(n.body_text, n.body_html, n.ics) for n in rows] == [("", "", "")] * 2
    assert [n.recipient for n in rows] == ["dana@example.net", "staff@outreach.test"]
    assert [n.subject for n in rows] == [
        f"We received your presentation request {found.reference}",
        f"New request {found.reference}: {presentation.title} for Northfield Community Church",
    ]
    assert PresentationRequest.objects.get(pk=found.pk).erased_at is None


def test_the_task_deletes_links_revoked_long_ago_and_keeps_live_ones(presentation, clock):
    found = PresentationRequestFactory(presentation=presentation)
    old = PrivateLink.objects.get(purpose=LinkPurpose.REQUEST_STATUS, subject_id=found.pk)
    PrivateLink.objects.filter(pk=old.pk).update(revoked_at=timezone.now())
    live_token = link_issue(purpose=LinkPurpose.REQUEST_STATUS, subject_id=found.pk)

    clock(timezone.now() + timedelta(days=settings.OUTBOX_RETENTION_DAYS + 1))
    done = apply_retention()

    assert done["links_pruned"] == 1
    assert PrivateLink.objects.filter(pk=old.pk).exists() is False
    assert Client().get(f"/requests/{found.token}/").status_code == 404
    assert Client().get(f"/requests/{live_token}/").status_code == 200


def test_the_command_counts_in_a_dry_run_and_erases_otherwise(cancelled, clock, capsys):
    closed_at = PresentationRequest.objects.get(pk=cancelled.pk).status_changed_at
    clock(closed_at + timedelta(days=settings.RETENTION_DAYS + 1))

    call_command("erase_expired", "--dry-run")
    dry = capsys.readouterr().out
    untouched = PresentationRequest.objects.get(pk=cancelled.pk).erased_at
    call_command("erase_expired")
    done = capsys.readouterr().out

    assert dry.startswith("Due: 1 request(s) to erase, ")
    assert untouched is None
    assert done.startswith("Done: 1 request(s) erased, ")
    assert PresentationRequest.objects.get(pk=cancelled.pk).erased_at is not None


def test_the_queue_says_a_request_was_erased(staff_client, cancelled, staff_user):
    erased = request_erase(request=cancelled, by=staff_user)

    queue = staff_client.get("/staff/", {"status": "cancelled"})

    assert f"{erased_on(erased)}</em>" in queue.text
    assert "Roosevelt High School" not in queue.text


def test_an_erased_request_gets_no_evaluation_reminder(request_in, staff_user, clock):
    completed = request_in("completed")
    request_erase(request=completed, by=staff_user)

    clock(timezone.now() + timedelta(days=settings.EVALUATION_REMINDER_AFTER_DAYS + 1))
    queued = evaluation_reminders_queue_due()

    assert queued == 0
    assert Notification.objects.filter(request=completed, kind="evaluation_reminder").count() == 0


def test_the_admin_history_no_longer_names_the_organization(superuser_client, cancelled, staff_user):
    LogEntry.objects.log_actions(user_id=staff_user.pk, queryset=[cancelled], action_flag=CHANGE, change_message="[]")
    assert LogEntry.objects.get().object_repr == f"{cancelled.reference} Roosevelt High School"

    request_erase(request=cancelled, by=staff_user)
    superuser_client.post(f"/admin/outreach/presentationrequest/{cancelled.pk}/delete/", {"post": "yes"})

    assert [(e.action_flag, e.object_repr) for e in LogEntry.objects.order_by("pk")] == [
        (CHANGE, f"Request {cancelled.pk}"),
        (DELETION, f"Request {cancelled.pk}"),
    ]


def test_the_staff_calendar_says_an_erased_requests_details_were_erased(staff_client, request_in, staff_user):
    completed = request_in("completed")
    day = timezone.localdate(completed.booking.start)
    url = "/staff/calendar/events.json?" + urlencode({"start": str(day), "end": str(day + timedelta(days=1))})
    before = staff_client.get(url)

    request_erase(request=completed, by=staff_user)

    after = staff_client.get(url)
    title = completed.presentation.title
    assert [event["title"] for event in before.json()] == [f"{completed.reference} Roosevelt High School: {title}"]
    assert [event["title"] for event in after.json()] == [f"{completed.reference} (personal details erased): {title}"]
    assert [value for value in PERSONAL if value in after.text] == []


def log_change(obj, *, by, repr_: str) -> None:
    LogEntry.objects.create(
        user=by,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=repr_,
        action_flag=CHANGE,
        change_message="[]",
    )


# What a row's str() would say had it named the requester when its admin entry was written.
NAMED = "Roosevelt High School, Dana Whitfield"


def test_the_admin_history_of_an_erased_requests_rows_names_none_of_them(request_in, staff_user, lead):
    completed = request_in("completed")
    booking = completed.booking
    evaluation = HostEvaluation.objects.create(booking=booking, rating=5, usefulness=4, confirmed_attendance=20)
    notification = Notification.objects.filter(request=completed).first()
    audit_entry = AuditEntry.objects.filter(request=completed).first()
    window = completed.windows.first()
    other = request_in("completed")
    for obj in (window, booking, evaluation, notification, audit_entry, other.booking):
        log_change(obj, by=staff_user, repr_=f"{obj} {NAMED}")
    log_change(lead, by=staff_user, repr_=str(lead))

    request_erase(request=completed, by=staff_user)

    assert [entry.object_repr for entry in LogEntry.objects.order_by("pk")] == [
        f"Preferred window {window.pk}",
        f"Booking {booking.pk}",
        f"Host evaluation {evaluation.pk}",
        f"Notification {notification.pk}",
        f"Audit entry {audit_entry.pk}",
        f"{other.booking} {NAMED}",  # another request's booking: not erased
        "Ana Lindqvist",  # presenters are the program's staff and volunteers, not requesters
    ]


def test_deleting_a_request_also_takes_the_names_out_of_its_rows_history(superuser_client, cancelled, staff_user):
    log_change(cancelled.booking, by=staff_user, repr_=f"{cancelled.booking} {NAMED}")

    superuser_client.post(f"/admin/outreach/presentationrequest/{cancelled.pk}/delete/", {"post": "yes"})

    assert PresentationRequest.objects.filter(pk=cancelled.pk).exists() is False
    assert [(e.action_flag, e.object_repr) for e in LogEntry.objects.order_by("pk")] == [
        (CHANGE, f"Booking {cancelled.booking.pk}"),
        (DELETION, f"Request {cancelled.pk}"),
    ]


def test_the_presenters_booking_page_says_the_details_were_erased(request_in, staff_user, django_user_model):
    completed = request_in("completed")
    presenter = completed.booking.lead_presenter
    presenter.user = django_user_model.objects.create_user("lead-presenter", presenter.email, "pw")
    presenter.save()
    client = Client()
    client.force_login(presenter.user)
    url = f"/my/bookings/{completed.booking.pk}/"
    assert "Dana Whitfield" in client.get(url).text

    request_erase(request=completed, by=staff_user)

    after = client.get(url)
    assert after.status_code == 200
    assert f"{completed.presentation.title} · (personal details erased)" in after.text
    assert "<dt>Contact</dt><dd>(personal details erased)</dd>" in after.text
    assert [value for value in PERSONAL if value in after.text] == []
