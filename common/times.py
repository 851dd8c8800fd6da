"""Times people enter, read as instants: every form, the API and the services go through here.

- A date and time without an offset is wall-clock time in the program's time zone
  (``settings.TIME_ZONE``, America/Chicago).
- A wall-clock time the clocks skip (in America/Chicago 2:00-2:59 AM on the second Sunday of March,
  when clocks go forward) does not exist: it is refused with a message that says so
  (``MSG_TIME_SKIPPED``).
- A wall-clock time that happens twice (1:00-1:59 AM on the first Sunday of November, when clocks
  go back) means the first one, before the clocks go back (daylight time). ``AMBIGUOUS_RULE`` says
  so next to the time inputs.
- A time with an offset (``2027-03-14T02:30:00-06:00``) is the instant it names.
- Instants are compared and measured in UTC, so a window's length, end-after-start and the lead
  time are real elapsed time: from 1:00 to 3:00 AM on the night clocks go forward is one hour.
- Every date a person enters lies in the years FIRST_YEAR to LAST_YEAR (``MSG_DATE_RANGE``):
  anything further is a typing mistake, and date arithmetic and the database stay far from the
  ends of the calendar.
"""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.dates import day, time_of_day

FIRST_YEAR, LAST_YEAR = 2000, 2199
MSG_DATE_RANGE = _("Give a date between the years 2000 and 2199.")
# Translators: a time the clocks skip in spring. %(time)s is the time typed ("2:30 AM"), %(day)s the
# date ("March 14, 2027"), %(change)s the time at which clocks are moved forward by an hour ("2:00 AM").
MSG_TIME_SKIPPED = _("%(time)s does not exist on %(day)s: clocks go forward at %(change)s.")
AMBIGUOUS_RULE = _(
    # Translators: shown next to the time inputs. In November the clocks go back one hour at 2:00 AM,
    # so every time from 1:00 to 1:59 AM happens twice that night.
    "On the night clocks go back (early November), the hour from 1:00 to 1:59 AM happens twice; "
    "a time in that hour means the first one, before the clocks go back."
)

# What the API's documentation says about every date-time it reads.
API_DESCRIPTION = (
    "ISO 8601, years 2000 to 2199. With an offset (`Z`, `-05:00`) it is the instant it names. Without "
    "one it is wall-clock time in America/Chicago: a time the clocks skip when they go forward (2:00 to "
    "2:59 AM on the second Sunday of March) is refused with a 400 naming the field; a time that happens "
    "twice when they go back (1:00 to 1:59 AM on the first Sunday of November) means the first one, "
    "daylight time (-05:00). Lengths and lead times are measured in elapsed time."
)


def program_zone() -> zoneinfo.ZoneInfo:
    """The program's time zone: where its presentations take place and how people read times."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def date_in_range(value: date) -> bool:
    return FIRST_YEAR <= value.year <= LAST_YEAR


def date_check(value: date) -> None:
    """Raise ValidationError (code "date_range") for a date outside FIRST_YEAR to LAST_YEAR."""
    if not date_in_range(value):
        raise ValidationError(str(MSG_DATE_RANGE), code="date_range")


def range_start() -> datetime:
    """The first instant of the allowed years (midnight, January 1, in the program's zone)."""
    return datetime(FIRST_YEAR, 1, 1, tzinfo=program_zone())


def range_end() -> datetime:
    """The instant just after the allowed years."""
    return datetime(LAST_YEAR + 1, 1, 1, tzinfo=program_zone())


def instant_in_range(moment: datetime) -> bool:
    """Whether an aware instant falls on a program-zone date in the allowed years (no overflow near
    the ends of the calendar: aware datetimes compare without conversion)."""
    return range_start() <= moment < range_end()


def _skipped(wall: datetime) -> bool:
    """Whether a naive wall-clock time does not exist in the program's zone."""
    zone = program_zone()
    there = wall.replace(tzinfo=zone, fold=0)
    return there.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall


def _clocks_forward_at(wall: datetime) -> datetime:
    """The first skipped minute of the gap that ``wall`` falls in (the time clocks jump from)."""
    first = wall.replace(second=0, microsecond=0)
    for _minute in range(24 * 60):
        if not _skipped(first - timedelta(minutes=1)):
            break
        first -= timedelta(minutes=1)
    return first


def instant_from_wall(wall: datetime) -> datetime:
    """The instant of a naive wall-clock time, aware in the program's zone.

    Raises ValidationError with code "date_range" (the date's year is out of range) or
    "time_skipped" (the clocks skip that time). A time that happens twice gives the first one.
    """
    date_check(wall.date())
    if _skipped(wall):
        raise ValidationError(
            str(
                MSG_TIME_SKIPPED
                % {"time": time_of_day(wall), "day": day(wall), "change": time_of_day(_clocks_forward_at(wall))}
            ),
            code="time_skipped",
        )
    return wall.replace(tzinfo=program_zone(), fold=0)


def local_instant(on: date, at: time) -> datetime:
    """The instant of a date and a time of day typed into a form; see instant_from_wall."""
    return instant_from_wall(datetime.combine(on, at))


def instant(moment: datetime) -> datetime:
    """Any date-time a person gave, as an instant aware in the program's zone.

    Without an offset it is read with ``instant_from_wall``; with one it is the instant it names. Either
    way the date as written must lie in the allowed years (ValidationError otherwise)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return instant_from_wall(moment)
    date_check(moment.date())
    return moment.astimezone(program_zone())


def utc(moment: datetime) -> datetime:
    """An aware datetime as the same instant in UTC, so that comparing and subtracting count real time
    (two datetimes in the same zone compare and subtract by their wall clocks in Python)."""
    return moment.astimezone(UTC)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The real time from ``start`` to ``end`` (negative when ``end`` comes first)."""
    return utc(end) - utc(start)


def happens_twice(moment: datetime) -> bool:
    """Whether the program-zone wall-clock time of ``moment`` happens twice (the hour clocks go back)."""
    local = moment.astimezone(program_zone())
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
