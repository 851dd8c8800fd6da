"""Writes for the catalog side: submitting a request, and its optional details added later.

The same rules guard the web form and the API: the form shows these messages next to the
fields, and this module checks them again so that no caller can skip them. Error messages
are constants so that tests and callers can compare them exactly.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from common.contact import program_contact
from common.dates import day
from common.exceptions import DomainError
from common.languages import is_public_language, public_language_codes
from common.links import link_issue
from common.models import LinkPurpose
from common.times import MSG_DATE_RANGE, elapsed, instant_in_range
from common.validators import phone_normalize, zip_code_validate
from outreach.enums import Format, RequestStatus
from outreach.models import (
    AUDIENCE_SIZE_MAX,
    AUDIENCE_SIZE_MIN,
    MAX_WINDOWS,
    Presentation,
    PresentationRequest,
    RequestWindow,
)
from scheduling.services.audit import audit_record
from scheduling.services.notify import request_details_changed_notify, request_submitted_notify, status_link_notify

# Translators: %(date)s is the earliest date a presentation can be requested for, as in "March 15, 2027".
MSG_WINDOW_TOO_SOON = _("Choose a date on or after %(date)s: we need at least %(days)d days to prepare.")
MSG_WINDOW_END_BEFORE_START = _("The end time must be after the start time.")
MSG_WINDOW_TOO_LONG = _("A window can last at most %(hours)d hours.")
MSG_WINDOWS_REQUIRED = _("Give at least one preferred date and time.")
MSG_WINDOWS_TOO_MANY = _("Give at most three preferred dates and times.")
MSG_PRESENTATION_INACTIVE = _("This presentation is not offered at the moment.")
MSG_FORMAT_NOT_OFFERED = _("This presentation is not offered in that format.")
MSG_LANGUAGE_NOT_OFFERED = _("This presentation is not offered in that language.")
MSG_AUDIENCE_SIZE = _("Enter a number of people between 1 and 5,000.")
MSG_PLATFORM_REQUIRED = _("Tell us which platform you will use (for example Zoom or Teams).")
MSG_VENUE_REQUIRED = _(
    "Tell us where the presentation takes place, as the public should see it "
    "(for example: Northfield Public Library, 210 Washington St, Northfield)."
)
MSG_REGISTRATION_URL = _("Enter the full web address of the registration page, starting with https:// or http://.")
MSG_ATTENDANCE_BOTH = _("Give a registration link or choose “Open to all, no registration needed”, not both.")
MSG_DETAILS_CONFIRMED = _(
    "Your presentation is confirmed, so these details can no longer be changed here. "
    "To change them, contact the program."
)
MSG_DETAILS_CLOSED = _("This request is closed, so its details can no longer be changed.")
MSG_REQUESTER_LANGUAGE = _("Choose one of the languages this site is offered in: %(languages)s.")

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Window:
    """A preferred window: two aware instants (compare and measure them with ``common.times``)."""

    start: datetime
    end: datetime


def earliest_window_date(*, now: datetime | None = None) -> date:
    """The first day on which any time of day is far enough ahead: the date the form offers first."""
    now = now or timezone.now()
    return timezone.localdate(now + timedelta(days=settings.REQUEST_LEAD_DAYS)) + timedelta(days=1)


def window_too_soon_message(*, now: datetime | None = None) -> str:
    """The lead-time message, naming the earliest date the form offers."""
    return MSG_WINDOW_TOO_SOON % {"date": day(earliest_window_date(now=now)), "days": settings.REQUEST_LEAD_DAYS}


def window_errors(*, start: datetime, end: datetime, now: datetime | None = None) -> dict[str, list[str]]:
    """The problems with one preferred window (two aware instants), as messages for the requester.

    Keyed by the part at fault: "start" (out of range, too soon) or "end" (out of range, before the
    start, too long). Lead time and length are real elapsed time (see ``common.times``).
    """
    now = now or timezone.now()
    errors: dict[str, list[str]] = {"start": [], "end": []}
    for part, moment in (("start", start), ("end", end)):
        if not instant_in_range(moment):
            errors[part].append(str(MSG_DATE_RANGE))
    if errors["start"] or errors["end"]:
        return errors
    if elapsed(now, start) < timedelta(days=settings.REQUEST_LEAD_DAYS):
        errors["start"].append(window_too_soon_message(now=now))
    if elapsed(start, end) <= timedelta(0):
        errors["end"].append(str(MSG_WINDOW_END_BEFORE_START))
    elif elapsed(start, end) > timedelta(hours=settings.REQUEST_WINDOW_MAX_HOURS):
        errors["end"].append(MSG_WINDOW_TOO_LONG % {"hours": settings.REQUEST_WINDOW_MAX_HOURS})
    return errors


# The answers a requester may give with the request or add later, until the talk is confirmed:
# the request form's "Add details now or later" part, the status page's form, the API's PATCH.
DETAILS_FIELDS = (
    "accessibility_needs",
    "av_available",
    "is_open_to_public",
    "may_list_publicly",
    "venue",
    "registration_url",
    "no_registration_needed",
    "notes",
    "referral_source",
)

_web_address = URLValidator(schemes=["http", "https"])


def registration_url_validate(value: str) -> str:
    """A registration page's address: a full http(s) URL (a public page links to it), or empty."""
    value = (value or "").strip()
    if value:
        try:
            _web_address(value)
        except ValidationError:
            raise ValidationError(MSG_REGISTRATION_URL, code="invalid") from None
    return value


