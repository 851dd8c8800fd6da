"""The outcomes' links: the host evaluation's private link and the audience survey's code.

Both are private links (common.links): random, stored only as a hash, each revocable on its own,
and neither says which booking it belongs to.

- The host evaluation's link is made when the thank-you email (or its reminder) is sent; it is
  only accepted for a completed presentation, and only lets someone give the one answer and see it.
- The audience survey is public and anonymous (on a slide, typed or scanned from a phone): a code
  of 26 letters and digits (128 bits) that the presenter makes on their schedule page, or that
  comes in their reminder email.
"""

from django.conf import settings
from django.urls import reverse

from common.languages import is_public_language, url_in_language
from common.links import link_issue, link_placeholder
from common.models import LinkPurpose
from scheduling.models import Booking


def evaluation_url(*, token: str, language: str | None = None) -> str:
    """The host's evaluation link for ``token``; with ``language``, it opens in that language."""
    url = settings.SITE_URL + reverse("outcomes:evaluation", kwargs={"token": token})
    return url_in_language(url, language) if language else url


def evaluation_url_in_email(*, language: str | None = None) -> str:
    """What an email stores where the evaluation link goes; the link is made when it is sent."""
    return evaluation_url(token=link_placeholder(LinkPurpose.HOST_EVALUATION), language=language)


def survey_code_issue(*, booking: Booking) -> str:
    """A new code for the booking's audience survey (stored only as a hash)."""
    return link_issue(purpose=LinkPurpose.AUDIENCE_SURVEY, subject_id=booking.pk)


def survey_placeholder() -> str:
    """What an email stores where a survey code goes; the code is made when it is sent."""
    return link_placeholder(LinkPurpose.AUDIENCE_SURVEY)


def survey_language(*, booking: Booking) -> str:
    """The language the survey's QR code opens in unless the presenter picks another: the
    presentation's own language when the public site offers it, else English."""
    code = booking.request.language.code
    return code if is_public_language(code) else settings.LANGUAGE_CODE


def survey_url(*, booking: Booking, code: str, language: str | None = None) -> str:
    """The survey's public link, opening in ``language`` (by default ``survey_language``)."""
    url = settings.SITE_URL + reverse("outcomes:survey", kwargs={"code": code})
    return url_in_language(url, language or survey_language(booking=booking))


def survey_qr_url(*, booking: Booking, code: str, language: str | None = None) -> str:
    """The QR code (SVG) of ``survey_url`` in ``language``, as an absolute link."""
    return settings.SITE_URL + survey_qr_path(booking=booking, code=code, language=language)


def survey_qr_path(*, booking: Booking, code: str, language: str | None = None) -> str:
    path = reverse("outcomes:survey_qr", kwargs={"code": code})
    return url_in_language(path, language or survey_language(booking=booking))
