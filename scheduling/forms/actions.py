"""The staff pages' lifecycle action forms: approve, propose, reschedule, decline, cancel, complete.

Each form checks what it can (required fields, times in order and in the future); the service
checks everything again and its ValidationError is mapped back onto the form's fields with
``add_service_errors``.
"""

from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleForm, BoundedDateField, CleanCharField
from common.times import AMBIGUOUS_RULE, elapsed, local_instant, program_zone
from outreach.enums import Format
from outreach.models import PresentationRequest
from scheduling.forms.fields import PresenterChoiceField, PresenterMultipleChoiceField, window_label
from scheduling.models import Booking, Presenter
from scheduling.services.retention import REASON_ON_REQUEST
from scheduling.services.review import (
    MSG_ATTENDANCE,
    MSG_END_BEFORE_START,
    MSG_IN_THE_PAST,
    MSG_PROPOSAL_TIMES,
    MSG_REASON_REQUIRED,
    MSG_TOO_LONG,
    Plan,
)

MSG_TIME_INCOMPLETE = _("Give the date, the start time and the end time.")
MSG_VIRTUAL_LINK_INVALID = _("Enter a full web address, starting with https://.")

OTHER_TIME = "other"
MAX_PROPOSED_TIMES = 3


class ActionForm(AccessibleForm):
    """A staff action on one request. ``SERVICE_FIELDS`` maps the service's error keys to fields."""

    def __init__(self, *args, request_obj: PresentationRequest, booking: Booking | None = None, **kwargs):
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj
        self.booking = booking

    def service_arguments(self) -> dict:
        """The lifecycle service's keyword arguments (besides the request and the staff user)."""
        return dict(self.cleaned_data)


