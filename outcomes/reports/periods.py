"""The date ranges reach reports are asked for: reporting quarters and grant years.

Quarters start in REPORT_QUARTER_START_MONTH and every third month after it (1: calendar
quarters); the grant year starts in REPORT_GRANT_YEAR_START_MONTH (7: July to June).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: date
    end: date  # included


def month_ordinal(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_from_ordinal(ordinal: int) -> date:
    return date(ordinal // 12, ordinal % 12 + 1, 1)


def _span(first_month: int, months: int) -> tuple[date, date]:
    return month_from_ordinal(first_month), month_from_ordinal(first_month + months) - timedelta(days=1)


def quarter_of(day: date, offset: int = 0) -> tuple[date, date]:
    """The reporting quarter holding ``day`` (``offset`` quarters later or earlier)."""
    first = settings.REPORT_QUARTER_START_MONTH - 1
    ordinal = month_ordinal(day)
    return _span(ordinal - (ordinal - first) % 3 + 3 * offset, 3)


def grant_year_of(day: date, offset: int = 0) -> tuple[date, date]:
    """The grant year holding ``day`` (``offset`` years later or earlier)."""
    first = settings.REPORT_GRANT_YEAR_START_MONTH - 1
    ordinal = month_ordinal(day)
    return _span(ordinal - (ordinal - first) % 12 + 12 * offset, 12)


def grant_year_label(start: date, end: date) -> str:
    if start.year == end.year:
        return str(_("Grant year %(year)s") % {"year": start.year})
    return str(_("Grant year %(first)s–%(second)s") % {"first": start.year, "second": f"{end.year % 100:02d}"})


def quarter_label(start: date, end: date) -> str:
    return f"{start:%b} – {end:%b %Y}" if start.year == end.year else f"{start:%b %Y} – {end:%b %Y}"


def report_periods(*, today: date | None = None) -> list[Period]:
    """The ranges offered as shortcuts; the first is the default."""
    today = today or timezone.localdate()
    periods = []
    for key, label, (start, end) in (
        ("quarter", _("This quarter"), quarter_of(today)),
        ("previous_quarter", _("Previous quarter"), quarter_of(today, -1)),
        ("grant_year", _("This grant year"), grant_year_of(today)),
        ("previous_grant_year", _("Previous grant year"), grant_year_of(today, -1)),
    ):
        detail = grant_year_label(start, end) if "grant_year" in key else quarter_label(start, end)
        periods.append(Period(key, f"{label} ({detail})", start, end))
    return periods


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
