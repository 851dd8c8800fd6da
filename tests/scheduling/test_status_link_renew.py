"""Staff replace a requester's status link (staff page, staff API, admin): every old link answers
410 with a page that says where to ask, the requester gets a new link by email, the audit trail
says who did it; and no staff page or API shows a working link."""

import re

import pytest
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from outreach.selectors import MSG_LINK_REVOKED
from scheduling.models import AuditEntry
from scheduling.services.notify import request_submitted_notify
from scheduling.services.status_link import RENEW_ACTION
from tests.factories import PresentationRequestFactory
from tests.links import STATUS_LINK, status_link_in

pytestmark = pytest.mark.django_db

CONTACT = "dana@example.net"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("robin", "robin@outreach.test", "pw", is_staff=True)


@pytest.fixture
def request_obj(presentation, django_capture_on_commit_callbacks):
    """A request whose acknowledgement (with its own status link) was sent."""
    request = PresentationRequestFactory(presentation=presentation)
    with django_capture_on_commit_callbacks(execute=True):
        request_submitted_notify(request=request)
    return request


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def assert_replaced(client, request_obj, old_links: list[str]) -> None:
    """Every old link answers 410 saying where to ask; the new email's link opens the request."""
    (renewed,) = [
        m for m in mail.outbox if m.subject == f"Your new link to presentation request {request_obj.reference}"
    ]
    assert renewed.to == [CONTACT]
    new = path_of(status_link_in(renewed.body, request_obj))
    for old in old_links:
        page = client.get(old)
        assert page.status_code == 410, old
        assert "This link no longer works" in page.content.decode()
        assert "we have emailed a new link to the address on the request" in page.content.decode()
    assert Client().get(new).status_code == 200
    entry = AuditEntry.objects.get(request=request_obj, action=RENEW_ACTION)
    assert (entry.actor, entry.by.username, entry.from_status, entry.to_status) == (
        "staff",
        "robin",
        "submitted",
        "submitted",
    )


def test_staff_page_revokes_the_link_and_sends_a_new_one(
    client, staff, request_obj, django_capture_on_commit_callbacks
):
    old_links = [f"/requests/{request_obj.token}/", path_of(re.search(STATUS_LINK, mail.outbox[0].body).group(0))]
    client.force_login(staff)
    detail = client.get(f"/staff/requests/{request_obj.pk}/").content.decode()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/requests/{request_obj.pk}/renew-status-link/")

    assert "Revoke the link and send a new one" in detail
    assert (response.status_code, response.url) == (302, f"/staff/requests/{request_obj.pk}/")
    client.logout()
    assert_replaced(client, request_obj, old_links)
    assert client.get(f"/requests/{request_obj.token}/received/").status_code == 410
    assert client.post(f"/requests/{request_obj.token}/withdraw/", {"reason": ""}).status_code == 410


def test_staff_api_revokes_the_link_and_sends_a_new_one(staff, request_obj, django_capture_on_commit_callbacks):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/staff/requests/{request_obj.pk}/renew-status-link/", {}, format="json")

    gone = APIClient().get(f"/api/v1/requests/{request_obj.token}/")
    assert response.status_code == 200
    assert response.json()["audit_trail"][-1]["action"] == RENEW_ACTION
    assert (gone.status_code, gone.json()) == (
        410,
        {"code": "link_revoked", "message": str(MSG_LINK_REVOKED), "fields": {}},
    )
    assert_replaced(Client(), request_obj, [f"/requests/{request_obj.token}/"])


def test_admin_action_revokes_the_link_and_sends_a_new_one(staff, request_obj, django_capture_on_commit_callbacks):
    staff.is_superuser = True
    staff.save()
    admin = Client()
    admin.force_login(staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/outreach/presentationrequest/",
            {"action": "renew_status_link", "_selected_action": [request_obj.pk]},
        )

    assert response.status_code == 302
    assert_replaced(Client(), request_obj, [f"/requests/{request_obj.token}/"])


def test_renewing_needs_staff(client, django_user_model, request_obj):
    client.force_login(django_user_model.objects.create_user("visitor"))

    assert client.post(f"/staff/requests/{request_obj.pk}/renew-status-link/").status_code == 403
    assert APIClient().post(f"/api/v1/staff/requests/{request_obj.pk}/renew-status-link/").status_code in (401, 403)
    assert Client().get(f"/requests/{request_obj.token}/").status_code == 200


def test_staff_notifications_api_and_admin_show_no_working_link(client, staff, request_obj):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    notification = request_obj.notifications.get(recipient=CONTACT)

    listed = api.get("/api/v1/staff/notifications/").content.decode()
    one = api.get(f"/api/v1/staff/notifications/{notification.pk}/").content.decode()
    admin = client.get(f"/admin/scheduling/notification/{notification.pk}/change/").content.decode()

    for text in (listed, one, admin):
        for token in re.findall(r"/requests/([A-Za-z0-9_-]{43})/", text):
            assert Client().get(f"/requests/{token}/").status_code == 404
    assert "/requests/private-link-request_status" in one  # the stored body: a placeholder
    assert "/requests/private-link-request_status" in admin
