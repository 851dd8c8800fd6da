"""Clients for the four kinds of caller, and a catalog with a presenter who can give it."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from outreach.api.examples import REQUEST as REQUEST_EXAMPLE
from tests.factories import PresentationRequestFactory, PresenterFactory, example_window


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
    """The API's example request body (outreach.api.examples.REQUEST) for ``presentation`` and
    ``audience``, its window moved to 30 days from today."""
    start, end = example_window(timezone.localdate() + timedelta(days=30))
    return {
        **REQUEST_EXAMPLE,
        "presentation": presentation.slug,
        "audience": audience.slug,
        "windows": [{"start": start.isoformat(), "end": end.isoformat()}],
        **overrides,
    }