def _time_fields(form: forms.Form, prefix: str = "", *, required: bool = False) -> None:
    """Add <prefix>date, <prefix>start_time and <prefix>end_time inputs to ``form``."""
    hint = {"required": True} if required else {}
    form.fields[f"{prefix}date"] = BoundedDateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", **hint}, format="%Y-%m-%d"),
    )
    form.fields[f"{prefix}start_time"] = forms.TimeField(
        label=_("From"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", **hint}, format="%H:%M"),
        help_text=AMBIGUOUS_RULE if not prefix or prefix.startswith("time_1") else "",
    )
    form.fields[f"{prefix}end_time"] = forms.TimeField(
        label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time", **hint}, format="%H:%M")
    )


def _time_initial(start: datetime, end: datetime, prefix: str = "") -> dict:
    start, end = timezone.localtime(start, program_zone()), timezone.localtime(end, program_zone())
    return {f"{prefix}date": start.date(), f"{prefix}start_time": start.time(), f"{prefix}end_time": end.time()}


def _clean_time(form: forms.Form, prefix: str = "", *, required: bool = True) -> tuple[datetime, datetime] | None:
    """The (start, end) instants from the three inputs (read with ``common.times``), or None after
    adding the errors found next to the inputs."""
    names = (f"{prefix}date", f"{prefix}start_time", f"{prefix}end_time")
    if any(name in form.errors for name in names):
        return None
    day, start, end = (form.cleaned_data.get(name) for name in names)
    if day is None and start is None and end is None and not required:
        return None
    if day is None or start is None or end is None:
        missing = next(name for name, value in zip(names, (day, start, end), strict=True) if value is None)
        form.add_error(missing, MSG_TIME_INCOMPLETE)
        return None
    instants = []
    for name, at in ((names[1], start), (names[2], end)):
        try:
            instants.append(local_instant(day, at))
        except ValidationError as exc:
            form.add_error(name, exc)
    if len(instants) < 2:
        return None
    start_at, end_at = instants
    ok = True
    if elapsed(start_at, end_at) <= timedelta(0):
        form.add_error(names[2], MSG_END_BEFORE_START)
        ok = False
    elif elapsed(start_at, end_at) > timedelta(hours=settings.REQUEST_WINDOW_MAX_HOURS):
        form.add_error(names[2], MSG_TOO_LONG % {"hours": settings.REQUEST_WINDOW_MAX_HOURS})
        ok = False
    if start_at <= timezone.now():
        form.add_error(names[0], MSG_IN_THE_PAST)
        ok = False
    return (start_at, end_at) if ok else None


class PlanForm(ActionForm):
    """Presenters and place, shared by approve, propose and reschedule."""

    SERVICE_FIELDS = {"start": "date", "end": "end_time"}

    lead_presenter = PresenterChoiceField(
        label=_("Lead presenter"), queryset=Presenter.objects.none(), empty_label=_("Choose a presenter")
    )
    co_presenters = PresenterMultipleChoiceField(
        label=_("Co-presenters (optional)"),
        queryset=Presenter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    location = CleanCharField(
        label=_("Location"), max_length=300, required=False, help_text=_("Street address, city and room.")
    )
    virtual_link = forms.URLField(
        label=_("Virtual meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": MSG_VIRTUAL_LINK_INVALID},
    )

    override_reason = CleanCharField(
        label=_("Reason to assign anyway (optional)"),
        max_length=500,
        required=False,
        help_text=_(
            "Needed only when a presenter is not qualified for this presentation or does not speak the "
            "request's language. Kept in the audit trail."
        ),
    )

    def __init__(self, *args, presenters: list[Presenter] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        qualified = Presenter.objects.filter(presentations=self.request_obj.presentation_id)
        self.fields["lead_presenter"].queryset = qualified.filter(is_active=True).order_by("name")
        self.fields["co_presenters"].queryset = Presenter.objects.filter(is_active=True).order_by("name")
        if self.is_virtual:
            del self.fields["location"]
        else:
            del self.fields["virtual_link"]

    @property
    def is_virtual(self) -> bool:
        fmt = self.booking.format if self.booking else self.request_obj.format
        return fmt == Format.VIRTUAL

    def plan_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "lead_presenter": data["lead_presenter"],
            "co_presenters": list(data.get("co_presenters") or []),
            "format": self.booking.format if self.booking else self.request_obj.format,
            "location": data.get("location", ""),
            "virtual_link": data.get("virtual_link", ""),
            "override_reason": data.get("override_reason", ""),
        }

    def default_location(self) -> str:
        return f"{self.request_obj.street_address}, {self.request_obj.city}"


class OneTimeForm(PlanForm):
    """A plan at one time (approve, reschedule): ``clean`` puts the aware (start, end) in ``times``."""

    def time_fields(self) -> list:
        """The date, start and end inputs of the time."""
        return [self[name] for name in ("date", "start_time", "end_time") if name in self.fields]

    def is_valid(self) -> bool:
        return super().is_valid() and self.cleaned_data.get("times") is not None

    def plan_fields(self) -> dict:
        start, end = self.cleaned_data["times"]
        return {"start": start, "end": end, **super().plan_fields()}

    def service_arguments(self) -> dict:
        return {"plan": Plan(**self.plan_fields()), "note": self.cleaned_data["note"]}


class ApproveForm(OneTimeForm):
    PREFIX = "approve"

    when = forms.ChoiceField(label=_("When"), widget=forms.RadioSelect)
    note = CleanCharField(
        label=_("Internal note (optional)"),
        max_length=2000,
        required=False,
        multiline=True,
        help_text=_("Kept in the audit trail; the requester does not see it."),
    )

    field_order = ["when", "date", "start_time", "end_time", "lead_presenter", "co_presenters", "location"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        windows = list(self.request_obj.windows.all())
        self.windows = {str(w.pk): w for w in windows}
        legends = [_("First choice"), _("Second choice"), _("Third choice")]
        choices = [(str(w.pk), f"{legends[min(w.position, 3) - 1]}: {window_label(w.start, w.end)}") for w in windows]
        self.fields["when"].choices = [*choices, (OTHER_TIME, _("Another agreed time (below)"))]
        future = [w for w in windows if w.start > timezone.now()]
        self.fields["when"].initial = str(future[0].pk) if future else OTHER_TIME
        _time_fields(self)
        if "location" in self.fields:
            self.fields["location"].initial = self.default_location()
        self.order_fields(self.field_order)

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("when")
        if choice == OTHER_TIME:
            times = _clean_time(self)
        elif choice in self.windows:
            window = self.windows[choice]
            times = (window.start, window.end)
        else:
            times = None
        cleaned["times"] = times
        return cleaned

    def service_field(self, key: str) -> str | None:
        if key in ("start", "end") and self.cleaned_data.get("when") != OTHER_TIME:
            return "when"
        return super().service_field(key)


class ProposeForm(PlanForm):
    PREFIX = "propose"
    SERVICE_FIELDS = {"start": "time_1_date", "end": "time_1_end_time", "times": "time_1_date"}
    TIME_LEGENDS = (_("First time"), _("Second time (optional)"), _("Third time (optional)"))

    message = CleanCharField(
        label=_("Message to the requester"),
        max_length=2000,
        required=False,
        multiline=True,
        help_text=_("Sent by email with the proposed times."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_PROPOSED_TIMES + 1):
            _time_fields(self, f"time_{n}_", required=n == 1)
        if "location" in self.fields:
            self.fields["location"].initial = self.default_location()
        self.order_fields(
            [f"time_{n}_{part}" for n in range(1, 4) for part in ("date", "start_time", "end_time")]
            + ["lead_presenter", "co_presenters", "location", "virtual_link", "message"]
        )

    def time_fieldsets(self):
        return [
            (legend, [self[f"time_{n}_date"], self[f"time_{n}_start_time"], self[f"time_{n}_end_time"]])
            for n, legend in enumerate(self.TIME_LEGENDS, start=1)
        ]

    def summary_label(self, bound) -> str:
        if bound.name.startswith("time_"):
            return f"{self.TIME_LEGENDS[int(bound.name.split('_')[1]) - 1]}: {bound.label}"
        return str(bound.label)

    def clean(self):
        cleaned = super().clean()
        times = []
        for n in range(1, MAX_PROPOSED_TIMES + 1):
            slot = _clean_time(self, f"time_{n}_", required=n == 1)
            if slot is not None:
                times.append(slot)
        if not times and not any(name.startswith("time_") for name in self.errors):
            self.add_error("time_1_date", MSG_PROPOSAL_TIMES)
        cleaned["times"] = times
        return cleaned

    def service_arguments(self) -> dict:
        fields = self.plan_fields()
        del fields["format"]
        return {"times": self.cleaned_data["times"], "message": self.cleaned_data["message"], **fields}


class RescheduleForm(OneTimeForm):
    PREFIX = "reschedule"

    note = CleanCharField(
        label=_("Internal note (optional)"),
        max_length=2000,
        required=False,
        multiline=True,
        help_text=_("Kept in the audit trail; the requester and presenters are told the new details."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _time_fields(self, required=True)
        booking = self.booking
        if booking is not None and not self.is_bound:
            self.initial.update(_time_initial(booking.start, booking.end))
            self.initial["lead_presenter"] = booking.lead_presenter_id
            self.initial["co_presenters"] = [p.pk for p in booking.co_presenters.all()]
            self.initial["location"] = booking.location
            self.initial["virtual_link"] = booking.virtual_link
        self.order_fields(["date", "start_time", "end_time", "lead_presenter", "co_presenters", "location"])

    def clean(self):
        cleaned = super().clean()
        cleaned["times"] = _clean_time(self)
        return cleaned


class ReasonForm(ActionForm):
    """Decline and cancel: a reason the requester will read."""

    reason = CleanCharField(
        label=_("Reason"),
        max_length=2000,
        multiline=True,
        error_messages={"required": MSG_REASON_REQUIRED},
        help_text=_("Sent to the requester by email and shown on their status page."),
    )


class DeclineForm(ReasonForm):
    PREFIX = "decline"


class CancelForm(ReasonForm):
    PREFIX = "cancel"


class CompleteForm(ActionForm):
    PREFIX = "complete"
    SERVICE_FIELDS = {"notes": "notes"}

    attendance = forms.IntegerField(
        label=_("People who attended"),
        min_value=0,
        max_value=100_000,
        error_messages={"min_value": MSG_ATTENDANCE, "max_value": MSG_ATTENDANCE, "invalid": MSG_ATTENDANCE},
    )
    notes = CleanCharField(label=_("Presenter notes (optional)"), max_length=4000, required=False, multiline=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"].widget.attrs["inputmode"] = "numeric"


class EraseForm(AccessibleForm):
    """Erasing a requester's personal details: why, for the audit trail (never what is erased)."""

    reason = CleanCharField(
        label=_("Why (for the audit trail; optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: “The requester asked by phone.” Do not write their name or details here."),
    )

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"] or REASON_ON_REQUEST
