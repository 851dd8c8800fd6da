"""Two-factor sign-in, enforced on every page for a signed-in person who has not given a code yet."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.signals import TWO_FACTOR_PENDING


class TwoFactorMiddleware:
    """After the password, a person with an authenticator app gives its code before anything else;
    with TWO_FACTOR_REQUIRED_FOR_STAFF, staff without one set it up first. Signing out stays open.

    Runs after django-otp's OTPMiddleware (``user.is_verified()``). Whether a code is still due
    was recorded in the session at sign-in, so people without two-factor sign-in pay no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            if request.session.get(TWO_FACTOR_PENDING):
                target = reverse("accounts:two_factor_verify")
            elif settings.TWO_FACTOR_REQUIRED_FOR_STAFF and user.is_staff:
                target = reverse("accounts:two_factor")
            else:
                target = None
            if target and request.path_info not in (target, reverse("logout")):
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
