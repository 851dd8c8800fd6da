"""Dates and times as people read them, in the active language and the site's time zone.

Each format is itself a translatable string, so each language writes dates its own way
("Monday, March 15, 2027" in English, "lunes, 15 de marzo de 2027" in Spanish). The letters are
Django's date format letters: https://docs.djangoproject.com/en/5.2/ref/templates/builtins/#date
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

# Translators: the format of a date with its weekday, as in "Monday, March 15, 2027". Django's date
# letters: l = weekday, j = day of the month, F = month, Y = year; a letter meant literally needs a
# backslash (Spanish: "l, j \d\e F \d\e Y").
DAY_LONG = pgettext_lazy("date format", "l, F j, Y")
# Translators: the format of a date without its weekday, as in "March 15, 2027" (letters as above).
DAY = pgettext_lazy("date format", "F j, Y")
# Translators: a short date for an email's subject line, as in "Mar 15, 2027" (M = short month name).
DAY_SHORT = pgettext_lazy("date format", "M j, Y")
# Translators: the format of a time of day, as in "9:30 AM" (g = hour 1-12, G = hour 0-23, i = minutes,
# A = AM/PM).
TIME = pgettext_lazy("time format", "g:i A")
# Translators: written after a time to name the time zone (Minnesota keeps Central time), as in
# "Monday, March 15, 2027, 9:00 AM to 10:30 AM (Central time)".
CENTRAL_TIME = gettext_lazy("(Central time)")


def _local(moment: datetime | date) -> datetime | date:
    """An aware instant in the site's time zone; a naive one, or a plain date, as it is."""
    return timezone.localtime(moment) if isinstance(moment, datetime) and timezone.is_aware(moment) else moment


def day_long(moment: datetime) -> str:
    return date_format(_local(moment), str(DAY_LONG))


def day(moment: datetime | date) -> str:
    return date_format(_local(moment), str(DAY))


def day_short(moment: datetime) -> str:
    return date_format(_local(moment), str(DAY_SHORT))


def time_of_day(moment: datetime) -> str:
    return date_format(_local(moment), str(TIME))


def time_span(start: datetime, end: datetime, *, zone: bool = True) -> str:
    """A presentation's or a window's time, as every page, email and invite writes it: the date, the start
    time, after an en dash the end time, and the time zone (left out only where the sentence around it
    already names it)."""
    # Translators: a date followed by the start and end times, as in "Monday, March 15, 2027, 9:00 AM"
    # then an en dash and "10:30 AM".
    span = gettext("%(day)s, %(start)s – %(end)s") % {
        "day": day_long(start),
        "start": time_of_day(start),
        "end": time_of_day(end),
    }
    return f"{span} {CENTRAL_TIME}" if zone else span
