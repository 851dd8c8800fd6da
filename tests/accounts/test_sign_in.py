"""Signing in: lockout after repeated failures per account and per address (the same answer for an
unknown account), the password reset sent by the worker and rate-limited, and two-factor sign-in."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.views import MSG_RESET_LIMITED

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOCKED = "Too many failed sign-in attempts."


@pytest.fixture
def staff_user():
    return get_user_model().objects.create_user("sam", "sam@outreach.test", PASSWORD, is_staff=True)


@pytest.fixture
def presenter_user():
    return get_user_model().objects.create_user("ana", "ana@outreach.test", PASSWORD)


def sign_in(client, username, password, *, path="/accounts/login/", address="203.0.113.5"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def page_text(response) -> str:
    """The page without its per-response CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)


def code_for(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


# --- Lockout ------------------------------------------------------------------------------------


def test_account_is_locked_after_five_failures_even_with_the_right_password(client, staff_user):
    failures = [sign_in(client, "sam", "wrong").status_code for _ in range(5)]
    locked = sign_in(client, "sam", PASSWORD)

    assert failures == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    assert LOCKED in locked.text
    assert "_auth_user_id" not in client.session


def test_unknown_account_gets_the_same_answer(client, staff_user):
    known = [sign_in(client, "sam", "wrong", address="198.51.100.1") for _ in range(6)]
    unknown = [sign_in(client, "nobody", "wrong", address="198.51.100.2") for _ in range(6)]

    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200, 200, 200, 200, 429, 429]
    assert page_text(known[0]).replace("sam", "nobody") == page_text(unknown[0])
    assert page_text(known[-1]) == page_text(unknown[-1])


def test_one_address_is_locked_after_failures_on_many_names(client, staff_user):
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong", address="203.0.113.9")

    from_that_address = sign_in(client, "sam", PASSWORD, address="203.0.113.9")
    from_another = sign_in(client, "sam", PASSWORD, address="198.51.100.7")

    assert (from_that_address.status_code, from_another.status_code) == (429, 302)
    assert LOCKED in from_that_address.text


def test_admin_sign_in_is_locked_too(client, staff_user):
    statuses = [sign_in(client, "sam", "wrong", path="/admin/login/").status_code for _ in range(5)]
    locked = sign_in(client, "sam", PASSWORD, path="/admin/login/")

    assert statuses == [200, 200, 200, 200, 429]
    assert (locked.status_code, LOCKED in locked.text) == (429, True)


