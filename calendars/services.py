"""Private calendar-feed tokens: rotating a presenter's, and a staff user's own.

Tokens come from common.links (256-bit HMAC of a random salt); the database keeps only
their SHA-256 for lookup, so a token is compared by hash, never as stored text. A presenter's
token is shown once, when rotated (Presenter keeps no salt). A staff user's token can be shown
to its owner again, since StaffFeedToken keeps the salt. Rotation revokes the previous token
at once: its URL answers 404 from then on.
"""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from calendars.models import STAFF_FEED_TOKEN_PURPOSE, StaffFeedToken
from common.links import token_new
from scheduling.models import Presenter

PRESENTER_FEED_TOKEN_PURPOSE = "presenter-feed"  # noqa: S105 (a name, not a secret)

logger = logging.getLogger(__name__)


@transaction.atomic
def presenter_feed_token_rotate(*, presenter: Presenter, by: AbstractBaseUser | None = None) -> str:
    """Give ``presenter`` a new feed token and return it; the previous one stops working."""
    _, token, hashed = token_new(purpose=PRESENTER_FEED_TOKEN_PURPOSE)
    Presenter.objects.filter(pk=presenter.pk).update(feed_token_hash=hashed)
    presenter.feed_token_hash = hashed
    logger.info("Presenter %s feed token rotated by user %s", presenter.pk, getattr(by, "pk", None))
    return token


@transaction.atomic
def staff_feed_token_rotate(*, user: AbstractBaseUser) -> StaffFeedToken:
    """Revoke ``user``'s live staff feed token, if any, and create a new one (also the first one)."""
    now = timezone.now()
    # Lock the user's live rows so that two rotations at once cannot both succeed;
    # the partial unique constraint refuses a second live token in any case.
    list(StaffFeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    StaffFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    salt, _, hashed = token_new(purpose=STAFF_FEED_TOKEN_PURPOSE)
    feed_token = StaffFeedToken.objects.create(user=user, token_salt=salt, token_hash=hashed)
    logger.info("Staff feed token %s created for user %s", feed_token.pk, user.pk)
    return feed_token


@transaction.atomic
def staff_feed_token_revoke(*, user: AbstractBaseUser) -> int:
    """Revoke ``user``'s live staff feed token; returns how many were revoked (0 or 1)."""
    revoked = StaffFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        logger.info("Staff feed token revoked for user %s", user.pk)
    return revoked
