"""The requester's answers on the status page: withdraw or cancel (a reason), accept or decline proposed times."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import AccessibleForm, CleanCharField


class RequesterReasonForm(AccessibleForm):
    """Withdrawing a request or cancelling the presentation: an optional reason."""

    reason = CleanCharField(
        label=_("Reason (optional)"),
        max_length=2000,
        required=False,
        multiline=True,
        help_text=_("Helps us plan; staff see it, nobody else does."),
    )


MSG_CHOOSE_PROPOSED_TIME = _("Choose one of the proposed times.")


class ProposalAcceptForm(AccessibleForm):
    """The requester picks one proposed time (each time's button carries its id)."""

    proposed_time = forms.IntegerField(
        label=_("Proposed time"),
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.HiddenInput,
        error_messages={
            "required": MSG_CHOOSE_PROPOSED_TIME,
            "invalid": MSG_CHOOSE_PROPOSED_TIME,
            "min_value": MSG_CHOOSE_PROPOSED_TIME,
            "max_value": MSG_CHOOSE_PROPOSED_TIME,
        },
    )


class ProposalDeclineForm(AccessibleForm):
    note = CleanCharField(
        label=_("What would work better? (optional)"),
        max_length=2000,
        required=False,
        multiline=True,
        help_text=_("Other dates or times, or anything else our staff should know."),
    )
