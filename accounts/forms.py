"""Sign-in forms (staff-facing, English): a two-factor code and a password reset request."""

from django import forms

from common.forms import AccessibleForm

MSG_CODE_FORMAT = "Enter the six digits your authenticator app shows."


class CodeForm(AccessibleForm):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}),
        error_messages={"min_length": MSG_CODE_FORMAT, "max_length": MSG_CODE_FORMAT, "required": MSG_CODE_FORMAT},
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError(MSG_CODE_FORMAT)
        return token


class PasswordResetRequestForm(AccessibleForm):
    email = forms.EmailField(label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
