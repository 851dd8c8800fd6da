"""Private calendar-feed tokens for staff users (presenters keep theirs on Presenter.feed_token_hash)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.links import token_for

STAFF_FEED_TOKEN_PURPOSE = "staff-feed"  # noqa: S105 (a name, not a secret)


class StaffFeedToken(models.Model):
    """A staff user's private link to the staff calendar feed.

    As with a request's status link (common.links), the token is an HMAC of the stored
    salt: the owner can see their link again, while a leaked database alone yields no working
    link. Lookup goes by the token's SHA-256. Rotating revokes the live token and makes a new
    one; revoked rows stay as a record. A user has at most one live token.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens", verbose_name=_("user")
    )
    token_salt = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("staff feed token")
        verbose_name_plural = _("staff feed tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="one_live_staff_feed_token"
            ),
        ]

    def __str__(self) -> str:
        state = _("revoked") if self.revoked_at else _("live")
        return f"{self.user_id} {self.created_at:%Y-%m-%d} ({state})"

    @property
    def token(self) -> str:
        return token_for(purpose=STAFF_FEED_TOKEN_PURPOSE, salt=self.token_salt)
