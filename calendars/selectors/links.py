"""Reads of the private feeds' links (common.links): whose feed a token opens, and who has a live one.

Rotating and revoking them is calendars.services.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet

from calendars.selectors import PRESENTER
from common.links import live_links, live_subject_sql
from common.models import LinkPurpose
from common.versions import versions_current_with
from scheduling.models import Presenter


def _live_owner_sql(*, purpose: str, token: str, model: type, flags: dict[str, bool]) -> tuple[str, list[object]]:
    """SQL giving the id of the ``model`` row whose live ``purpose`` link this token is, with every
    field of ``flags`` set as given (no row otherwise), and its parameters."""
    link_sql, params = live_subject_sql(purpose=purpose, token=token)
    meta = model._meta
    conditions = "".join(f" AND {meta.get_field(name).column} = %s" for name in flags)
    sql = f"SELECT {meta.pk.column} FROM {meta.db_table} WHERE {meta.pk.column} IN ({link_sql}){conditions}"  # noqa: S608 (the models' names; values are parameters)
    return sql, [*params, *flags.values()]


def private_feed_owner_and_versions(*, kind: str, token: str, scopes: Iterable[str]) -> tuple[int | None, str]:
    """For a presenter or staff feed: the id of the presenter or staff user whose live link this token
    is (None for an unknown, revoked or rotated link, or an inactive owner), and the data versions of
    ``scopes``, asked together in one round trip. The link is checked on every request, so a revoked
    link answers "not found" at once in every process; only the round trip is shared."""
    if kind == PRESENTER:
        sql, params = _live_owner_sql(
            purpose=LinkPurpose.PRESENTER_FEED, token=token, model=Presenter, flags={"is_active": True}
        )
    else:
        sql, params = _live_owner_sql(
            purpose=LinkPurpose.STAFF_FEED,
            token=token,
            model=get_user_model(),
            flags={"is_active": True, "is_staff": True},
        )
    versions, owner = versions_current_with(scopes, sql=sql, params=params)
    return (int(owner) if owner is not None else None), versions


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
