"""The staff pages' filters: the queue's (GET form) and the calendar's date range (FullCalendar's query)."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import BoundedDateField
from common.times import instant, program_zone
from outreach.enums import COUNTY_CHOICES, RequestStatus
from outreach.models import Audience, Presentation

MSG_DATE_RANGE = _("The end of the range must be on or after its start.")

ANY_STATUS = "any"


class QueueFilterForm(forms.Form):
    """GET filters of the queue. An invalid value is reported on the form and that filter is ignored."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*RequestStatus.choices, (ANY_STATUS, _("Any status"))],
        required=False,
        initial=RequestStatus.SUBMITTED,
    )
    presentation = forms.ModelChoiceField(
        label=_("Presentation"), queryset=Presentation.objects.order_by("title"), required=False, empty_label=_("All")
    )
    county = forms.ChoiceField(label=_("County"), choices=[("", _("All")), *COUNTY_CHOICES], required=False)
    audience = forms.ModelChoiceField(
        label=_("Audience type"), queryset=Audience.objects.all(), required=False, empty_label=_("All")
    )
    date_from = BoundedDateField(label=_("Dates from"), required=False)
    date_to = BoundedDateField(label=_("Dates until"), required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", MSG_DATE_RANGE)
        return cleaned

    def selector_filters(self) -> dict:
        """Keyword arguments for ``selectors.requests_for_queue`` from the values that are valid."""
        if not self.is_bound:
            return {"status": RequestStatus.SUBMITTED}
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status")
        date_from, date_to = data.get("date_from"), data.get("date_to")
        zone = program_zone()
        return {
            "status": None if status == ANY_STATUS else (status or RequestStatus.SUBMITTED),
            "presentation_id": data["presentation"].pk if data.get("presentation") else None,
            "county": data.get("county") or None,
            "audience_id": data["audience"].pk if data.get("audience") else None,
            "date_from": datetime.combine(date_from, time.min, tzinfo=zone) if date_from else None,
            "date_to": datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone) if date_to else None,
        }


def parse_calendar_bound(value: str | None) -> datetime | None:
    """A FullCalendar range bound (ISO 8601 date or date-time, with or without offset) as an aware
    datetime, or None when it cannot be read or lies outside the years people may enter. A "+" decoded
    from the query string as a space is restored."""
    if not value or len(value) > 40:
        return None
    value = value.strip().replace(" ", "+")
    try:
        if len(value) == 10:
            parsed = datetime.combine(date.fromisoformat(value), time.min)
        else:
            parsed = datetime.fromisoformat(value)
        return instant(parsed)
    except (ValueError, ValidationError):
        return None
