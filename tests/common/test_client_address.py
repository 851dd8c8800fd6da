"""The client's address behind proxies (TRUSTED_PROXY_COUNT): X-Forwarded-For is read only as far as
the trusted proxies vouch for it, a malformed or forged one never answers 500 nor escapes the
per-address limits, and X-Forwarded-Proto counts only when a proxy is in front."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from common.middleware import client_address
from outreach.models import PresentationRequest
from tests.api.conftest import request_body

PROXY = "10.0.0.2"
MALFORMED = [
    "",
    ",",
    "unknown",
    "203.0.113.5, ,",
    "not an address, at all",
    "203.0.113.5:4711",
    "[2001:db8::1]",
    "\u00e9\u00e9\u00e9, 999.1.1.1",
    "1" * 5000,
    "203.0.113.5," * 500,
]


@pytest.mark.parametrize(
    ("forwarded", "trusted", "expected"),
    [
        ("198.51.100.7", 0, PROXY),
        ("198.51.100.7", 1, "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7", 1, "198.51.100.7"),
        ("6.6.6.6, 198.51.100.7, 10.0.0.1", 2, "198.51.100.7"),
        ("198.51.100.7", 2, PROXY),
        (" 2001:db8::7 ", 1, "2001:db8::7"),
        ("203.0.113.5, not-an-address", 1, PROXY),
        (None, 1, PROXY),
    ],
)
def test_client_address_reads_only_what_trusted_proxies_vouch_for(forwarded, trusted, expected):
    meta = {"REMOTE_ADDR": PROXY} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})

    assert client_address(meta, trusted_proxies=trusted) == expected


def form_post(client, presentation, form_data, **extra):
    url = f"/presentations/{presentation.slug}/request/"
    return client.post(url, {**form_data, "step": "confirm"}, REMOTE_ADDR=PROXY, **extra)


@pytest.mark.django_db
@pytest.mark.parametrize("trusted", [0, 1])
def test_malformed_forwarded_for_never_answers_500(client, presentation, form_data, trusted):
    with override_settings(TRUSTED_PROXY_COUNT=trusted, REQUEST_RATE_LIMIT="1000/h"):
        statuses = {
            forwarded: form_post(client, presentation, form_data, HTTP_X_FORWARDED_FOR=forwarded).status_code
            for forwarded in MALFORMED
        }
        api = APIClient().get("/api/v1/presentations/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="unknown, ,")

    assert statuses == dict.fromkeys(MALFORMED, 302)
    assert api.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("trusted", [0, 1])
def test_forged_forwarded_for_does_not_escape_the_submission_limit(client, presentation, form_data, trusted):
    real = "203.0.113.5"
    with override_settings(TRUSTED_PROXY_COUNT=trusted, REQUEST_RATE_LIMIT="2/h"):
        statuses = [
            form_post(client, presentation, form_data, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {real}").status_code
            for n in range(4)
        ]

    assert statuses == [302, 302, 429, 429]
    assert PresentationRequest.objects.count() == 2


@pytest.mark.django_db
def test_clients_behind_one_proxy_have_limits_of_their_own(client, presentation, form_data):
    with override_settings(TRUSTED_PROXY_COUNT=1, REQUEST_RATE_LIMIT="1/h"):
        first = form_post(client, presentation, form_data, HTTP_X_FORWARDED_FOR="203.0.113.5")
        other = form_post(client, presentation, form_data, HTTP_X_FORWARDED_FOR="198.51.100.7")
        again = form_post(client, presentation, form_data, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")

    assert (first.status_code, other.status_code, again.status_code) == (302, 302, 429)


@pytest.mark.django_db
def test_forged_forwarded_for_does_not_escape_the_api_throttle(presentation, audience):
    api = APIClient()
    with override_settings(TRUSTED_PROXY_COUNT=1, REQUEST_RATE_LIMIT="2/h"):
        statuses = [
            api.post(
                "/api/v1/requests/",
                request_body(presentation, audience),
                format="json",
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5",
            ).status_code
            for n in range(3)
        ]

    assert statuses == [201, 201, 429]


def _production_setting(name: str, **environment: str) -> object:
    code = f"import json; from config.settings import production as s; print(json.dumps(getattr(s, {name!r}, None)))"
    env = {
        **{name: value for name, value in os.environ.items() if name != "TRUSTED_PROXY_COUNT"},
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "outreach.example.org",
        "SITE_URL": "https://outreach.example.org",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_forwarded_proto_is_trusted_only_behind_a_proxy():
    assert _production_setting("SECURE_PROXY_SSL_HEADER") is None
    assert _production_setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="0") is None
    assert _production_setting("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT="1") == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


def test_the_retired_setting_for_the_address_header_is_named_at_start_up(monkeypatch):
    """A deployment that still sets RATELIMIT_IP_META_KEY (read by an earlier release) is told, by
    `manage.py check` and every server start, that it is ignored and what replaces it."""
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "common.W001" not in out.getvalue()

    monkeypatch.setenv("RATELIMIT_IP_META_KEY", "HTTP_X_FORWARDED_FOR")
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "(common.W001) RATELIMIT_IP_META_KEY is no longer read" in out.getvalue()
    assert "set TRUSTED_PROXY_COUNT=1" in out.getvalue()
