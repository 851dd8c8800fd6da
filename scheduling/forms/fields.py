"""What the staff forms share: how staff read a time and presenter choices."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from scheduling.models import Presenter


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
