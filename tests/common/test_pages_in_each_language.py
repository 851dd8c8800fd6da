"""Every public page in every language: the page says which language it is in, its labels come from that
language's catalog, and none of them is left in English.

A page is compared with the same page in English: a label (a form label, legend, button, table or list
heading, section heading) may appear in both only where the translation is the same word (the catalog
says so) or it is a language's own name in the switcher.
"""

import html
import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, pgettext

from common.languages import language_name_local
from common.links import link_issue
from common.models import LinkPurpose
from outcomes import links as outcome_links
from scheduling.models import Booking
from tests.factories import days_ahead
from tests.languages import ALL_LANGUAGES, TITLES

pytestmark = pytest.mark.django_db

TRANSLATED = [code for code in ALL_LANGUAGES if code != "en"]
LABEL_TAGS = {"label", "legend", "button", "th", "dt", "summary", "h2", "title"}


class _Labels(HTMLParser):
    """The text of every label-like element of a page."""

    def __init__(self):
        super().__init__()
        self.stack: list[list[str]] = []
        self.labels: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in LABEL_TAGS:
            self.stack.append([])

    def handle_endtag(self, tag):
        if tag in LABEL_TAGS and self.stack:
            text = " ".join("".join(self.stack.pop()).split())
            if re.search(r"[A-Za-z]", text):
                self.labels.append(text)

    def handle_data(self, data):
        for parts in self.stack:
            parts.append(data)


def labels(html: str) -> set[str]:
    parser = _Labels()
    parser.feed(html)
    return set(parser.labels)


def same_in_both(code: str) -> set[str]:
    """Texts that are rightly the same in English and ``code``: translations equal to their English, the
    language names of the switcher, and the page's own proper names."""
    po = polib.pofile(f"{settings.BASE_DIR}/locale/{code}/LC_MESSAGES/django.po")
    same = {e.msgid for e in po if e.msgstr == e.msgid}
    return same | {language_name_local(c) for c in ALL_LANGUAGES}


def in_language(code: str, message: str | tuple[str, str]) -> str:
    """``message`` (or a (context, message) pair) in language ``code``."""
    with translation.override(code):
        return pgettext(*message) if isinstance(message, tuple) else gettext(message)


def get(client: Client, path: str, code: str):
    separator = "&" if "?" in path else "?"
    return client.get(f"{path}{separator}lang={code}")


def assert_in_language(response, english, code: str, *expected: str) -> None:
    text = response.content.decode()
    assert f'<html lang="{code}">' in text
    assert response["Content-Language"] == code
    for message in expected:
        translated_message = in_language(code, message)
        assert translated_message != in_language("en", message), f"{message!r} has no {code} translation"
        assert translated_message in html.unescape(text), f"{translated_message!r} is not on the page"
    english_labels = labels(english.content.decode())
    assert english_labels, "the comparison needs labels to compare"
    leaks = (labels(text) & english_labels) - same_in_both(code)
    assert leaks == set()


# --- The pages, each with a message its catalog must supply ----------------------------------------


def _pages(request_in, presentation):
    status = {state: request_in(state) for state in STATUS_STATES}
    scheduled = status["scheduled"]
    completed = Booking.objects.get(request=status["completed"])
    survey_booking = Booking.objects.get(request=request_in("scheduled"))
    past = days_ahead(-1, 10)
    Booking.objects.filter(pk=survey_booking.pk).update(start=past, end=past.replace(hour=11))
    survey = f"survey/{outcome_links.survey_code_issue(booking=survey_booking)}/"
    return {
        "home": ("/", ["Free presentations on sex trafficking for your organization", "How it works"]),
        "catalog": ("/presentations/", ["Filter presentations", "Show presentations"]),
        "presentation": (f"/presentations/{presentation.slug}/", ["Request this presentation", "Suited to"]),
        "request form": (
            f"/presentations/{presentation.slug}/request/",
            ["Request a presentation", "Review my request"],
        ),
        "events": ("/events/", ["Upcoming presentations", "Follow these presentations in your calendar"]),
        **{
            f"status: {state}": (f"/requests/{request.token}/", [STATUS_STATES[state]])
            for state, request in status.items()
        },
        "received": (f"/requests/{scheduled.token}/received/", ["Thank you: your request has been received"]),
        "evaluation": (
            f"/evaluation/{link_issue(purpose=LinkPurpose.HOST_EVALUATION, subject_id=completed.pk)}/",
            ["How did the presentation go?", "Send my answers"],
        ),
        "survey": (f"/{survey}", ["Audience survey", "Your understanding of sex trafficking"]),
        "survey thanks": (
            f"/{survey}thanks/",
            ["Thank you!", "Where to get help", "National Human Trafficking Hotline:", "call 1-888-373-7888"],
        ),
        "not found": ("/no-such-page/", ["Page not found"]),
        "find my request": ("/requests/find/", ["Find my request", "Send me my links"]),
        "scheduled, its calendar links": (
            f"/requests/{scheduled.token}/",
            ["Add it to your calendar", "(Central time)"],
        ),
    }


STATUS_STATES = {
    "submitted": "Our staff will review your request and confirm a time, or propose another one here.",
    "proposal": "We proposed other times",
    "scheduled": "Your presentation is scheduled",
    "declined": "We cannot give this presentation",
    "cancelled": "This presentation was cancelled and will not take place. To ask for another one, send a new request.",
    "completed": ("request status", "Completed"),
    "expired": (
        "All of your preferred times passed before we could confirm one, so this request has expired. "
        "To ask again, send a new request."
    ),
    "withdrawn": "You withdrew this request. To ask again, send a new request.",
}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_public_page_is_in_the_chosen_language(
    client, code, all_languages_public, request_in, translated_presentation
):
    pages = _pages(request_in, translated_presentation)

    for name, (path, expected) in pages.items():
        response = get(client, path, code)
        english = get(client, path, "en")
        assert response.status_code == english.status_code, name
        assert_in_language(response, english, code, *expected)


@pytest.mark.parametrize("code", TRANSLATED)
def test_request_form_errors_are_in_the_chosen_language(client, code, all_languages_public, translated_presentation):
    path = f"/presentations/{translated_presentation.slug}/request/"
    client.get(f"{path}?lang={code}")  # the visitor chose the language: the form's answers come back in it

    response = client.post(path, {"organization_name": "", "audience_size": "0", "window_1_date": "tomorrow"})
    english = Client().post(path, {"organization_name": "", "audience_size": "0", "window_1_date": "tomorrow"})

    assert response.status_code == 400
    assert_in_language(
        response,
        english,
        code,
        "This field is required.",
        "Enter a number of people between 1 and 5,000.",
        "Enter a valid date.",
        "Your organization",
    )


@pytest.mark.parametrize("code", TRANSLATED)
def test_review_step_is_in_the_chosen_language(
    client, code, all_languages_public, translated_presentation, parents, form_data
):
    path = f"/presentations/{translated_presentation.slug}/request/"
    spanish = translated_presentation.languages.get(code="es")
    answers = {**form_data, "audience": str(parents.pk), "language": str(spanish.pk)}
    client.get(f"{path}?lang={code}")

    response = client.post(path, answers)
    english = Client().post(path, answers)

    assert response.status_code == 200
    assert_in_language(response, english, code, "Check your request", "Send request", "Change my answers")
    text = response.content.decode()
    assert in_language(code, ("type of organization", "School")) in html.unescape(text)
    assert TITLES[code] in text
