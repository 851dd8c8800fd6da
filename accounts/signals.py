"""What signing in records in the session: whether the person must still give a two-factor code.

Read by ``accounts.middleware.TwoFactorMiddleware`` on every request, so that no request of a
person without two-factor sign-in pays a query to find out.
"""

from django.contrib.auth.signals import user_logged_in
from django_otp import user_has_device

TWO_FACTOR_PENDING = "accounts.two_factor_pending"


def two_factor_pending_remember(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[TWO_FACTOR_PENDING] = user_has_device(user, confirmed=True)


def connect() -> None:
    user_logged_in.connect(two_factor_pending_remember, dispatch_uid="accounts.two_factor_pending")
