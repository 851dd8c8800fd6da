"""Template tags for the outcome links (host evaluation, audience survey and its QR code) and report cells.

They compute the links from the booking alone (no query), so they are safe in lists and emails.
"""

from django import template
from django.utils.translation import get_language

from common.languages import language_name_local, public_language_codes
from outcomes import links
from scheduling.models import Booking

register = template.Library()


@register.simple_tag
def evaluation_url(booking: Booking) -> str:
    """The host's private evaluation link (absolute, for emails), opening in the email's language."""
    return links.evaluation_url(booking=booking, language=get_language())


@register.simple_tag
def survey_url(booking: Booking) -> str:
    """The audience survey's public link (absolute), in the presentation's language."""
    return links.survey_url(booking=booking)


@register.simple_tag
def survey_qr_url(booking: Booking) -> str:
    """The QR code of the survey link, as an SVG image (absolute)."""
    return links.survey_qr_url(booking=booking)


@register.simple_tag
def survey_qr_path(booking: Booking) -> str:
    """The QR code's path on this site, for an <img> on our own pages."""
    return links.survey_qr_path(booking=booking)


@register.simple_tag
def survey_languages(booking: Booking) -> list[dict]:
    """The survey in each language the public site offers, for the presenter to choose the slide's:
    [{"code", "name", "url", "qr_path", "default"}]."""
    default = links.survey_language(booking=booking)
    return [
        {
            "code": code,
            "name": language_name_local(code),
            "url": links.survey_url(booking=booking, language=code),
            "qr_path": links.survey_qr_path(booking=booking, language=code),
            "default": code == default,
        }
        for code in public_language_codes()
    ]


@register.filter
def report_cell(value) -> str:
    """A report cell as shown on the page: whole numbers grouped by thousands, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
