"""Private links: the request status page, presenter and staff calendar feeds, the host
evaluation and the audience survey.

A token is 256 random bits (43 URL-safe characters); the audience survey's code, read off a slide,
is 128 random bits (26 lowercase letters and digits). It is handed out once, in an email as it is
sent or on the page that made it, and the database keeps only its SHA-256 (``PrivateLink``), looked
up by that hash. No token depends on SECRET_KEY, so rotating it changes no link, and a copy of the
database alone opens nothing. Each link is revoked on its own.

Emails wait in the outbox with a placeholder where a link goes (``link_placeholder``); the link is
made when the email is sent (``links_fill``), so a stored body holds no live link either.
"""

import base64
import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from common.models import LinkPurpose, PrivateLink
from common.versions import ACCESS, version_bump

TOKEN_PATTERN = r"[A-Za-z0-9_-]{43}"  # noqa: S105 (a pattern, not a secret)
SURVEY_CODE_PATTERN = r"[a-z2-7]{26}"
_TOKEN_RE = re.compile(rf"^{TOKEN_PATTERN}$")
_SURVEY_CODE_RE = re.compile(rf"^{SURVEY_CODE_PATTERN}$")
# Stands in a stored email for a link of that purpose: URL-safe, and the shape of no real token.
_PLACEHOLDER_PREFIX = "private-link-"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _normal(purpose: str, token: str) -> str | None:
    """The token as stored (the survey code in lower case), or None if it cannot be one."""
    if purpose == LinkPurpose.AUDIENCE_SURVEY:
        token = token.lower()
        return token if _SURVEY_CODE_RE.match(token) else None
    return token if _TOKEN_RE.match(token) else None


def _token_new(purpose: str) -> str:
    if purpose == LinkPurpose.AUDIENCE_SURVEY:
        return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=").lower()
    return secrets.token_urlsafe(32)


# --- Writes ------------------------------------------------------------------------------------
# Each write of a feed's link moves ACCESS with it: the feeds keep which token opens whose feed
# under that version (calendars.selectors.links). Other links are looked up afresh each time.

FEED_PURPOSES = frozenset({LinkPurpose.PRESENTER_FEED, LinkPurpose.STAFF_FEED})


def _written(purpose: str, count: int = 1) -> None:
    if count and purpose in FEED_PURPOSES:
        version_bump(ACCESS)


@transaction.atomic(savepoint=False)
def link_issue(*, purpose: str, subject_id: int) -> str:
    """Make a new link to ``subject_id`` for ``purpose`` and return its token (stored only hashed)."""
    token = _token_new(purpose)
    PrivateLink.objects.create(purpose=purpose, subject_id=subject_id, token_hash=token_hash(token))
    _written(purpose)
    return token


@transaction.atomic(savepoint=False)
def link_revoke(*, link: PrivateLink) -> bool:
    """Revoke one link; False if it was revoked already."""
    revoked = PrivateLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _written(link.purpose, revoked)
    return bool(revoked)


@transaction.atomic(savepoint=False)
def links_revoke_all(*, purpose: str, subject_ids: Iterable[int] | QuerySet) -> int:
    """Revoke every live link of ``purpose`` to any of ``subject_ids`` (ids, or a ``values("pk")`` subquery)."""
    revoked = PrivateLink.objects.filter(purpose=purpose, subject_id__in=subject_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _written(purpose, revoked)
    return revoked


@transaction.atomic(savepoint=False)
def links_delete(*, purpose: str, subject_ids: Iterable[int]) -> int:
    """Delete every link, live or revoked, of ``purpose`` to any of ``subject_ids`` (their subject is deleted)."""
    deleted = PrivateLink.objects.filter(purpose=purpose, subject_id__in=list(subject_ids)).delete()[0]
    _written(purpose, deleted)
    return deleted


@transaction.atomic(savepoint=False)
def links_revoke(*, purpose: str, subject_id: int) -> int:
    """Revoke every live link of ``purpose`` to ``subject_id``; returns how many."""
    revoked = PrivateLink.objects.filter(purpose=purpose, subject_id=subject_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    _written(purpose, revoked)
    return revoked


@transaction.atomic(savepoint=False)
def link_replace(*, purpose: str, subject_id: int) -> str:
    """Revoke the subject's live links of ``purpose`` and make a new one (a feed's rotation)."""
    links_revoke(purpose=purpose, subject_id=subject_id)
    return link_issue(purpose=purpose, subject_id=subject_id)


# --- Reads -------------------------------------------------------------------------------------


def link_find(*, purpose: str, token: str) -> PrivateLink | None:
    """The link with this token, live or revoked, or None (unknown or malformed)."""
    token = _normal(purpose, token)
    if token is None:
        return None
    return PrivateLink.objects.filter(purpose=purpose, token_hash=token_hash(token)).first()


def live_subject_ids(*, purpose: str, token: str) -> QuerySet:
    """The subject id of the live link with this token, as a subquery (empty for any other token):
    ``Model.objects.filter(pk__in=live_subject_ids(...))`` finds the row in one query."""
    token = _normal(purpose, token)
    links = PrivateLink.objects.filter(purpose=purpose, revoked_at__isnull=True)
    links = links.filter(token_hash=token_hash(token)) if token is not None else links.none()
    return links.values("subject_id")


def links_revoked_before(*, before: datetime) -> QuerySet[PrivateLink]:
    """Links revoked before ``before``: each now only makes its old address answer "replaced" rather
    than "not found"."""
    return PrivateLink.objects.filter(revoked_at__lt=before)


def live_links(*, purpose: str) -> QuerySet[PrivateLink]:
    return PrivateLink.objects.filter(purpose=purpose, revoked_at__isnull=True)


# --- Links in emails ---------------------------------------------------------------------------


def link_placeholder(purpose: str) -> str:
    """What a stored email holds where a link of ``purpose`` goes (43 URL-safe characters)."""
    return f"{_PLACEHOLDER_PREFIX}{purpose}".ljust(43, "-")


def links_fill(texts: list[str], *, subjects: dict[str, int | None]) -> list[str]:
    """``texts`` (the parts of one email) with each placeholder replaced by a new live link.

    One link per purpose found, shared by every part, to the subject ``subjects`` names for it.
    A placeholder whose subject is unknown stays as it is (it leads nowhere).
    """
    filled = list(texts)
    for purpose, subject_id in subjects.items():
        placeholder = link_placeholder(purpose)
        if subject_id is None or not any(placeholder in text for text in filled):
            continue
        token = link_issue(purpose=purpose, subject_id=subject_id)
        filled = [text.replace(placeholder, token) for text in filled]
    return filled
