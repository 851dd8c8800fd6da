"""Writes for presenters and their time off: the roster staff keep, and blackout periods.

Each function validates the whole row (``full_clean``: unique email, one presenter per login)
and raises ValidationError keyed by field; nothing is saved then.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from common.times import MSG_DATE_RANGE, elapsed, instant_in_range
from common.versions import SCHEDULE, version_bump
from outreach.models import Language, Presentation
from scheduling.models import Blackout, Presenter
from scheduling.services.availability import blackout_booking_overlaps
from scheduling.services.review import MSG_END_BEFORE_START

PRESENTER_FIELDS = ("name", "email", "phone", "user")
BLACKOUT_FIELDS = ("presenter", "start", "end", "reason")


def _locked_with(row: Presenter | Blackout, changes: dict, allowed: tuple[str, ...]) -> Presenter | Blackout:
    """The row, locked until the transaction ends, with ``changes`` (fields among ``allowed``) applied."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields for a {type(row).__name__}: {sorted(unknown)}")
    row = type(row).objects.select_for_update().get(pk=row.pk)
    for name, value in changes.items():
        setattr(row, name, value)
    return row


def _save_presenter(
    presenter: Presenter, languages: Iterable[Language] | None, presentations: Iterable[Presentation] | None
) -> Presenter:
    presenter.full_clean()
    presenter.save()
    if languages is not None:
        presenter.languages.set(languages)
    if presentations is not None:
        presenter.presentations.set(presentations)
    return presenter


@transaction.atomic
def presenter_create(
    *,
    name: str,
    email: str,
    languages: Iterable[Language],
    presentations: Iterable[Presentation],
    phone: str = "",
    user: AbstractBaseUser | None = None,
) -> Presenter:
    """Add a presenter to the roster, qualified for ``presentations`` and speaking ``languages``."""
    presenter = Presenter(name=name, email=email, phone=phone, user=user)
    return _save_presenter(presenter, languages, presentations)


@transaction.atomic
def presenter_update(
    *,
    presenter: Presenter,
    languages: Iterable[Language] | None = None,
    presentations: Iterable[Presentation] | None = None,
    **changes,
) -> Presenter:
    """Change a presenter's details; only the keyword arguments given change.

    Bookings already made keep their presenters; a presenter who is no longer qualified for a
    presentation is simply not suggested for new ones.
    """
    return _save_presenter(_locked_with(presenter, changes, PRESENTER_FIELDS), languages, presentations)


@transaction.atomic
def presenter_deactivate(*, presenter: Presenter) -> Presenter:
    """Take a presenter off the roster: no longer suggested or assignable. Bookings made stay as they are."""
    Presenter.objects.filter(pk=presenter.pk).update(is_active=False)
    version_bump(SCHEDULE)
    presenter.is_active = False
    return presenter


def _check_blackout(blackout: Blackout) -> None:
    """Both ends within the allowed years, the end after the start (in real time), then the row's rules."""
    moments = {"start": blackout.start, "end": blackout.end}
    out_of_range = {
        key: [str(MSG_DATE_RANGE)]
        for key, moment in moments.items()
        if isinstance(moment, datetime) and not instant_in_range(moment)
    }
    if out_of_range:
        raise ValidationError(out_of_range)
    if None not in moments.values() and elapsed(blackout.start, blackout.end) <= timedelta(0):
        raise ValidationError({"end": [str(MSG_END_BEFORE_START)]})
    blackout.full_clean()


def _save_blackout(blackout: Blackout) -> Blackout:
    _check_blackout(blackout)
    blackout.save()
    blackout.warnings = blackout_booking_overlaps(presenter=blackout.presenter, start=blackout.start, end=blackout.end)
    return blackout


@transaction.atomic
def blackout_create(
    *, start: datetime, end: datetime, presenter: Presenter | None = None, reason: str = ""
) -> Blackout:
    """Time a presenter is away or, without a presenter, a closure of the whole program.

    Saved even when it overlaps scheduled bookings (the time off is a fact); ``blackout.warnings``
    then names each of them, for staff to reschedule or cancel.
    """
    return _save_blackout(Blackout(presenter=presenter, start=start, end=end, reason=reason))


@transaction.atomic
def blackout_update(*, blackout: Blackout, **changes) -> Blackout:
    """Change a blackout period or closure; only the keyword arguments given change.

    ``blackout.warnings`` names the scheduled bookings it now overlaps, as for ``blackout_create``.
    """
    return _save_blackout(_locked_with(blackout, changes, BLACKOUT_FIELDS))


@transaction.atomic
def blackout_delete(*, blackout: Blackout) -> None:
    """Remove a blackout period or closure; presenters are free then again."""
    Blackout.objects.filter(pk=blackout.pk).delete()
