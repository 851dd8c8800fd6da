"""Concurrent approvals over the API: PostgreSQL's exclusion constraint lets exactly one win."""

import threading

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from outreach.enums import RequestStatus
from outreach.models import PresentationRequest
from scheduling.models import Booking, BusyInterval
from tests.factories import PresentationRequestFactory, PresenterFactory

RACERS = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_approvals_of_one_presenter_give_one_booking(presentation, staff_user):
    presenter = PresenterFactory(name="Ana Ruiz", presentations=[presentation])
    requests = [PresentationRequestFactory(presentation=presentation) for _ in range(RACERS)]  # same window each
    key = Token.objects.create(user=staff_user).key
    barrier = threading.Barrier(RACERS, timeout=20)
    answers: dict[int, tuple[int, dict]] = {}

    def approve(request_pk: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            barrier.wait()
            response = client.post(
                f"/api/v1/staff/requests/{request_pk}/approve/", {"window": 1, "lead_presenter": presenter.pk}
            )
            answers[request_pk] = (response.status_code, response.json())
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=approve, args=(r.pk,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(status for status, _ in answers.values())
    assert statuses == [200] + [409] * (RACERS - 1)
    losers = [body for status, body in answers.values() if status == 409]
    assert [body["code"] for body in losers] == ["booking_conflict"] * (RACERS - 1)
    assert all(body["message"].startswith("Ana Ruiz is already booked") for body in losers), losers
    winner = next(pk for pk, (status, _) in answers.items() if status == 200)
    assert list(PresentationRequest.objects.filter(status=RequestStatus.SCHEDULED).values_list("pk", flat=True)) == [
        winner
    ]
    assert Booking.objects.count() == 1
    assert BusyInterval.objects.filter(presenter=presenter, kind="presenting").count() == 1
