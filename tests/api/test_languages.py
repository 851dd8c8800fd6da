"""The API's languages: Accept-Language chooses the language of catalog texts and messages; the request's
language (that of the requester's emails) is a field, set on creation among the languages offered."""

import pytest
from django.utils import translation

from outreach.models import PresentationRequest
from outreach.services import MSG_REQUESTER_LANGUAGE
from tests.api.conftest import request_body
from tests.languages import AUDIENCE_NAMES, SUMMARIES, TITLES

pytestmark = pytest.mark.django_db


def test_catalog_texts_follow_accept_language(anonymous, translated_presentation):
    spanish = anonymous.get("/api/v1/presentations/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    english = anonymous.get("/api/v1/presentations/", HTTP_ACCEPT_LANGUAGE="en")

    (item,) = spanish.json()["results"]
    assert (spanish["Content-Language"], item["title"], item["summary"]) == ("es", TITLES["es"], SUMMARIES["es"])
    assert item["audiences"] == [{"slug": "parents", "name": AUDIENCE_NAMES["es"]}]
    # in the reader's alphabetical order
    assert item["languages"] == [{"code": "es", "name": "español"}, {"code": "en", "name": "inglés"}]
    assert english.json()["results"][0]["title"] == TITLES["en"]
    assert "Accept-Language" in spanish["Vary"]


def test_catalog_texts_ignore_the_sites_language_cookie(anonymous, translated_presentation):
    anonymous.post("/i18n/setlang/", {"language": "es", "next": "/"})

    response = anonymous.get("/api/v1/presentations/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["results"][0]["title"] == TITLES["en"]


def test_somali_catalog_texts_once_somali_is_offered(anonymous, translated_presentation, all_languages_public):
    response = anonymous.get("/api/v1/presentations/", HTTP_ACCEPT_LANGUAGE="so")

    assert response.json()["results"][0]["title"] == TITLES["so"]


def test_error_messages_follow_accept_language(anonymous, presentation, audience):
    response = anonymous.post(
        "/api/v1/requests/",
        request_body(presentation, audience, audience_size=0, contact_name=""),
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_error",
        "message": "Algunos valores no son válidos; vea los campos.",
        "fields": {
            "audience_size": ["Escriba un número de personas entre 1 y 5,000."],
            "contact_name": ["Este campo no puede estar vacío."],
        },
    }


def test_new_request_takes_the_language_accept_language_chose(anonymous, presentation, audience):
    body = request_body(presentation, audience)
    del body["requester_language"]

    response = anonymous.post("/api/v1/requests/", body, format="json", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 201
    assert PresentationRequest.objects.get().requester_language == "es"


def test_new_request_language_can_be_given_and_is_read_back(anonymous, presentation, audience):
    created = anonymous.post(
        "/api/v1/requests/", request_body(presentation, audience, requester_language="es"), format="json"
    )
    token = created.json()["api_url"].rstrip("/").rsplit("/", 1)[1]

    read = anonymous.get(f"/api/v1/requests/{token}/")

    assert created.status_code == 201
    assert read.json()["requester_language"] == "es"


@pytest.mark.parametrize("value", ["so", "hmn", "fr", "es-MX"])
def test_new_request_in_a_language_not_offered_is_refused(anonymous, presentation, audience, value):
    response = anonymous.post(
        "/api/v1/requests/", request_body(presentation, audience, requester_language=value), format="json"
    )

    assert response.status_code == 400
    with translation.override("en"):
        message = str(MSG_REQUESTER_LANGUAGE % {"languages": "en, es"})
    assert response.json()["fields"] == {"requester_language": [message]}
    assert PresentationRequest.objects.count() == 0


def test_new_request_in_somali_once_somali_is_offered(anonymous, presentation, audience, all_languages_public):
    response = anonymous.post(
        "/api/v1/requests/", request_body(presentation, audience, requester_language="so"), format="json"
    )

    assert response.status_code == 201
    assert PresentationRequest.objects.get().requester_language == "so"


def test_staff_api_answers_in_english(staff, submitted):
    response = staff.get("/api/v1/staff/requests/999999/", HTTP_ACCEPT_LANGUAGE="es")

    assert (response.status_code, response["Content-Language"]) == (404, "en")
    assert response.json()["message"] == "No request has this id."
