"""Reads for signing in: a person's authenticator app (a TOTP device of django-otp)."""

from django.contrib.auth.models import AbstractBaseUser
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_of(*, user: AbstractBaseUser, confirmed: bool) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()
