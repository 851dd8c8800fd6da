from django.apps import AppConfig

from accounts import signals


class AccountsConfig(AppConfig):
    """Signing in: lockout after failed attempts, two-factor sign-in, password reset by email."""

    name = "accounts"
    verbose_name = "Sign-in"

    def ready(self) -> None:
        signals.connect()
