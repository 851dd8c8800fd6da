"""Clients for the four kinds of caller, and a catalog with a presenter who can give it."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PresentationRequestFactory, PresenterFactory, days_ahead


def client_with_token(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user("jordan", "jordan@example.org", "pw", is_staff=True)


@pytest.fixture
def staff(staff_user):
    """A staff tool: a staff user's token."""
    return client_with_token(staff_user)


@pytest.fixture
def presenter(presentation):
    """An active presenter qualified for ``presentation``, speaking English and Spanish."""
    return PresenterFactory(
        name="Ana Ruiz",
        email="ana.ruiz@example.org",
        presentations=[presentation],
        languages=list(presentation.languages.all()),
    )


@pytest.fixture
def presenter_client(presenter):
    """A presenter who signs in: a non-staff user linked to a Presenter, with a token."""
    user = get_user_model().objects.create_user("ana", "ana.ruiz@example.org", "pw")
    presenter.user = user
    presenter.save(update_fields=["user"])
    return client_with_token(user)


@pytest.fixture
def submitted(presentation):
    """A submitted request; its private token is on ``.token``."""
    return PresentationRequestFactory(presentation=presentation)


def request_body(presentation, audience, /, **overrides) -> dict:
    """A complete, valid body for POST /api/v1/requests/ (the web form's fields, as JSON)."""
    return {
        "presentation": presentation.slug,
        "organization_name": "Roosevelt High School",
        "organization_type": "school",
        "street_address": "4029 28th Ave S",
        "city": "Minneapolis",
        "county": "hennepin",
        "zip_code": "55406",
        "contact_name": "Maria Lopez",
        "contact_role": "School counselor",
        "contact_email": "maria.lopez@example.edu",
        "contact_phone": "612-555-0123",
        "audience": audience.slug,
        "audience_size": 45,
        "language": "en",
        "format": "in_person",
        "windows": [{"start": days_ahead(30, 9).isoformat(), "end": days_ahead(30, 10, 30).isoformat()}],
        **overrides,
    }
