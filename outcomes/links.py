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

from common.links import token_for
from scheduling.models import Booking

EVALUATION_TOKEN_PURPOSE = "host-evaluation"  # noqa: S105 (a name, not a secret)

SURVEY_CODE_PURPOSE = "common.links.audience-survey"

EVALUATION_TOKEN_RE = re.compile(r"^([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{43})$")

SURVEY_CODE_RE = re.compile(r"^([1-9][0-9]{0,17})-([a-z2-7]{8})$")


def evaluation_token(*, booking: Booking) -> str:
    """The private token of the booking's host evaluation link."""
    return f"{booking.pk}.{token_for(purpose=EVALUATION_TOKEN_PURPOSE, salt=booking.uid)}"


def evaluation_url(*, booking: Booking) -> str:
    return settings.SITE_URL + reverse("outcomes:evaluation", kwargs={"token": evaluation_token(booking=booking)})


def survey_code(*, booking: Booking) -> str:
    """The public code of the booking's audience survey, short enough to type from a slide."""
    digest = salted_hmac(SURVEY_CODE_PURPOSE, booking.uid, algorithm="sha256").digest()
    return f"{booking.pk}-{base64.b32encode(digest[:5]).decode('ascii').lower()}"


def survey_url(*, booking: Booking) -> str:
    return settings.SITE_URL + reverse("outcomes:survey", kwargs={"code": survey_code(booking=booking)})


def survey_qr_url(*, booking: Booking) -> str:
    return settings.SITE_URL + reverse("outcomes:survey_qr", kwargs={"code": survey_code(booking=booking)})
