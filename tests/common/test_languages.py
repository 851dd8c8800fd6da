"""Choosing the language: Accept-Language on a first visit, the switcher and its cookie, links that name a
language, which languages are offered, staff pages in English, and catalog texts not yet translated."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import get_language_info

from common.checks import public_languages_check
from common.views import MSG_LANGUAGE_NOT_OFFERED
from outreach.enums import Format
from outreach.models import Presentation, PresentationRequest
from scheduling.services import review
from tests.factories import PresentationFactory, PresentationRequestFactory, PresenterFactory, days_ahead
from tests.languages import ALL_LANGUAGES, DESCRIPTIONS, TITLES

pytestmark = pytest.mark.django_db

HTML_LANG = re.compile(r'<html lang="([a-z-]+)"')
SWITCHER = re.compile(r'<form method="post" action="/i18n/setlang/" class="language-switcher".*?</form>', re.S)


def page_language(response) -> str:
    return HTML_LANG.search(response.content.decode())[1]


def switcher(response) -> str:
    return SWITCHER.search(response.content.decode())[0]


# --- A first visit: the browser's Accept-Language -------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,es;q=0.5", "es"),
        ("so,en;q=0.5", "en"),  # Somali is not offered by default: the next choice wins
        ("hmn", "en"),
        ("de-DE", "en"),
        ("", "en"),
    ],
)
def test_first_visit_follows_accept_language_among_the_offered_languages(client, header, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=header)

    assert (response.status_code, page_language(response), response["Content-Language"]) == (200, expected, expected)
    assert set(re.split(r",\s*", response["Vary"])) >= {"Accept-Language", "Cookie"}


def test_somali_and_hmong_are_chosen_from_accept_language_once_offered(client, all_languages_public):
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="so,en;q=0.5")) == "so"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="hmn-US,en;q=0.5")) == "hmn"


# --- The switcher ---------------------------------------------------------------------------------


def test_switcher_offers_english_and_spanish_by_default_each_in_its_own_name(client):
    response = client.get("/presentations/?audience=&format=virtual", HTTP_ACCEPT_LANGUAGE="es")

    assert switcher(response) == (
        '<form method="post" action="/i18n/setlang/" class="language-switcher" aria-label="Idioma del sitio">\n'
        '      <input type="hidden" name="next" value="/presentations/?audience=&amp;format=virtual">\n'
        "      <ul>\n"
        '        <li><button type="submit" name="language" value="en" lang="en">English</button></li>\n'
        '        <li><span lang="es" aria-current="true">Español</span></li>\n'
        "      </ul>\n"
        "    </form>"
    )
    alternates = re.findall(r'<link rel="alternate" hreflang="([a-z]+)" href="([^"]+)">', response.content.decode())
    assert alternates == [
        ("en", "http://testserver/presentations/?audience=&amp;format=virtual&amp;lang=en"),
        ("es", "http://testserver/presentations/?audience=&amp;format=virtual&amp;lang=es"),
    ]


def test_hmong_is_offered_and_rendered_when_turned_on(client, all_languages_public, translated_presentation):
    response = client.get("/presentations/", HTTP_ACCEPT_LANGUAGE="en")
    chosen = client.post("/i18n/setlang/", {"language": "hmn", "next": "/presentations/"})
    page = client.get("/presentations/")

    assert '<button type="submit" name="language" value="hmn" lang="hmn">Hmoob</button>' in switcher(response)
    assert '<button type="submit" name="language" value="so" lang="so">Soomaali</button>' in switcher(response)
    assert (chosen.status_code, chosen["Location"]) == (302, "/presentations/")
    assert page_language(page) == "hmn"
    text = page.content.decode()
    assert '<span lang="hmn" aria-current="true">Hmoob</span>' in text
    assert "<h1>Kev nthuav qhia</h1>" in text
    assert TITLES["hmn"] in text
    assert "Tus neeg muag neeg" not in text  # nothing half-translated slipped in
    info = get_language_info("hmn")
    assert (info["name"], info["name_local"], info["bidi"]) == ("Hmong", "Hmoob", False)


def test_the_choice_is_remembered_in_a_cookie_over_the_browser_language(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/events/"})
    later = client.get("/presentations/", HTTP_ACCEPT_LANGUAGE="en-US")

    assert (response.status_code, response["Location"]) == (302, "/events/")
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert (cookie.value, cookie["max-age"], cookie["samesite"]) == ("es", 31536000, "Lax")
    assert page_language(later) == "es"


def test_a_language_not_offered_is_refused_and_not_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "so", "next": "/"})

    assert (response.status_code, response.content.decode()) == (400, str(MSG_LANGUAGE_NOT_OFFERED))
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="so")) == "en"


def test_switcher_sends_back_only_to_this_site(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})

    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_link_with_lang_opens_in_that_language_and_remembers_it(client):
    response = client.get("/events/?lang=es", HTTP_ACCEPT_LANGUAGE="en")
    next_page = client.get("/presentations/", HTTP_ACCEPT_LANGUAGE="en")

    assert page_language(response) == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert page_language(next_page) == "es"
    assert '<input type="hidden" name="next" value="/events/">' in switcher(response)


def test_a_link_with_a_language_not_offered_is_ignored(client):
    response = client.get("/?lang=so", HTTP_ACCEPT_LANGUAGE="en")

    assert page_language(response) == "en"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@override_settings(PUBLIC_LANGUAGES=["en"])
def test_no_switcher_when_only_english_is_offered(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")

    assert page_language(response) == "en"
    assert "language-switcher" not in response.content.decode()


# --- Staff pages stay English ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/staff/", "/staff/reports/", "/admin/", "/staff/feeds/"])
def test_staff_pages_are_english_whatever_the_browser_or_cookie_says(client, staff_user, path):
    client.force_login(staff_user)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    assert page_language(response) in ("en", "en-us")
    assert response["Content-Language"] == "en"
    assert "language-switcher" not in response.content.decode()


def test_staff_request_page_shows_the_requesters_language(client, staff_user, translated_presentation):
    request = PresentationRequestFactory(presentation=translated_presentation, requester_language="es")
    client.force_login(staff_user)

    response = client.get(f"/staff/requests/{request.pk}/", HTTP_ACCEPT_LANGUAGE="es")

    assert page_language(response) == "en"
    assert (
        '<dd id="requester-language">Spanish <small>(their emails and invites are in it)</small></dd>'
        in response.content.decode()
    )


def test_sign_in_page_is_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")

    assert (page_language(response), "<h1>Sign in</h1>" in response.content.decode()) == ("en", True)


# --- The request records its language ---------------------------------------------------------------


def test_request_submitted_in_spanish_records_spanish(client, form_data, presentation):
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})

    response = client.post(f"/presentations/{presentation.slug}/request/", {**form_data, "step": "confirm"})

    assert response.status_code == 302
    assert PresentationRequest.objects.get().requester_language == "es"


# --- Catalog texts without a translation ------------------------------------------------------------


def test_untranslated_presentation_falls_back_to_english_and_says_so(client):
    presentation = PresentationFactory(
        title="Safe Harbor", summary="Minnesota's approach.", description="Safe Harbor treats youth as victims."
    )
    Presentation.objects.filter(pk=presentation.pk).update(title_es="Safe Harbor (Puerto Seguro)")

    response = client.get(f"/presentations/{presentation.slug}/", HTTP_ACCEPT_LANGUAGE="es")

    text = response.content.decode()
    assert "<h1>Safe Harbor (Puerto Seguro)</h1>" in text
    assert '<p lang="en">Minnesota&#x27;s approach.</p>' in text
    assert (
        '<p class="untranslated-note" id="untranslated-note">Esta descripción todavía no está disponible en Español; '
        "se muestra en inglés.</p>\n"
        '  <div lang="en"><p>Safe Harbor treats youth as victims.</p></div>'
    ) in text


def test_translated_presentation_has_no_fallback_note(client, translated_presentation):
    response = client.get(f"/presentations/{translated_presentation.slug}/", HTTP_ACCEPT_LANGUAGE="es")

    text = response.content.decode()
    assert f"<h1>{TITLES['es']}</h1>" in text
    assert f"<p>{DESCRIPTIONS['es']}</p>" in text
    assert "untranslated-note" not in text
    assert ' lang="en"' not in text.split("<main", 1)[1].split("</main>")[0]


def test_untranslated_card_marks_english_text_in_the_catalog(client):
    PresentationFactory(title="Labor Trafficking", summary="Work and exploitation.")

    text = client.get("/presentations/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert '<h3 lang="en"><a href="/presentations/' in text
    assert '<p lang="en">Work and exploitation.</p>' in text


def test_catalog_query_count_does_not_grow_with_languages(client, translated_presentation, django_assert_num_queries):
    PresentationFactory.create_batch(3)

    # the data versions, the filter's audiences, the presentations, their audiences, their languages: as in English
    with django_assert_num_queries(5):
        response = client.get("/presentations/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.content.decode().count("<article>") == 4


def test_all_languages_have_translated_catalog_columns():
    fields = {field.name for field in Presentation._meta.get_fields()}

    assert {f"{name}_{code}" for name in ("title", "summary", "description") for code in ALL_LANGUAGES} <= fields


# --- The setting ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("public", "ids"),
    [(["en", "es"], []), (["en", "es", "so", "hmn"], []), (["en", "fr"], ["common.E001"]), (["es"], ["common.E002"])],
)
def test_public_languages_setting_is_checked_at_start_up(public, ids):
    with override_settings(PUBLIC_LANGUAGES=public):
        errors = public_languages_check(None)

    assert [error.id for error in errors] == ids


# --- Error pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "code", "heading"),
    [
        ("500.html", "es", "Algo salió mal de nuestro lado"),
        ("500.html", "so", "Wax baa dhinacayaga ka khaldamay"),
        ("400.html", "es", "No pudimos entender la solicitud"),
        ("403.html", "hmn", "Tsis pub"),
    ],
)
def test_error_pages_are_in_the_visitors_language(template, code, heading):
    with translation.override(code):
        text = render_to_string(template)

    assert text.startswith(f'<!doctype html>\n<html lang="{code}">')
    assert f"<h1>{heading}</h1>" in text


def test_a_form_sent_without_its_csrf_cookie_is_explained_in_the_visitors_language(presentation, form_data):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/presentations/{presentation.slug}/request/?lang=es", form_data)

    assert response.status_code == 403
    assert "<h1>El formulario venció</h1>" in response.content.decode()


def test_a_server_error_is_explained_in_the_visitors_language(client, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("outreach.views.selectors.presentations_for_catalog", fail)
    client.raise_request_exception = False

    response = client.get("/presentations/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 500
    assert "<h1>Algo salió mal de nuestro lado</h1>" in response.content.decode()


# --- The survey's QR code, in the language the presenter chooses --------------------------------------


def test_presenter_page_offers_the_survey_qr_code_in_each_language(client, translated_presentation, staff_user):
    presenter_user = type(staff_user).objects.create_user("pat", "pat@presenters.test", "pw")
    spanish = translated_presentation.languages.get(code="es")
    presenter = PresenterFactory(
        name="Pat Presenter", user=presenter_user, presentations=[translated_presentation], languages=[spanish]
    )
    request = PresentationRequestFactory(presentation=translated_presentation, language=spanish)
    start = days_ahead(30, 10)
    plan = review.Plan(start, start + timedelta(hours=1), presenter, [], Format.IN_PERSON, "Gym")
    booking = review.request_approve(request=request, by=staff_user, plan=plan)
    client.force_login(presenter_user)

    text = client.post(f"/my/schedule/{booking.pk}/survey-code/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    code = re.search(r'<img src="/survey/([a-z2-7]{26})/qr\.svg', text).group(1)
    assert '<html lang="en">' in text  # the presenter's page itself stays English
    assert f'<img src="/survey/{code}/qr.svg?lang=es" width="160" height="160"' in text
    assert f'<a href="https://outreach.test/survey/{code}/?lang=es" hreflang="es">' in text
    assert (
        f'<a href="/survey/{code}/qr.svg?lang=en&amp;download=1" download hreflang="en">'
        'QR code in <span lang="en">English</span></a>'
    ) in text
    survey = client.get(f"/survey/{code}/?lang=es")
    assert '<html lang="es">' in survey.content.decode()
    assert "language-switcher" in survey.content.decode()
