"""What presenters set for themselves on their own pages: their time off, the hours of the week
when they take talks, and how many talks a month they take at most.

Staff suggestions (``availability.presenter_fits``) honour all three. Days and hours are the
program's time zone (settings.TIME_ZONE): a day off runs from that day's midnight to the next
day's, stored as UTC instants like every blackout; weekly hours are wall-clock times.

Errors: ValidationError keyed by field (``first_day``, ``last_day``, ``end_<weekday>``,
``max_talks_per_month``); nothing is saved then.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.times import program_zone
from scheduling.models import Blackout, Presenter, Weekday, WeeklyHours
from scheduling.services.people import blackout_create

MSG_LAST_DAY_BEFORE_FIRST = _("The last day must be the first day or after it.")
MSG_LAST_DAY_PASSED = _("The last day has passed; give time off that is still ahead.")
MSG_TIME_OFF_TOO_LONG = _("Give at most %(days)d days at once; add another period for more.")
MSG_HOURS_END_BEFORE_START = _("The end must be after the start.")
MSG_MONTHLY_LIMIT = _("Enter a whole number from 1 to %(most)d, or leave it empty for no limit.")

TIME_OFF_MAX_DAYS = 366
MONTHLY_LIMIT_MAX = 60


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=program_zone())


@transaction.atomic
def presenter_time_off_add(*, presenter: Presenter, first_day: date, last_day: date, reason: str = "") -> Blackout:
    """The presenter is away from the start of ``first_day`` to the end of ``last_day`` (program time zone)."""
    errors: dict[str, list[str]] = {}
    if last_day < first_day:
        errors["last_day"] = [str(MSG_LAST_DAY_BEFORE_FIRST)]
    elif last_day < timezone.localdate():
        errors["last_day"] = [str(MSG_LAST_DAY_PASSED)]
    elif (last_day - first_day).days + 1 > TIME_OFF_MAX_DAYS:
        errors["last_day"] = [MSG_TIME_OFF_TOO_LONG % {"days": TIME_OFF_MAX_DAYS}]
    if errors:
        raise ValidationError(errors)
    return blackout_create(
        presenter=presenter,
        start=_midnight(first_day),
        end=_midnight(last_day + timedelta(days=1)),
        reason=reason.strip(),
    )


@transaction.atomic
def presenter_time_off_remove(*, presenter: Presenter, blackout_id: int) -> bool:
    """Remove one of the presenter's own time-off periods; False if they have none with that id
    (a program closure or another presenter's time off is not theirs to remove)."""
    deleted, _rows = Blackout.objects.filter(pk=blackout_id, presenter=presenter).delete()
    return bool(deleted)


@transaction.atomic
def presenter_availability_set(
    *, presenter: Presenter, weekly_hours: dict[int, tuple[time, time]], max_talks_per_month: int | None
) -> Presenter:
    """Replace the presenter's regular weekly hours (weekday, Monday 0, to (from, until)) and their
    monthly limit (None: no limit). No hours at all means any day, any time."""
    errors: dict[str, list[str]] = {}
    for weekday, (start, end) in weekly_hours.items():
        if weekday not in Weekday.values:
            raise ValueError(f"not a weekday: {weekday!r}")
        if end <= start:
            errors[f"end_{weekday}"] = [str(MSG_HOURS_END_BEFORE_START)]
    if max_talks_per_month is not None and not 1 <= max_talks_per_month <= MONTHLY_LIMIT_MAX:
        errors["max_talks_per_month"] = [MSG_MONTHLY_LIMIT % {"most": MONTHLY_LIMIT_MAX}]
    if errors:
        raise ValidationError(errors)
    presenter = Presenter.objects.select_for_update().get(pk=presenter.pk)
    presenter.max_talks_per_month = max_talks_per_month
    presenter.save(update_fields=["max_talks_per_month", "updated_at"])
    WeeklyHours.objects.filter(presenter=presenter).delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(presenter=presenter, weekday=weekday, start=start, end=end)
        for weekday, (start, end) in sorted(weekly_hours.items())
    )
    return presenter