def test_success_before_the_limit_clears_the_count(client, staff_user):
    for _ in range(4):
        sign_in(client, "sam", "wrong")
    assert sign_in(client, "sam", PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    after = [sign_in(client, "sam", "wrong").status_code for _ in range(4)]

    assert after == [200, 200, 200, 200]


# --- Password reset -----------------------------------------------------------------------------


def test_password_reset_is_sent_after_the_request_by_the_worker(client, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/accounts/password_reset/", {"email": "sam@outreach.test"})
    sent_during_request = len(mail.outbox)
    for callback in callbacks:
        callback()

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert sent_during_request == 0
    assert [m.to for m in mail.outbox] == [["sam@outreach.test"]]
    link = re.search(r"https://outreach\.test(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
    assert client.get(link).status_code == 302


def test_password_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(
    client, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password_reset/", {"email": "nobody@outreach.test"})

    assert (response.status_code, response["Location"]) == (302, "/accounts/password_reset/done/")
    assert mail.outbox == []


@override_settings(PASSWORD_RESET_RATE_LIMIT="3/h")
def test_password_reset_is_limited_per_address(client, staff_user):
    responses = [
        client.post("/accounts/password_reset/", {"email": f"x{n}@example.org"}, REMOTE_ADDR="203.0.113.5")
        for n in range(4)
    ]
    other = client.post("/accounts/password_reset/", {"email": "y@example.org"}, REMOTE_ADDR="198.51.100.7")

    assert [r.status_code for r in responses] == [302, 302, 302, 429]
    assert MSG_RESET_LIMITED in responses[-1].text
    assert other.status_code == 302


@override_settings(PASSWORD_RESET_EMAIL_RATE_LIMIT="2/d")
def test_password_reset_emails_per_account_address_are_limited(client, staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(
                "/accounts/password_reset/", {"email": "sam@outreach.test"}, REMOTE_ADDR=f"203.0.113.{n}"
            ).status_code
            for n in range(4)
        ]

    assert statuses == [302, 302, 302, 302]
    assert len(mail.outbox) == 2


def test_password_reset_without_an_email_says_so(client):
    response = client.post("/accounts/password_reset/", {"email": "not an address"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.text


# --- Two-factor sign-in ---------------------------------------------------------------------------


def test_staff_turns_on_two_factor_with_the_qr_code_and_a_code(client, staff_user):
    client.force_login(staff_user)
    client.post("/accounts/two-factor/", {"action": "start"})
    page = client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=staff_user)

    response = client.post("/accounts/two-factor/", {"action": "confirm", "token": code_for(device)})

    assert "<svg" in page.text
    assert "Key: <code>" in page.text
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=staff_user).confirmed is True
    assert client.get("/staff/").status_code == 200


def test_wrong_setup_code_is_refused_next_to_the_field(client, presenter_user):
    client.force_login(presenter_user)
    client.post("/accounts/two-factor/", {"action": "start"})
    device = TOTPDevice.objects.get(user=presenter_user)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"

    response = client.post("/accounts/two-factor/", {"action": "confirm", "token": wrong})
    letters = client.post("/accounts/two-factor/", {"action": "confirm", "token": "abcdef"})

    assert response.status_code == 400
    assert services.MSG_WRONG_CODE in response.text
    assert (letters.status_code, "Enter the six digits your authenticator app shows." in letters.text) == (400, True)
    assert TOTPDevice.objects.get(user=presenter_user).confirmed is False


def test_sign_in_with_two_factor_asks_for_the_code_before_any_page(client, staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="app", confirmed=True)

    signed_in = sign_in(client, "sam", PASSWORD)
    blocked = client.get("/staff/")
    api = client.get("/api/v1/staff/requests/")
    code = client.post("/accounts/two-factor/verify/", {"token": code_for(device), "next": "/staff/"})

    assert signed_in.status_code == 302
    assert (blocked.status_code, blocked["Location"]) == (302, "/accounts/two-factor/verify/?next=%2Fstaff%2F")
    assert api.status_code == 302
    assert (code.status_code, code["Location"]) == (302, "/staff/")
    assert client.get("/staff/").status_code == 200


def test_wrong_code_at_sign_in_keeps_the_door_shut(client, staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="app", confirmed=True)
    sign_in(client, "sam", PASSWORD)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"

    response = client.post("/accounts/two-factor/verify/", {"token": wrong})

    assert response.status_code == 400
    assert services.MSG_WRONG_CODE in response.text
    assert client.get("/staff/").status_code == 302


@override_settings(TWO_FACTOR_REQUIRED_FOR_STAFF=True)
def test_required_two_factor_sends_staff_without_it_to_the_setup(client, staff_user, presenter_user):
    sign_in(client, "sam", PASSWORD)
    staff_page = client.get("/staff/")
    setup = client.get("/accounts/two-factor/")
    client.post("/accounts/logout/")
    sign_in(client, "ana", PASSWORD)
    presenter_page = client.get("/my/schedule/")

    assert (staff_page.status_code, staff_page["Location"]) == (302, "/accounts/two-factor/?next=%2Fstaff%2F")
    assert "Staff accounts must use two-factor sign-in." in setup.text
    assert presenter_page.status_code != 302 or "two-factor" not in presenter_page["Location"]


def test_two_factor_is_turned_off_with_a_current_code(client, presenter_user):
    device = TOTPDevice.objects.create(user=presenter_user, name="app", confirmed=True)
    sign_in(client, "ana", PASSWORD)
    client.post("/accounts/two-factor/verify/", {"token": code_for(device)})

    response = client.post("/accounts/two-factor/", {"action": "off", "token": code_for(device, later=30)})

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=presenter_user).count() == 0
