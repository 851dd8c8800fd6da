"""Template tags for the outcome links (host evaluation, audience survey and its QR code) and report cells.

In an email the links are placeholders, made into live links when the email is sent (common.links);
on the presenter's page the survey's links carry the code just made there.
"""

from django import template
from django.utils.translation import get_language

from common.languages import language_name_local, public_language_codes
from outcomes import links
from scheduling.models import Booking

register = template.Library()


@register.simple_tag
def evaluation_url(booking: Booking) -> str:
    """The host's private evaluation link in an email, opening in the email's language (made when sent)."""
    return links.evaluation_url_in_email(language=get_language())


@register.simple_tag
def survey_url(booking: Booking) -> str:
    """The audience survey's link in an email, in the presentation's language (made when sent)."""
    return links.survey_url(booking=booking, code=links.survey_placeholder())


@register.simple_tag
def survey_qr_url(booking: Booking) -> str:
    """The QR code of the survey link in an email, as an SVG image (made when sent)."""
    return links.survey_qr_url(booking=booking, code=links.survey_placeholder())


@register.simple_tag
def survey_languages(booking: Booking, code: str) -> list[dict]:
    """The survey with ``code`` in each language the public site offers, for the presenter to choose
    the slide's: [{"code", "name", "url", "qr_path", "default"}]."""
    default = links.survey_language(booking=booking)
    return [
        {
            "code": language,
            "name": language_name_local(language),
            "url": links.survey_url(booking=booking, code=code, language=language),
            "qr_path": links.survey_qr_path(booking=booking, code=code, language=language),
            "default": language == default,
        }
        for language in public_language_codes()
    ]


@register.filter
def report_cell(value) -> str:
    """A report cell as shown on the page: whole numbers grouped by thousands, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