def details_errors(*, fields: dict, fmt: str) -> dict[str, list[str]]:
    """The rules of the optional details (``DETAILS_FIELDS``) of a request in format ``fmt``, keyed by field."""
    errors: dict[str, list[str]] = {}
    listed_venue = fields.get("may_list_publicly") and fields.get("is_open_to_public") and fmt == Format.IN_PERSON
    if listed_venue and not (fields.get("venue") or "").strip():
        errors["venue"] = [str(MSG_VENUE_REQUIRED)]
    url = fields.get("registration_url") or ""
    try:
        url = registration_url_validate(url)
    except ValidationError as exc:
        errors["registration_url"] = exc.messages
    else:
        if url and fields.get("no_registration_needed"):
            errors["registration_url"] = [str(MSG_ATTENDANCE_BOTH)]
    return errors


def request_errors(*, presentation: Presentation, windows: list[Window], fields: dict) -> dict[str, list[str]]:
    """Every rule a new request must meet, keyed by the field at fault."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message) -> None:
        messages = errors.setdefault(field, [])
        if str(message) not in messages:
            messages.append(str(message))

    if not presentation.is_active:
        add("presentation", MSG_PRESENTATION_INACTIVE)
    fmt = fields.get("format")
    if fmt not in Format.values or not presentation.offers(fmt):
        add("format", MSG_FORMAT_NOT_OFFERED)
    if fmt == Format.VIRTUAL and not (fields.get("virtual_platform") or "").strip():
        add("virtual_platform", MSG_PLATFORM_REQUIRED)
    for field, messages in details_errors(fields=fields, fmt=fmt).items():
        for message in messages:
            add(field, message)
    language = fields.get("language")
    if language is not None and not presentation.languages.filter(pk=language.pk).exists():
        add("language", MSG_LANGUAGE_NOT_OFFERED)
    if "requester_language" in fields and not is_public_language(fields["requester_language"]):
        add("requester_language", MSG_REQUESTER_LANGUAGE % {"languages": ", ".join(public_language_codes())})
    for field, rule in (("zip_code", zip_code_validate), ("contact_phone", phone_normalize)):
        if field in fields:
            try:
                rule(fields[field])
            except ValidationError as exc:
                add(field, exc.messages[0])
    size = fields.get("audience_size")
    if not isinstance(size, int) or not AUDIENCE_SIZE_MIN <= size <= AUDIENCE_SIZE_MAX:
        add("audience_size", MSG_AUDIENCE_SIZE)
    if not windows:
        add("windows", MSG_WINDOWS_REQUIRED)
    elif len(windows) > MAX_WINDOWS:
        add("windows", MSG_WINDOWS_TOO_MANY)
    now = timezone.now()
    for window in windows:
        for messages in window_errors(start=window.start, end=window.end, now=now).values():
            for message in messages:
                add("windows", message)
    return errors


def _reference_new() -> str:
    while True:
        code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
        reference = f"OS-{code[:4]}-{code[4:]}"
        if not PresentationRequest.objects.filter(reference=reference).exists():
            return reference


@transaction.atomic
def request_submit(*, presentation: Presentation, windows: list[Window], **fields) -> PresentationRequest:
    """Save a new request with its windows and queue the acknowledgement and the staff notice.

    ``fields`` are PresentationRequest's own fields (organization, contact, audience, ...);
    ``requester_language``, one of PUBLIC_LANGUAGES, is the language of every email to the requester.
    Raises ValidationError, keyed by field, when a rule is broken; nothing is saved then.
    The status link's token is on ``request.status_token``; the database keeps only its hash, and
    every email to the requester carries a link of its own, made when it is sent.
    """
    errors = request_errors(presentation=presentation, windows=windows, fields=fields)
    if errors:
        raise ValidationError(errors)
    request = PresentationRequest(presentation=presentation, reference=_reference_new(), **fields)
    request.full_clean(exclude=["reference"])
    request.save()
    request.status_token = link_issue(purpose=LinkPurpose.REQUEST_STATUS, subject_id=request.pk)
    RequestWindow.objects.bulk_create(
        RequestWindow(request=request, position=position, start=w.start, end=w.end)
        for position, w in enumerate(windows, start=1)
    )
    audit_record(request=request, actor="requester", action="submit", from_status="")
    request_submitted_notify(request=request)
    return request


# Requests whose status page still offers something to do or to see coming.
OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.SCHEDULED)


@transaction.atomic
def request_links_send(*, email: str) -> int:
    """Email each open request made with this address its own status link, each to that address alone.

    Returns how many were sent; the "Find my request" page answers the same whatever the number,
    so that it never tells whether an address is known.
    """
    found = list(
        PresentationRequest.objects.select_related("presentation").filter(
            contact_email__iexact=email.strip(), status__in=OPEN_STATUSES
        )
    )
    for request in found:
        status_link_notify(request=request)
    return len(found)


class DetailsLocked(DomainError):
    """The request's details can no longer be changed by the requester (confirmed, or closed)."""

    code = "details_locked"


