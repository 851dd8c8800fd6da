"""What the staff forms share: the site's time zone, how staff read a time, presenter choices
and a date field bounded to plausible years."""

import zoneinfo
from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from scheduling.models import Presenter

MSG_DATE_OUT_OF_RANGE = _("Enter a date between the years %(first)d and %(last)d.")


def site_timezone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def window_label(start: datetime, end: datetime) -> str:
    """The time as staff read it in the site's time zone, for example "Tue, Jun 3, 2025, 9:00 AM - 10:30 AM"."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{date_format(start, 'D, M j, Y')}, {date_format(start, 'g:i A')} – {date_format(end, 'g:i A')}"


class PresenterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Presenter) -> str:
        return obj.name if obj.is_active else f"{obj.name} ({_('inactive')})"


class PresenterMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Presenter) -> str:
        return obj.name if obj.is_active else f"{obj.name} ({_('inactive')})"


class BoundedDateField(forms.DateField):
    """A date in a plausible range, so that arithmetic and time-zone conversion cannot overflow."""

    FIRST_YEAR, LAST_YEAR = 2000, 2100

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not self.FIRST_YEAR <= value.year <= self.LAST_YEAR:
            raise ValidationError(
                MSG_DATE_OUT_OF_RANGE % {"first": self.FIRST_YEAR, "last": self.LAST_YEAR}, code="date_range"
            )
        return value
