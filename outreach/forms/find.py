"""The "Find my request" form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleForm
from common.validators import honeypot_filled


class RequestFindForm(AccessibleForm):
    """The "Find my request" form: the email address a request was made with, to send its status links to."""

    email = forms.EmailField(
        label=_("The email address you gave in your request"),
        max_length=254,
        help_text=_("We send the links to this address only, never show them here."),
    )
    # Translators: the label of a field hidden from people (a trap for automated spam).
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_spam(self) -> bool:
        return honeypot_filled(self.data.get("website"))
