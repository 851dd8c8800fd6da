"""The API catalog answered from its stored copy ahead of DRF's request handling.

An anonymous GET for the plain JSON is answered from the stored copy once it exists, with the
same status, body and headers as DRF gives, and not counted by the throttle; every answer built
from the database is counted. Everything else (another representation, a signed-in visitor, no
current copy) goes through DRF as before. Which path answered is seen by counting calls to ``APIView.initial``
(DRF's negotiation, authentication, permissions and throttles).
"""

import gzip
import json

import pytest
from django.core.cache import cache
from rest_framework.views import APIView

from tests.api.test_access import throttled
from tests.changes import save_with

pytestmark = pytest.mark.django_db

LIST = "/api/v1/presentations/"
DETAIL = "/api/v1/presentations/recognize-respond-schools/"
THROTTLE_KEY = "throttle_presentations.PresentationListView_127.0.0.1:n"
VARYING = {"Date"}


@pytest.fixture
def drf_handled(monkeypatch) -> list[str]:
    """The paths DRF's own request handling ran for, in order."""
    seen: list[str] = []
    initial = APIView.initial

    def counted(view, request, *args, **kwargs):
        seen.append(request.path)
        return initial(view, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "initial", counted)
    return seen


def headers_of(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name not in VARYING}


@pytest.mark.parametrize("url", [LIST, DETAIL, LIST + "?format=virtual"])
def test_stored_catalog_is_answered_ahead_of_drf_as_drf_answers(client, presentation, drf_handled, url):
    built = client.get(url)
    ahead = client.get(url)

    assert drf_handled == [url.split("?")[0]]
    assert (built.status_code, ahead.status_code) == (200, 200)
    assert ahead.content == built.content
    assert headers_of(ahead) == headers_of(built)
    assert ahead["Allow"] == "GET, HEAD, OPTIONS"
    assert ahead["Content-Type"] == "application/json"


@pytest.mark.parametrize("accept", ["*/*", "application/json", "application/json, text/plain, */*", "*/*;q=0.8"])
def test_stored_catalog_is_answered_ahead_of_drf_whatever_asks_for_json(client, presentation, drf_handled, accept):
    built = client.get(LIST)
    ahead = client.get(LIST, HTTP_ACCEPT=accept)

    assert ahead.status_code == 200
    assert ahead.content == built.content
    assert drf_handled == [LIST]


def test_stored_catalog_answers_304_ahead_of_drf(client, presentation, drf_handled):
    built = client.get(LIST)
    not_modified = client.get(LIST, HTTP_IF_NONE_MATCH=built["ETag"])

    assert not_modified.status_code == 304
    assert not_modified["ETag"] == built["ETag"]
    assert drf_handled == [LIST]


def test_throttle_counts_what_is_built_and_not_what_is_stored(client, presentation, drf_handled):
    made_up = [f"{LIST}?audience=nobody-{n}" for n in range(3)]
    with throttled(presentations="2/min"):
        built = client.get(LIST)
        stored = [client.get(LIST) for _ in range(5)]
        answers = [client.get(url) for url in made_up]
        stored_when_over = client.get(LIST, HTTP_IF_NONE_MATCH=built["ETag"])

    assert built.status_code == 200
    assert [a.status_code for a in stored] == [200] * 5
    assert [a.status_code for a in answers] == [200, 429, 429]
    assert answers[1].json() == {
        "code": "throttled",
        "message": "Request was throttled. Expected available in 60 seconds.",
        "fields": {},
    }
    assert answers[1]["Retry-After"] == "60"
    assert stored_when_over.status_code == 304
    assert cache.get(THROTTLE_KEY) == 4
    assert drf_handled == [LIST] * 4


def test_a_change_of_the_catalog_is_built_again_by_drf(client, presentation, drf_handled):
    client.get(LIST)
    save_with(presentation, title_en="Safe Harbor, revised")
    changed = client.get(LIST)

    assert changed.json()["results"][0]["title"] == "Safe Harbor, revised"
    assert drf_handled == [LIST, LIST]


def test_a_representation_other_than_json_is_refused_by_drf_as_before(client, presentation, drf_handled):
    client.get(LIST)
    html = client.get(LIST, HTTP_ACCEPT="text/html")

    assert html.status_code == 406
    assert html.json()["code"] == "not_acceptable"
    assert drf_handled == [LIST, LIST]


def test_indented_json_is_answered_by_drf_and_never_stored(client, presentation, drf_handled):
    indented = client.get(LIST, HTTP_ACCEPT="application/json; indent=2")
    plain = client.get(LIST)
    indented_again = client.get(LIST, HTTP_ACCEPT="application/json; indent=2")

    assert indented.content.startswith(b'{\n  "count": 1')
    assert plain.content.startswith(b'{"count":1')
    assert indented_again.content == indented.content
    assert json.loads(indented.content) == plain.json()
    assert drf_handled == [LIST, LIST, LIST]


def test_signed_in_staff_are_answered_by_drf(client, presentation, drf_handled, django_user_model):
    staff = django_user_model.objects.create_user("coordinator", "c@outreach.test", "pw", is_staff=True)
    client.force_login(staff)

    first, second = client.get(LIST), client.get(LIST)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json() == first.json()
    assert drf_handled == [LIST, LIST]


def test_stored_catalog_is_compressed_for_a_client_that_accepts_gzip(client, presentation, drf_handled):
    plain = client.get(LIST)
    compressed = client.get(LIST, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["ETag"] == "W/" + plain["ETag"]
    assert gzip.decompress(compressed.content) == plain.content
    assert drf_handled == [LIST]
