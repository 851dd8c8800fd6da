"""Forms for outcomes: the host evaluation, the audience survey and the report's date range."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleForm, BoundedDateField, CleanCharField
from outcomes.models import ATTENDANCE_MAX, KnowsWhereToGetHelp, NextStep, WouldRequestAgain
from outcomes.services import (
    EVALUATION_COMMENTS_MAX,
    MSG_ATTENDANCE,
    MSG_CHOICE,
    MSG_RATING,
    SURVEY_COMMENT_MAX,
)

MSG_DATE_INVALID = _("Enter a date, for example 2026-07-01.")
MSG_RANGE_ORDER = _("The end date must be on or after the start date.")
MSG_RANGE_TOO_LONG = _("Choose a range of at most ten years.")
MAX_REPORT_DAYS = 3660

RATING_CHOICES = [
    # Translators: a five-point scale; keep the number and the dash before each word.
    (1, _("1 – Poor")),
    (2, _("2 – Fair")),
    (3, _("3 – Good")),
    (4, _("4 – Very good")),
    (5, _("5 – Excellent")),
]
USEFULNESS_CHOICES = [
    # Translators: a five-point scale of how useful the presentation was for the audience.
    (1, _("1 – Not useful")),
    (2, _("2 – A little useful")),
    (3, _("3 – Useful")),
    (4, _("4 – Very useful")),
    (5, _("5 – Extremely useful")),
]
UNDERSTANDING_CHOICES = [
    # Translators: a five-point scale of how well someone understands sex trafficking (before and after).
    (1, _("1 – Very little")),
    (2, _("2 – A little")),
    (3, _("3 – Some")),
    (4, _("4 – Well")),
    (5, _("5 – Very well")),
]
_CHOICE_ERRORS = {"required": MSG_CHOICE, "invalid_choice": MSG_CHOICE}
_RATING_ERRORS = {"required": MSG_RATING, "invalid_choice": MSG_RATING}


def _scale(label, choices) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect, error_messages=_RATING_ERRORS
    )


def _choice(label, choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, error_messages=_CHOICE_ERRORS)


class EvaluationForm(AccessibleForm):
    rating = _scale(_("Overall, how was the presentation?"), RATING_CHOICES)
    usefulness = _scale(_("How useful was it for your audience?"), USEFULNESS_CHOICES)
    confirmed_attendance = forms.IntegerField(
        label=_("How many people attended?"),
        min_value=0,
        max_value=ATTENDANCE_MAX,
        help_text=_("Your best count; it helps us report how many people the program reached."),
        error_messages={
            "required": MSG_ATTENDANCE,
            "invalid": MSG_ATTENDANCE,
            "min_value": MSG_ATTENDANCE,
            "max_value": MSG_ATTENDANCE,
        },
    )
    next_step = _choice(_("What will your organization do next?"), NextStep.choices)
    would_request_again = _choice(_("Would you request a presentation from us again?"), WouldRequestAgain.choices)
    comments = CleanCharField(
        label=_("Comments (optional)"),
        max_length=EVALUATION_COMMENTS_MAX,
        required=False,
        multiline=True,
        help_text=_("What worked, what we could do better, what your audience asked about."),
    )

    def __init__(self, *args, attendance: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if attendance is not None:
            self.fields["confirmed_attendance"].initial = attendance
        self.fields["confirmed_attendance"].widget.attrs["inputmode"] = "numeric"


class SurveyForm(AccessibleForm):
    understanding_before = _scale(
        _("Before this presentation, how well did you understand sex trafficking?"), UNDERSTANDING_CHOICES
    )
    understanding_after = _scale(_("And now, after it?"), UNDERSTANDING_CHOICES)
    knows_where_to_get_help = _choice(
        _("Do you know where to get help, for yourself or for someone else?"), KnowsWhereToGetHelp.choices
    )
    comment = CleanCharField(
        label=_("Anything you would like to tell us? (optional)"),
        max_length=SURVEY_COMMENT_MAX,
        required=False,
        multiline=True,
        help_text=_("Please do not write your name or anything else that could identify you or someone else."),
    )


class ReportRangeForm(AccessibleForm):
    """The report's date range (both days included); empty means the default period."""

    start = BoundedDateField(
        label=_("From"), error_messages={"invalid": MSG_DATE_INVALID, "required": MSG_DATE_INVALID}
    )
    end = BoundedDateField(label=_("Until"), error_messages={"invalid": MSG_DATE_INVALID, "required": MSG_DATE_INVALID})
    contacts = forms.BooleanField(
        label=_("Include the requesters' contact details"),
        required=False,
        help_text=_(
            "Names, emails, phone numbers and street addresses of the organizations' contacts. "
            "Only tick this when you need them, and keep the file private."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", MSG_RANGE_ORDER)
            elif (end - start).days > MAX_REPORT_DAYS:
                self.add_error("start", MSG_RANGE_TOO_LONG)
        return cleaned
