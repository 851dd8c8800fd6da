"""The worker's tasks for signing in. The password reset task lives beside its service in
``accounts.services`` (imported here, so the worker registers it)."""

from accounts.services import send_password_reset

__all__ = ["send_password_reset"]
