"""The whole OpenAPI description, fuzzed in-process (schemathesis on the WSGI app): whatever the
input, no answer is a server error, and every answer matches the schema (status code, content
type, headers and body).

Valid and invalid requests are generated for every operation, with a staff token, so the staff
endpoints are exercised beyond their permission check. Derandomized (the same cases every run)
and limited in examples per operation, to keep it well under a minute in ``make test``.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks

from config.wsgi import application
from tests.factories import PresentationRequestFactory

# API_FUZZ_THOROUGH=1 adds schemathesis' coverage phase (boundary values, missing and wrong-typed
# fields for every parameter: a few thousand requests more) and more random examples.
THOROUGH = os.environ.get("API_FUZZ_THOROUGH") == "1"
EXAMPLES_PER_OPERATION = 100 if THOROUGH else 20
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]


schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers={"Accept": "application/json"})
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION, deterministic=True, no_shrink=True)
schema.config.phases.update(phases=["examples", "fuzzing", "coverage"] if THOROUGH else ["examples", "fuzzing"])


@pytest.fixture(autouse=True)
def world(db, settings, presentation, presenter):
    """A small world to find, and limits high enough not to hide behaviour behind 429s."""
    settings.REQUEST_RATE_LIMIT = "100000/h"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/min"),
    }
    PresentationRequestFactory.create_batch(2, presentation=presentation)
    # The real WSGI handler closes the database connection after each request, as it should in
    # production; here that connection holds the test's transaction (Django's test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(staff_user) -> str:
    return f"Token {Token.objects.create(user=staff_user).key}"


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_any_input_without_server_errors(case, staff_token):
    # The WSGI transport hands the body over as sent and does not decode gzip, which it offers by default.
    headers = {"Authorization": staff_token, "Accept-Encoding": "identity"}
    case.call_and_validate(headers=headers, checks=CHECKS)
