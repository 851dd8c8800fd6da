"""Writes for one request, however often it is sent: submission keys.

The request form carries a key of its own to its "Send request" step; an API client may send one in
the ``Idempotency-Key`` header. ``request_submit_once`` submits once per key; a repeat with the same
body gets the first request back (with a new status link) and sends nothing; the same key with
another body is refused. Keys are kept as hashes (``SubmissionKey``) for SUBMISSION_KEY_HOURS.
"""

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.exceptions import DomainError
from common.links import link_issue
from common.models import LinkPurpose
from outreach.models import Presentation, PresentationRequest, SubmissionKey
from outreach.services import Window, request_submit

# A key is what Idempotency-Key headers commonly carry (a UUID, say): 1 to 255 visible ASCII characters.
_SUBMISSION_KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")
SUBMISSION_KEY_PATTERN = _SUBMISSION_KEY_RE.pattern

MSG_SUBMISSION_KEY_INVALID = _(
    "The Idempotency-Key header must be 1 to 255 visible ASCII characters without spaces; "
    "a random UUID is a good choice."
)
MSG_SUBMISSION_KEY_REUSED = _(
    "This Idempotency-Key was already used to send a request with other values, so nothing was sent. "
    "Use a new key for a new request."
)


class SubmissionKeyReused(DomainError):
    """The key of an earlier submission came back with another body."""

    code = "idempotency_key_reused"


class SubmissionSource:
    """Where a key comes from: the two never answer each other's keys."""

    FORM = "form"
    API = "api"


@dataclass(frozen=True)
class Submitted:
    """A submission's request, its status link on ``request.status_token``, and whether it was a repeat."""

    request: PresentationRequest
    repeated: bool


def submission_key_new() -> str:
    return secrets.token_urlsafe(32)


def submission_key_is_well_formed(key: str) -> bool:
    return bool(_SUBMISSION_KEY_RE.match(key))


def submission_body_hash(body) -> str:
    """SHA-256 of a submission's body in one canonical form (JSON, keys sorted), so that the same
    values compare equal however they were ordered or spaced."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _submission_key_hash(*, key: str, source: str) -> str:
    return hashlib.sha256(f"{source}:{key}".encode()).hexdigest()


def _submission_key_cutoff() -> datetime:
    return timezone.now() - timedelta(hours=settings.SUBMISSION_KEY_HOURS)


def submission_repeat(*, key: str, source: str, body_hash: str) -> Submitted | None:
    """The request an earlier submission with this key made, with a new status link; None for a key
    not seen (or seen more than SUBMISSION_KEY_HOURS ago).

    A new link, because the first one exists only where it was handed out (common.links): the repeat
    is answered as the first submission was, with a link that works, and the first link keeps
    working too. Nothing else is written and no email is sent. Raises SubmissionKeyReused when
    the key came with another body.
    """
    found = (
        SubmissionKey.objects.filter(created_at__gte=_submission_key_cutoff())
        .select_related("request__presentation")
        .filter(key_hash=_submission_key_hash(key=key, source=source))
        .first()
    )
    if found is None:
        return None
    if found.body_hash != body_hash:
        raise SubmissionKeyReused(MSG_SUBMISSION_KEY_REUSED)
    request = found.request
    request.status_token = link_issue(purpose=LinkPurpose.REQUEST_STATUS, subject_id=request.pk)
    return Submitted(request=request, repeated=True)


def request_submit_once(
    *, key: str, source: str, body_hash: str, presentation: Presentation, windows: list[Window], **fields
) -> Submitted:
    """``request_submit``, once per key: a repeat (the same key and body) gets the first request back.

    The request, its emails and the key's row are one transaction, and the key's hash is unique,
    so of two simultaneous submissions with one key only one commits (on PostgreSQL the second
    waits for the first, then finds its row; SQLite runs one writer at a time). Raises
    SubmissionKeyReused for the same key with another body, ValidationError as request_submit does.
    """
    repeat = submission_repeat(key=key, source=source, body_hash=body_hash)
    if repeat is not None:
        return repeat
    key_hash = _submission_key_hash(key=key, source=source)
    try:
        with transaction.atomic():
            # An expired row with this key answers nothing any more: the key starts again.
            SubmissionKey.objects.filter(key_hash=key_hash, created_at__lt=_submission_key_cutoff()).delete()
            request = request_submit(presentation=presentation, windows=windows, **fields)
            SubmissionKey.objects.create(key_hash=key_hash, request=request, body_hash=body_hash)
    except IntegrityError:
        repeat = submission_repeat(key=key, source=source, body_hash=body_hash)
        if repeat is None:
            raise
        return repeat
    return Submitted(request=request, repeated=False)


def submission_keys_prune() -> int:
    """Delete the keys older than SUBMISSION_KEY_HOURS (they answer nothing any more); returns how many."""
    deleted, _per_model = SubmissionKey.objects.filter(created_at__lt=_submission_key_cutoff()).delete()
    return deleted
