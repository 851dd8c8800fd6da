"""The catalog's filter (audience and format)."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from outreach.enums import Format
from outreach.models import Audience


class CatalogFilterForm(forms.Form):
    audience = forms.ModelChoiceField(
        label=_("Audience"),
        queryset=Audience.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All audiences"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("", _("Any format")), *Format.choices], required=False)

    def __init__(self, *args, audiences: QuerySet[Audience], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = audiences
