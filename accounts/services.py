"""Writes for signing in: turning two-factor sign-in on and off, and password reset emails.

A password reset email is handed to the worker after the request's transaction commits and is
rendered and sent there (``send_password_reset``, beside its service), with a link made at that
moment: the request answers at once whatever the mail server does, and the link is stored nowhere.
"""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors

MSG_WRONG_CODE = "That code is not right. Enter the six digits your authenticator app shows now."
MSG_NOT_STARTED = "Start again: the setup expired."
DEVICE_NAME = "Authenticator app"


@transaction.atomic
def two_factor_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """A new, unconfirmed authenticator for ``user`` (any earlier unconfirmed one is dropped)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def two_factor_confirm(*, user: AbstractBaseUser, token: str) -> TOTPDevice:
    """Turn two-factor sign-in on once ``token`` shows the app was set up. Raises ValidationError."""
    device = selectors.totp_device_of(user=user, confirmed=False)
    if device is None:
        raise ValidationError({"token": MSG_NOT_STARTED})
    if not device.verify_token(token):
        raise ValidationError({"token": MSG_WRONG_CODE})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def two_factor_check(*, user: AbstractBaseUser, token: str) -> TOTPDevice:
    """The confirmed authenticator that ``token`` came from. Raises ValidationError.

    django-otp slows down repeated wrong codes for a device (OTP_TOTP_THROTTLE_FACTOR)."""
    device = selectors.totp_device_of(user=user, confirmed=True)
    if device is None or not device.verify_token(token):
        raise ValidationError({"token": MSG_WRONG_CODE})
    return device


@transaction.atomic
def two_factor_turn_off(*, user: AbstractBaseUser, token: str) -> None:
    """Turn two-factor sign-in off; the current code proves the person holds the app."""
    two_factor_check(user=user, token=token)
    TOTPDevice.objects.filter(user=user).delete()


def password_reset_request(*, email: str) -> int:
    """Queue a reset email for each active account with a password and ``email``; how many were queued.

    The caller tells the person the same thing either way, so the answer reveals no account."""
    users = list(PasswordResetForm().get_users(email))
    for user in users:
        user_id = user.pk
        transaction.on_commit(lambda user_id=user_id: send_password_reset.delay(user_id))
    return len(users)


def password_reset_send(*, user_id: int) -> bool:
    """Render and send the reset email with a link made now. False if the account no longer qualifies."""
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password() or not user.email:
        return False
    scheme, _, domain = settings.SITE_URL.partition("://")
    context = {
        "email": user.email,
        "domain": domain,
        "site_name": settings.PROGRAM_NAME,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": scheme,
    }
    subject = "".join(render_to_string("registration/password_reset_subject.txt", context).splitlines())
    body = render_to_string("registration/password_reset_email.html", context)
    EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    return True


@shared_task(name="accounts.send_password_reset", acks_late=True)
def send_password_reset(user_id: int) -> None:
    password_reset_send(user_id=user_id)
