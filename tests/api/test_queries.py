"""Every list endpoint answers in a constant number of queries, whatever the number of rows."""

import pytest
from django.contrib.auth import get_user_model

from outreach.enums import RequestStatus
from scheduling.models import Blackout, Notification
from scheduling.services.review import Plan, request_approve
from tests.factories import (
    AudienceFactory,
    LanguageFactory,
    PresentationFactory,
    PresentationRequestFactory,
    PresenterFactory,
    days_ahead,
)

pytestmark = pytest.mark.django_db

RANGE = {"start": days_ahead(1).isoformat(), "end": days_ahead(200).isoformat()}


class World:
    """Adds ``n`` more rows of whatever a list shows, each with its related rows."""

    def __init__(self, presentation):
        self.presentation = presentation
        self.made = 0
        self.by = get_user_model().objects.create_user("approver", is_staff=True)

    def presentations(self, n):
        for _ in range(n):
            PresentationFactory(audiences=[AudienceFactory(), AudienceFactory()], languages=[LanguageFactory()])

    def requests(self, n):
        for _ in range(n):
            request = PresentationRequestFactory(presentation=self.presentation)
            self.approve(request)
            PresentationRequestFactory(presentation=self.presentation, status=RequestStatus.DECLINED)

    def approve(self, request):
        self.made += 1
        lead = PresenterFactory(presentations=[self.presentation])
        co = PresenterFactory(presentations=[self.presentation])
        start = days_ahead(10 + self.made, 10)
        start = start.replace(hour=10)
        request_approve(
            request=request,
            by=self.by,
            plan=Plan(start, start.replace(hour=11), lead, [co], location="Gym"),
        )

    def presenters(self, n):
        for _ in range(n):
            PresenterFactory(
                presentations=[self.presentation],
                languages=[LanguageFactory(), LanguageFactory(code="es", name="Spanish")],
            )

    def bookings(self, n):
        for _ in range(n):
            self.approve(PresentationRequestFactory(presentation=self.presentation))

    def blackouts(self, n):
        for _ in range(n):
            Blackout.objects.create(presenter=PresenterFactory(), start=days_ahead(50), end=days_ahead(51))
            Blackout.objects.create(start=days_ahead(70), end=days_ahead(71))

    def notifications(self, n):
        for _ in range(n):
            PresentationRequestFactory(presentation=self.presentation)
            request = PresentationRequestFactory(presentation=self.presentation)
            Notification.objects.create(
                request=request, kind="request_received", recipient="a@example.org", subject="s"
            )


# (path, params, what to add, queries: [token or data versions +] count + page + each prefetch)
LISTS = [
    ("/api/v1/presentations/", {}, "presentations", 5),
    ("/api/v1/staff/requests/", {}, "requests", 4),
    ("/api/v1/staff/presenters/", {}, "presenters", 5),
    ("/api/v1/staff/bookings/", RANGE, "bookings", 4),
    ("/api/v1/staff/blackouts/", {}, "blackouts", 3),
    ("/api/v1/staff/notifications/", {}, "notifications", 3),
]


@pytest.mark.parametrize(("path", "params", "kind", "queries"), LISTS)
def test_list_query_count_is_constant(path, params, kind, queries, staff, presentation, django_assert_num_queries):
    world = World(presentation)
    add = getattr(world, kind)

    add(2)
    with django_assert_num_queries(queries):
        few = staff.get(path, params)
    add(5)
    with django_assert_num_queries(queries):
        more = staff.get(path, params)

    assert few.status_code == more.status_code == 200
    assert more.json()["count"] > few.json()["count"] >= 2


def test_suggestions_query_count_is_constant(staff, submitted, presentation, django_assert_num_queries):
    params = {"request": submitted.pk, "start": days_ahead(30, 10).isoformat(), "end": days_ahead(30, 11).isoformat()}
    english = presentation.languages.get(code="en")

    PresenterFactory.create_batch(2, presentations=[presentation], languages=[english])
    # token and user, the request, a closure, every active presenter with why not, their weekly hours, count, page
    with django_assert_num_queries(7):
        few = staff.get("/api/v1/staff/presenters/suggestions/", params)
    PresenterFactory.create_batch(5, presentations=[presentation], languages=[english])
    with django_assert_num_queries(7):
        more = staff.get("/api/v1/staff/presenters/suggestions/", params)

    assert (few.json()["count"], more.json()["count"]) == (2, 7)
