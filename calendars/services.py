"""Private calendar-feed links: rotating a presenter's, and a staff user's own.

Each is a private link (common.links): 256 random bits, stored only as a hash, so a link is
shown once, when it is made. Rotation revokes the previous link at once: its URL answers 404
from then on.
"""

import logging

from django.contrib.auth.models import AbstractBaseUser

from common.links import link_replace, links_revoke
from common.models import LinkPurpose
from scheduling.models import Presenter

logger = logging.getLogger(__name__)


def presenter_feed_token_rotate(*, presenter: Presenter, by: AbstractBaseUser | None = None) -> str:
    """Give ``presenter`` a new feed link and return its token; the previous one stops working."""
    token = link_replace(purpose=LinkPurpose.PRESENTER_FEED, subject_id=presenter.pk)
    logger.info("Presenter %s feed link rotated by user %s", presenter.pk, getattr(by, "pk", None))
    return token


def staff_feed_token_rotate(*, user: AbstractBaseUser) -> str:
    """Revoke ``user``'s staff feed link, if any, and make a new one (also the first); returns its token."""
    token = link_replace(purpose=LinkPurpose.STAFF_FEED, subject_id=user.pk)
    logger.info("Staff feed link made for user %s", user.pk)
    return token


def staff_feed_token_revoke(*, user: AbstractBaseUser) -> int:
    """Revoke ``user``'s staff feed link; returns how many were revoked (0 or 1)."""
    revoked = links_revoke(purpose=LinkPurpose.STAFF_FEED, subject_id=user.pk)
    if revoked:
        logger.info("Staff feed link revoked for user %s", user.pk)
    return revoked