def details_locked_message(*, status: str) -> str:
    """Why the details cannot change now; for a confirmed talk, with the program's contact details when set."""
    if status != RequestStatus.SCHEDULED:
        return str(MSG_DETAILS_CLOSED)
    contact = program_contact()
    reach = " · ".join(part for part in (contact.email, contact.phone) if part)
    return f"{MSG_DETAILS_CONFIRMED} {reach}".strip()


def request_details_may_change(request: PresentationRequest, *, by: AbstractBaseUser | None = None) -> bool:
    """Whether the optional details may still change: by the requester (``by`` None) until the talk
    is confirmed; by a staff user while the request is open (waiting or scheduled), never once closed
    (declined, withdrawn, expired, cancelled, completed). A ``by`` who is not staff may not."""
    if by is not None:
        return by.is_staff and request.status in OPEN_STATUSES
    return request.status == RequestStatus.SUBMITTED


@transaction.atomic
def request_details_update(
    *, request: PresentationRequest, data: dict, by: AbstractBaseUser | None = None
) -> PresentationRequest:
    """Change the optional details (``DETAILS_FIELDS``; the keys ``data`` gives, the rest as they are).

    ``by`` None is the requester: only while the request waits for a decision; once the talk is
    confirmed (or the request is closed) it raises DetailsLocked, and the requester asks the program
    instead. ``by`` a staff user: also after confirmation (a new registration link for /events/), never
    once the request is closed. Raises ValidationError, keyed by field, for a broken rule; nothing is
    saved then. The audit trail records who changed which answers (names, not values); a change by the
    requester also tells the staff inbox which answers changed. Saving the same answers records nothing.
    """
    unknown = set(data) - set(DETAILS_FIELDS)
    if unknown:
        raise ValueError(f"Not one of the optional details: {', '.join(sorted(unknown))}")
    locked = PresentationRequest.objects.select_for_update().get(pk=request.pk)
    if not request_details_may_change(locked, by=by):
        raise DetailsLocked(details_locked_message(status=locked.status))
    values = {name: getattr(locked, name) for name in DETAILS_FIELDS} | data
    errors = details_errors(fields=values, fmt=locked.format)
    if errors:
        raise ValidationError(errors)
    values["registration_url"] = registration_url_validate(values["registration_url"])
    changed = [name for name in DETAILS_FIELDS if getattr(locked, name) != values[name]]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    locked.clean_fields(exclude=[f.name for f in locked._meta.fields if f.name not in changed])
    locked.save(update_fields=[*changed, "updated_at"])
    with translation.override("en"):
        names = [str(locked._meta.get_field(name).verbose_name) for name in changed]
    who = "the requester" if by is None else f"staff ({by.get_username()})"
    entry = audit_record(
        request=locked,
        actor="requester" if by is None else "staff",
        by=by,
        action="details_update",
        from_status=locked.status,
        note=f"Changed by {who}: {', '.join(names)}.",
    )
    if by is None:
        request_details_changed_notify(request=locked, fields=names, sequence=entry.pk)
    locked.status_token = request.status_token
    return locked
