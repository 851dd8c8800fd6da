"""Reads of the private feeds' links (common.links): whose feed a token opens, and who has a live one.

Rotating and revoking them is calendars.services.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet

from calendars.selectors import PRESENTER
from common.links import live_links, live_subject_ids, token_hash
from common.models import LinkPurpose
from common.versions import ACCESS, SCHEDULE, versions_join, versions_read
from scheduling.models import Presenter

# What says whether a feed's link opens it: the links and the users (ACCESS), the presenters (SCHEDULE).
OWNER_SCOPES = (ACCESS, SCHEDULE)
# How many links' owners a process keeps (one per subscribed calendar that polls it); beyond, it starts again.
FEED_OWNERS_KEPT = 2048


class FeedOwners(dict):
    """Whose feed each link opened lately, in this process: (kind, the token's SHA-256, the versions
    of OWNER_SCOPES) -> the presenter's or user's id. Only links that opened a feed are kept, and
    only by their hash, as the database keeps them; an unknown or revoked link is asked each time."""

    def keep(self, key: tuple[str, ...], owner: int) -> None:
        if len(self) >= FEED_OWNERS_KEPT:
            self.clear()
        self[key] = owner


feed_owners = FeedOwners()


def _live_owner(*, kind: str, token: str) -> int | None:
    if kind == PRESENTER:
        owners = Presenter.objects.filter(is_active=True)
        links = live_subject_ids(purpose=LinkPurpose.PRESENTER_FEED, token=token)
    else:
        owners = get_user_model()._default_manager.filter(is_active=True, is_staff=True)
        links = live_subject_ids(purpose=LinkPurpose.STAFF_FEED, token=token)
    return owners.filter(pk__in=links).values_list("pk", flat=True).first()


def private_feed_owner_and_versions(*, kind: str, token: str, scopes: Iterable[str]) -> tuple[int | None, str]:
    """For a presenter or staff feed: the id of the presenter or staff user whose live link this token
    is (None for an unknown, revoked or rotated link, or an inactive owner), and the data versions of
    ``scopes``, for its stored copy.

    The versions are read on every request, with those of OWNER_SCOPES, in one query; the link's
    owner is asked of the database only when this process has not seen the link open under those
    versions (``feed_owners``). Every write that can change the answer moves them (a link issued,
    rotated or revoked; a user changed or deleted; a presenter made inactive), so a revoked link
    answers "not found" on the next request in every process, and a warm feed costs one query.
    """
    scopes = tuple(scopes)
    parts = versions_read((*scopes, *OWNER_SCOPES))
    versions = versions_join(parts, scopes)
    key = (kind, token_hash(token), *(parts[scope] for scope in OWNER_SCOPES))
    owner = feed_owners.get(key)
    if owner is None:
        owner = _live_owner(kind=kind, token=token)
        if owner is not None:
            feed_owners.keep(key, owner)
    return owner, versions


def staff_feed_link_exists(*, user: AbstractBaseUser) -> bool:
    return live_links(purpose=LinkPurpose.STAFF_FEED).filter(subject_id=user.pk).exists()


def presenters_for_feed_tokens() -> QuerySet[Presenter]:
    """Every presenter, active first, with ``has_feed``, for the staff page that rotates their feed links."""
    live = live_links(purpose=LinkPurpose.PRESENTER_FEED).filter(subject_id=OuterRef("pk"))
    return (
        Presenter.objects.only("name", "email", "is_active")
        .annotate(has_feed=Exists(live))
        .order_by("-is_active", "name")
    )
