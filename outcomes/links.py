"""The outcomes' links: the host evaluation's private link and the audience survey's code.

Neither needs a stored token, so a page that shows them (the presenter's schedule, an email)
costs no query and writes nothing:

- The host evaluation is reached by a private link, ``<booking id>.<token>``: the token is an
  HMAC (SHA-256, keyed by SECRET_KEY) of the booking's calendar UID (``common.links``), so it
  cannot be guessed or derived from the database alone. It is only accepted for a completed
  presentation, and it only lets someone give the one answer and see it.
- The audience survey is public and anonymous (printed on a slide, typed from a phone): a short
  code ``<booking id>-<8 characters>`` whose second part (40 bits of the same kind of HMAC)
  stops anyone from walking through every booking's survey.
"""

import base64
import re

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

from common.languages import is_public_language, url_in_language
from common.links import token_for
from scheduling.models import Booking

EVALUATION_TOKEN_PURPOSE = "host-evaluation"  # noqa: S105 (a name, not a secret)

SURVEY_CODE_PURPOSE = "common.links.audience-survey"

EVALUATION_TOKEN_RE = re.compile(r"^([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{43})$")

SURVEY_CODE_RE = re.compile(r"^([1-9][0-9]{0,17})-([a-z2-7]{8})$")


def evaluation_token(*, booking: Booking) -> str:
    """The private token of the booking's host evaluation link."""
    return f"{booking.pk}.{token_for(purpose=EVALUATION_TOKEN_PURPOSE, salt=booking.uid)}"


def evaluation_url(*, booking: Booking, language: str | None = None) -> str:
    """The host's evaluation link; with ``language``, it opens in that language (the requester's, in emails)."""
    url = settings.SITE_URL + reverse("outcomes:evaluation", kwargs={"token": evaluation_token(booking=booking)})
    return url_in_language(url, language) if language else url


def survey_code(*, booking: Booking) -> str:
    """The public code of the booking's audience survey, short enough to type from a slide."""
    digest = salted_hmac(SURVEY_CODE_PURPOSE, booking.uid, algorithm="sha256").digest()
    return f"{booking.pk}-{base64.b32encode(digest[:5]).decode('ascii').lower()}"


def survey_language(*, booking: Booking) -> str:
    """The language the survey's QR code opens in unless the presenter picks another: the
    presentation's own language when the public site offers it, else English."""
    code = booking.request.language.code
    return code if is_public_language(code) else settings.LANGUAGE_CODE


def survey_url(*, booking: Booking, language: str | None = None) -> str:
    """The survey's public link, opening in ``language`` (by default ``survey_language``)."""
    url = settings.SITE_URL + reverse("outcomes:survey", kwargs={"code": survey_code(booking=booking)})
    return url_in_language(url, language or survey_language(booking=booking))


def survey_qr_url(*, booking: Booking, language: str | None = None) -> str:
    """The QR code (SVG) of ``survey_url`` in ``language``, as an absolute link."""
    return settings.SITE_URL + survey_qr_path(booking=booking, language=language)


def survey_qr_path(*, booking: Booking, language: str | None = None) -> str:
    path = reverse("outcomes:survey_qr", kwargs={"code": survey_code(booking=booking)})
    return url_in_language(path, language or survey_language(booking=booking))
