"""Input rules shared by the web forms, the API and the services, so that each is written once
and gives the same message wherever it is checked."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MSG_PHONE_INVALID = _("Enter a phone number we can call, for example 612-555-0123.")
MSG_ZIP_INVALID = _("Enter a five-digit ZIP code, for example 55101.")

# ASCII digits only: str.isdigit() and the regex \d would take Arabic-Indic or full-width digits.
_ZIP = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")
# Control characters (C0, DEL, C1) except the tab and line breaks that multi-line text keeps.
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def zip_code_validate(value: str) -> str:
    """A US ZIP code (five digits, or ZIP+4), returned as given. Raises ValidationError."""
    if not isinstance(value, str) or not _ZIP.match(value):
        raise ValidationError(MSG_ZIP_INVALID, code="zip_code")
    return value


def phone_normalize(value: str) -> str:
    """Parse a North American (or +country) phone number; return it in international format.

    Raises ValidationError when it is not a number one could call.
    """
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise ValidationError(MSG_PHONE_INVALID, code="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(MSG_PHONE_INVALID, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def honeypot_filled(value) -> bool:
    """Whether the hidden field that people never see (and automated submissions fill) has a value."""
    return bool(value.strip() if isinstance(value, str) else value)


def text_clean(value: str, *, multiline: bool = False) -> str:
    """Text without control characters. A single line also loses line breaks and runs of spaces;
    a multi-line text keeps its line breaks (as \\n) and loses only the outer whitespace."""
    if multiline:
        return _CONTROL_MULTILINE.sub("", value).replace("\r\n", "\n").strip()
    return " ".join(_CONTROL_SINGLE_LINE.sub(" ", value).split())
