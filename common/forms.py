"""The base of every form people fill in: an error summary that links to each field, a service's
errors put back next to the inputs, and a text field that keeps control characters out. Django
writes ``aria-describedby`` for help texts and errors itself; ``common/_field.html`` renders the
ids it points to. Dates are bounded to the years ``common.times`` allows."""

from django import forms
from django.core.exceptions import ValidationError

from common.times import date_check, local_instant
from common.validators import text_clean


class AccessibleForm(forms.Form):
    # A service's error keys that name another input than the field of the same name.
    SERVICE_FIELDS: dict[str, str] = {}

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError next to the matching inputs (the rest goes on top)."""
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for key, messages in errors.items():
            field = self.service_field(key)
            for message in messages:
                self.add_error(field, message)

    def service_field(self, key: str) -> str | None:
        field = self.SERVICE_FIELDS.get(key, key)
        return field if field in self.fields else None

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(input id, label, message) for every error, in the order of the form, for the summary."""
        items = [("", "", message) for message in self.non_field_errors()]
        for bound in self:
            # A group of radio buttons or checkboxes has no single input: link to its first one.
            target = bound.id_for_label or (f"{bound.auto_id}_0" if bound.auto_id else "")
            for message in bound.errors:
                items.append((target, self.summary_label(bound), message))
        return items

    def summary_label(self, bound) -> str:
        return str(bound.label)


class CleanCharField(forms.CharField):
    """A CharField that strips control characters (single-line fields also lose line breaks)."""

    def __init__(self, *args, multiline: bool = False, **kwargs):
        self.multiline = multiline
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return text_clean(super().to_python(value), multiline=self.multiline)


class BoundedDateField(forms.DateField):
    """A date in the years every date people enter must lie in (``common.times.MSG_DATE_RANGE``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            date_check(value)
        return value


class LocalSplitDateTimeField(forms.SplitDateTimeField):
    """A date input and a time input (the admin's), read with ``common.times.local_instant``: a date
    outside the allowed years or a time the clocks skip is an error next to the inputs, a time that
    happens twice means the first one."""

    def compress(self, data_list):
        if not data_list:
            return None
        if data_list[0] in self.empty_values:
            raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if data_list[1] in self.empty_values:
            raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return local_instant(data_list[0], data_list[1])
