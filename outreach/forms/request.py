"""The public request form: what a first-time requester must answer first (the organization, the
contact, the audience, the format, the preferred times), then the optional details, which they
may add now or later on the status page; errors next to each field."""

from datetime import date, time

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.dates import time_span
from common.forms import BoundedDateField, CleanCharField
from common.times import AMBIGUOUS_RULE, happens_twice, local_instant
from common.validators import honeypot_filled, phone_normalize, zip_code_validate
from outreach.enums import COUNTY_CHOICES, Format, OrganizationType
from outreach.forms.details import RequestDetailsFields
from outreach.models import AUDIENCE_SIZE_MAX, AUDIENCE_SIZE_MIN, MAX_WINDOWS, Audience, Presentation
from outreach.services import (
    DETAILS_FIELDS,
    MSG_AUDIENCE_SIZE,
    MSG_WINDOWS_REQUIRED,
    Window,
    earliest_window_date,
    request_errors,
    window_errors,
)

MSG_WINDOW_INCOMPLETE = _("Give the date, the start time and the end time.")
# Translators: on the "Check your request" page, for an optional answer left empty.
NOT_GIVEN = _("Not given")
OPEN_TO_ALL = _("Open to all, no registration needed")


class RequestForm(RequestDetailsFields):
    """Everything the program needs to plan a presentation, for one presentation of the catalog.

    ``sections`` come first and hold every required answer; the preferred times follow; the
    optional details (``details_sections``, from RequestDetailsFields) come last, in a part the
    requester may leave for later.
    """

    SECTIONS = (
        (
            _("Your organization"),
            ("organization_name", "organization_type", "street_address", "city", "county", "zip_code"),
        ),
        (_("Contact person"), ("contact_name", "contact_role", "contact_email", "contact_phone")),
        (_("Audience"), ("audience", "audience_size", "age_range", "is_youth_audience", "language")),
        # Translators: whether the presentation is given in person or online (virtually).
        (_("Format"), ("format", "virtual_platform")),
    )

    organization_name = CleanCharField(label=_("Organization name"), max_length=200)
    organization_type = forms.ChoiceField(
        label=_("Type of organization"), choices=[("", "—"), *OrganizationType.choices]
    )
    street_address = CleanCharField(
        label=_("Street address"), max_length=200, help_text=_("Kept private: never shown to the public.")
    )
    city = CleanCharField(label=_("City"), max_length=100)
    county = forms.ChoiceField(label=_("County"), choices=[("", "—"), *COUNTY_CHOICES])
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10, validators=[zip_code_validate])

    contact_name = CleanCharField(label=_("Your name"), max_length=120)
    contact_role = CleanCharField(label=_("Your role or title"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Email"), max_length=254)
    contact_phone = CleanCharField(label=_("Phone"), max_length=32)

    audience = forms.ModelChoiceField(label=_("Who is the audience?"), queryset=Audience.objects.all(), empty_label="—")
    audience_size = forms.IntegerField(
        label=_("Expected number of people"),
        min_value=AUDIENCE_SIZE_MIN,
        max_value=AUDIENCE_SIZE_MAX,
        error_messages={"min_value": MSG_AUDIENCE_SIZE, "max_value": MSG_AUDIENCE_SIZE},
    )
    age_range = CleanCharField(
        label=_("Age range or grade band"),
        max_length=100,
        required=False,
        help_text=_("For example: grades 9–12, or adults."),
    )
    is_youth_audience = forms.BooleanField(label=_("The audience includes young people under 18"), required=False)
    language = forms.ModelChoiceField(label=_("Language"), queryset=None, empty_label=None)

    format = forms.ChoiceField(label=_("Format"), widget=forms.RadioSelect)
    virtual_platform = CleanCharField(
        label=_("Virtual platform"),
        max_length=100,
        required=False,
        help_text=_("Only for virtual presentations: Zoom, Teams, ..."),
    )

    # A field people never see; automated submissions tend to fill it.
    # Translators: the label of a field hidden from people (a trap for automated spam).
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, presentation: Presentation, **kwargs):
        super().__init__(*args, **kwargs)
        self.presentation = presentation
        self.fields["format"].choices = [(f.value, f.label) for f in presentation.formats]
        if len(presentation.formats) == 1:
            self.fields["format"].initial = presentation.formats[0].value
        self.fields["language"].queryset = presentation.languages.all()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.input_type = "tel"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["organization_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["street_address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["zip_code"].widget.attrs.update({"autocomplete": "postal-code", "inputmode": "numeric"})
        self.fields["city"].widget.attrs["autocomplete"] = "address-level2"
        self.fields["contact_role"].widget.attrs["autocomplete"] = "organization-title"
        earliest = earliest_window_date().isoformat()
        for n in range(1, MAX_WINDOWS + 1):
            required_hint = {"required": True} if n == 1 else {}
            self.fields[f"window_{n}_date"] = BoundedDateField(
                # Translators: the day of a preferred window; "From" and "Until" are its start and end times.
                label=_("Date"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date", "min": earliest, **required_hint}),
            )
            self.fields[f"window_{n}_start"] = forms.TimeField(
                # Translators: the start time of a preferred window (a time of day), as in "From 9:00".
                label=_("From"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time", **required_hint}),
            )
            self.fields[f"window_{n}_end"] = forms.TimeField(
                # Translators: the end time of a preferred window (a time of day), as in "Until 10:30".
                label=_("Until"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time", **required_hint}),
            )
        # The error summary lists the errors in the order the page shows the fields.
        first = [name for _legend, names in self.SECTIONS for name in names]
        windows = [f"window_{n}_{part}" for n in range(1, MAX_WINDOWS + 1) for part in ("date", "start", "end")]
        self.order_fields([*first, *windows, *DETAILS_FIELDS])

    @property
    def is_spam(self) -> bool:
        return honeypot_filled(self.data.get("website"))

    # How a time in the hour that happens twice is read, shown with the windows.
    CLOCK_RULE = AMBIGUOUS_RULE

    WINDOW_LEGENDS = (_("First choice"), _("Second choice (optional)"), _("Third choice (optional)"))

    def window_fieldsets(self):
        """(legend, [date, start, end]) for each preferred window, for the template."""
        return [
            (self.WINDOW_LEGENDS[n - 1], [self[f"window_{n}_date"], self[f"window_{n}_start"], self[f"window_{n}_end"]])
            for n in range(1, MAX_WINDOWS + 1)
        ]

    def summary_label(self, bound) -> str:
        if bound.name.startswith("window_"):
            n = int(bound.name.split("_")[1])
            return f"{self.WINDOW_LEGENDS[n - 1]}: {bound.label}"
        return str(bound.label)

    def sections(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.SECTIONS]

    def clean_contact_phone(self) -> str:
        return phone_normalize(self.cleaned_data["contact_phone"])

    def clean(self):
        cleaned = super().clean()
        windows = []
        for n in range(1, MAX_WINDOWS + 1):
            names = (f"window_{n}_date", f"window_{n}_start", f"window_{n}_end")
            if any(name in self.errors for name in names):
                continue
            day, start, end = (cleaned.get(name) for name in names)
            if day is None and start is None and end is None:
                if n == 1:
                    self.add_error(names[0], MSG_WINDOWS_REQUIRED)
                continue
            if day is None or start is None or end is None:
                missing = next(name for name, v in zip(names, (day, start, end), strict=True) if v is None)
                self.add_error(missing, MSG_WINDOW_INCOMPLETE)
                continue
            instants = {}
            for name, at in ((names[1], start), (names[2], end)):
                try:
                    instants[name] = local_instant(day, at)
                except ValidationError as exc:
                    self.add_error(name, exc)
            if len(instants) < 2:
                continue
            window = Window(start=instants[names[1]], end=instants[names[2]])
            problems = window_errors(start=window.start, end=window.end)
            for message in problems["start"]:
                self.add_error(names[0], message)
            for message in problems["end"]:
                self.add_error(names[2], message)
            if not problems["start"] and not problems["end"]:
                windows.append(window)
        cleaned["windows"] = windows
        # The service's own rules (format offered, platform for virtual talks, ...), so that the
        # form and every other caller give the same messages.
        problems = request_errors(presentation=self.presentation, windows=windows, fields=cleaned)
        for field, messages in problems.items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    # --- The "Check your request" step ------------------------------------------------------

    REVIEW_WINDOW_LABELS = (_("First choice"), _("Second choice"), _("Third choice"))

    def hidden_answers(self) -> list[tuple[str, str]]:
        """(name, value) of every answer, cleaned, as the form would post it: the review page carries
        them in hidden inputs. The final step validates them again like any other input."""
        answers = []
        for name in self.fields:
            if name == "website":
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, bool):
                if value:
                    answers.append((name, "on"))
                continue
            answers.append((name, _as_posted(value)))
        return answers

    def _choice_label(self, name: str) -> str:
        value = self.cleaned_data.get(name)
        if not value:
            return str(NOT_GIVEN)
        return str(dict(self.fields[name].choices).get(value, value))

    def review_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The answers in plain language, grouped like the form: (heading, [(term, answer)])."""
        data = self.cleaned_data

        def given(name: str) -> str:
            return data.get(name) or str(NOT_GIVEN)

        def yes_no(name: str) -> str:
            return str(_("Yes") if data.get(name) else _("No"))

        virtual = data["format"] == Format.VIRTUAL
        size = data["audience_size"]
        return [
            (
                _("Your organization"),
                [
                    (_("Organization name"), data["organization_name"]),
                    (_("Type of organization"), self._choice_label("organization_type")),
                    (_("Address"), f"{data['street_address']}, {data['city']} {data['zip_code']}"),
                    (_("County"), self._choice_label("county")),
                ],
            ),
            (
                _("Contact person"),
                [
                    (_("Name"), data["contact_name"]),
                    (_("Role or title"), given("contact_role")),
                    (_("Email"), data["contact_email"]),
                    (_("Phone"), data["contact_phone"]),
                ],
            ),
            (
                _("Audience"),
                [
                    # Translators: on the "Check your request" page, the audience's type ("Who") and size.
                    (_("Who"), str(data["audience"])),
                    (
                        _("How many"),
                        ngettext("About %(count)s person", "About %(count)s people", size) % {"count": size},
                    ),
                    (_("Age range or grade band"), given("age_range")),
                    (_("Young people under 18"), yes_no("is_youth_audience")),
                    (_("Language"), str(data["language"])),
                ],
            ),
            (
                _("Format"),
                [
                    (_("Format"), self._choice_label("format")),
                    *([(_("Virtual platform"), given("virtual_platform"))] if virtual else []),
                ],
            ),
            (
                _("Preferred dates and times"),
                [
                    (label, _window_answer(window))
                    for label, window in zip(self.REVIEW_WINDOW_LABELS, data["windows"], strict=False)
                ],
            ),
            (
                _("Logistics"),
                [
                    (_("Accessibility or interpreter needs"), given("accessibility_needs")),
                    (_("Projector and screen available"), yes_no("av_available")),
                    (_("Open to the public"), yes_no("is_open_to_public")),
                    *([(_("Where the presentation takes place"), data["venue"])] if data.get("venue") else []),
                    (
                        _("Public listing"),
                        str(
                            _("Yes, with your organization's name, the date and the place")
                            if data.get("may_list_publicly")
                            else _("No, do not show it publicly")
                        ),
                    ),
                    *([(_("How the public attends"), self._attendance_answer())] if self._asks_attendance() else []),
                ],
            ),
            (
                _("Anything else"),
                [
                    (_("Notes for our staff"), given("notes")),
                    (_("How you heard about us"), self._choice_label("referral_source")),
                ],
            ),
        ]

    def _asks_attendance(self) -> bool:
        data = self.cleaned_data
        listed = data.get("may_list_publicly") and data.get("is_open_to_public")
        return bool(listed or data.get("registration_url") or data.get("no_registration_needed"))

    def _attendance_answer(self) -> str:
        if self.cleaned_data.get("registration_url"):
            return self.cleaned_data["registration_url"]
        if self.cleaned_data.get("no_registration_needed"):
            return str(OPEN_TO_ALL)
        return str(NOT_GIVEN)

    def posted_answers(self) -> dict[str, list[str]]:
        """The answers as they were posted, by field: what a submission key's body hash is made of,
        so that a repeat of the "Send request" step compares equal and changed answers do not."""
        return {name: self.data.getlist(name) for name in sorted(self.fields) if name != "website"}

    def request_fields(self) -> dict:
        """The cleaned values that become the request's own fields."""
        excluded = {"website", "windows"} | {name for name in self.cleaned_data if name.startswith("window_")}
        return {name: value for name, value in self.cleaned_data.items() if name not in excluded}


def _window_answer(window: Window) -> str:
    """A window as the summary shows it; in the hour that happens twice, with the rule that reads it."""
    when = time_span(window.start, window.end)
    if happens_twice(window.start) or happens_twice(window.end):
        return f"{when}\n{AMBIGUOUS_RULE}"
    return when


def _as_posted(value) -> str:
    """A cleaned value written back the way the form's inputs post it."""
    if value is None:
        return ""
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)
