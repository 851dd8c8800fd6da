"""The optional details of a request: asked in the request form's "Add details now or later" part,
and on the status page until the talk is confirmed (the same fields, the same rules)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleForm, CleanCharField
from outreach.enums import ReferralSource
from outreach.models import PresentationRequest
from outreach.services import DETAILS_FIELDS, details_errors, registration_url_validate


class RequestDetailsFields(AccessibleForm):
    """The detail fields, grouped as the requester thinks of them (``DETAILS_SECTIONS``)."""

    DETAILS_SECTIONS = (
        (_("Logistics"), ("accessibility_needs", "av_available")),
        # Translators: a group of questions about whether the public may come and whether we list the event.
        (
            _("The public"),
            ("is_open_to_public", "venue", "may_list_publicly", "registration_url", "no_registration_needed"),
        ),
        (_("Anything else"), ("notes", "referral_source")),
    )

    accessibility_needs = CleanCharField(
        label=_("Accessibility or interpreter needs"), max_length=2000, required=False, multiline=True
    )
    av_available = forms.BooleanField(label=_("A projector and screen are available"), required=False)
    is_open_to_public = forms.BooleanField(label=_("The event is open to the public"), required=False)
    may_list_publicly = forms.BooleanField(
        label=_("List this presentation on our public events page and calendar"),
        required=False,
        help_text=_(
            "If you tick this, anyone can see the presentation's title, date and time, your organization's "
            "name and where it takes place: the venue above for an event open to the public, “Online” for a "
            "virtual one. Your address and contact details are never shown. Leave it unticked and the "
            "presentation is not shown publicly at all."
        ),
    )
    venue = CleanCharField(
        label=_("Where the presentation takes place"),
        max_length=200,
        required=False,
        help_text=_(
            "Only for an event open to the public that we may list: the venue's name and address, "
            "as the public should see them."
        ),
    )
    registration_url = CleanCharField(
        label=_("Registration link"),
        max_length=500,
        required=False,
        validators=[registration_url_validate],
        widget=forms.URLInput,
        help_text=_(
            "Only for an event open to the public that we may list: the page where people sign up, "
            "shown on our events page. Or tick “Open to all” below."
        ),
    )
    no_registration_needed = forms.BooleanField(label=_("Open to all, no registration needed"), required=False)
    notes = CleanCharField(label=_("Notes for our staff"), max_length=4000, required=False, multiline=True)
    referral_source = forms.ChoiceField(
        label=_("How did you hear about us?"), choices=[("", "—"), *ReferralSource.choices], required=False
    )

    def details_sections(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.DETAILS_SECTIONS]

    @property
    def details_open(self) -> bool:
        """Whether the "Add details" part starts open: it holds an error, or answers already given."""
        if any(name in self.errors for name in DETAILS_FIELDS):
            return True
        if not self.is_bound:
            return False
        return any(self.data.get(name) not in (None, "") for name in DETAILS_FIELDS)


class RequestDetailsForm(RequestDetailsFields):
    """The status page's form: add or change the optional details of a request not yet confirmed."""

    def __init__(self, *args, request_obj: PresentationRequest, **kwargs):
        kwargs.setdefault("initial", {name: getattr(request_obj, name) for name in DETAILS_FIELDS})
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj

    def clean(self):
        cleaned = super().clean()
        for field, messages in details_errors(fields=cleaned, fmt=self.request_obj.format).items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    @property
    def details_open(self) -> bool:
        return bool(self.errors)
