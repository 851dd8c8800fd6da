"""The forms on a presenter's own pages: time off, regular weekly hours with the monthly limit, and
the reason for declining an assignment.

They read the inputs; the rules (order of the days, hours that end after they start, the limit's
range) are the service's, and its errors come back next to the fields with ``add_service_errors``.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleForm, BoundedDateField, CleanCharField
from scheduling.models import Presenter, Weekday
from scheduling.services.assignment import MSG_DECLINE_REASON

MSG_HOURS_MISSING = _("Give the time you start and the time you finish, or untick the day.")


class TimeOffForm(AccessibleForm):
    first_day = BoundedDateField(label=_("First day away"))
    last_day = BoundedDateField(label=_("Last day away"), help_text=_("The same as the first day for one day."))
    reason = CleanCharField(
        label=_("Note (optional)"),
        max_length=200,
        required=False,
        help_text=_("Only staff see it, for example “vacation” or “conference”."),
    )

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)


class WeeklyHoursForm(AccessibleForm):
    """One checkbox and two times per weekday, then the monthly limit."""

    max_talks_per_month = forms.IntegerField(
        label=_("Talks a month at most (optional)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Leave empty for no limit. A talk counts in the month it starts."),
    )

    def __init__(self, *args, presenter: Presenter, **kwargs):
        super().__init__(*args, **kwargs)
        hours = {row.weekday: row for row in presenter.weekly_hours.all()}
        for weekday, name in Weekday.choices:
            row = hours.get(weekday)
            self.fields[f"available_{weekday}"] = forms.BooleanField(
                label=_("I take talks on %(day)ss") % {"day": name}, required=False, initial=row is not None
            )
            self.fields[f"start_{weekday}"] = forms.TimeField(
                label=_("From"),
                required=False,
                initial=row.start if row else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"end_{weekday}"] = forms.TimeField(
                label=_("Until"),
                required=False,
                initial=row.end if row else None,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
        self.fields["max_talks_per_month"].initial = presenter.max_talks_per_month
        self.order_fields([*(name for name in self.fields if name != "max_talks_per_month"), "max_talks_per_month"])

    def days(self) -> list[tuple[str, list]]:
        """(day name, [its checkbox, from, until]) for each weekday, for the page's fieldsets."""
        return [
            (name, [self[f"available_{weekday}"], self[f"start_{weekday}"], self[f"end_{weekday}"]])
            for weekday, name in Weekday.choices
        ]

    def summary_label(self, bound) -> str:
        for weekday, name in Weekday.choices:
            if bound.name in (f"start_{weekday}", f"end_{weekday}"):
                return f"{name}, {str(bound.label).lower()}"
        return super().summary_label(bound)

    def clean(self):
        cleaned = super().clean()
        for weekday, _name in Weekday.choices:
            if not cleaned.get(f"available_{weekday}"):
                continue
            for part in ("start", "end"):
                name = f"{part}_{weekday}"
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, MSG_HOURS_MISSING)
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "weekly_hours": {
                weekday: (data[f"start_{weekday}"], data[f"end_{weekday}"])
                for weekday, _name in Weekday.choices
                if data.get(f"available_{weekday}")
            },
            "max_talks_per_month": data.get("max_talks_per_month"),
        }


class DeclineAssignmentForm(AccessibleForm):
    """Why the presenter cannot give a talk they were assigned."""

    reason = CleanCharField(
        label=_("Why you cannot give it"),
        max_length=2000,
        multiline=True,
        error_messages={"required": MSG_DECLINE_REASON},
        help_text=_("Staff read it when they look for someone else; the organization does not see it."),
    )

    def service_arguments(self) -> dict:
        return dict(self.cleaned_data)
