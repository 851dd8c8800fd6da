"""Fixtures of the stored-page tests: a public talk scheduled by a coordinator."""

import pytest

from tests.calendars.test_feeds import schedule
from tests.factories import PresenterFactory, days_ahead


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("coordinator", "coordinator@outreach.test", "pw", is_staff=True)


@pytest.fixture
def booked(staff, presentation):
    lead = PresenterFactory(name="Ruth Amundsen", presentations=[presentation])
    booking = schedule(
        by=staff,
        presenter=lead,
        start=days_ahead(40, 10),
        location="Fellowship Hall",
        organization_name="Northfield Community Church",
        may_list_publicly=True,
        is_open_to_public=True,
        venue="Northfield Public Library",
        city="Northfield",
    )
    return {"booking": booking, "lead": lead, "staff": staff, "presentation": presentation}
